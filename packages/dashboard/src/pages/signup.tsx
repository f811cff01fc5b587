import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { Button, ErrorNote, Field, inputClass } from '../ui.js';
import { IndustrySelect } from './onboarding/industry-select.js';

/**
 * The public sign-up page (only when the deployment opens it): the business
 * and its first admin, then signed in and on to the setup wizard.
 */
export function SignupPage({ onSignedUp }: { onSignedUp: () => void }) {
  const [form, setForm] = useState({
    businessName: '',
    industry: 'dental',
    name: '',
    email: '',
    password: '',
    website: '',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [k]: e.currentTarget.value });

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.signup({
        ...form,
        website: form.website.trim() || undefined,
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
      const res = await api.login(form.email, form.password);
      if (res.status === 'authenticated') onSignedUp();
      else setError('Your account is ready: sign in to continue.');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach the server');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="flex min-h-dvh items-center justify-center bg-gradient-to-br from-slate-900 via-slate-800 to-indigo-900 p-4">
      <form onSubmit={submit} class="w-full max-w-md space-y-4 rounded-2xl bg-white p-8 shadow-xl">
        <div>
          <h1 class="text-lg font-semibold">Create your account</h1>
          <p class="text-xs text-slate-500">Every lead answered in seconds, from tonight.</p>
        </div>
        <Field label="Business name">
          <input
            name="businessName"
            class={inputClass}
            required
            value={form.businessName}
            onInput={set('businessName')}
          />
        </Field>
        <Field label="Industry">
          <IndustrySelect
            class={inputClass}
            value={form.industry}
            onChange={(v) => setForm({ ...form, industry: v })}
          />
        </Field>
        <Field label="Website" hint="Where the chat widget will go (optional).">
          <input name="website" type="url" class={inputClass} value={form.website} onInput={set('website')} />
        </Field>
        <Field label="Your name">
          <input name="name" class={inputClass} required value={form.name} onInput={set('name')} />
        </Field>
        <Field label="Email">
          <input
            name="email"
            type="email"
            class={inputClass}
            autoComplete="username"
            required
            value={form.email}
            onInput={set('email')}
          />
        </Field>
        <Field label="Password" hint="At least 10 characters, hard to guess.">
          <input
            name="password"
            type="password"
            class={inputClass}
            autoComplete="new-password"
            required
            value={form.password}
            onInput={set('password')}
          />
        </Field>
        <ErrorNote error={error} />
        <Button type="submit" variant="primary" class="w-full" disabled={busy}>
          Create account
        </Button>
        <p class="text-center text-sm">
          <a class="text-indigo-700" href="/dashboard/">
            I already have an account
          </a>
        </p>
      </form>
    </div>
  );
}
