import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { brand } from '../brand.js';
import { BrandMark } from '../brand-mark.js';
import { Button, ErrorNote, Field, inputClass } from '../ui.js';

/** Email and password, then the authenticator code when the account has 2FA. */
export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [signupOpen, setSignupOpen] = useState(false);
  useEffect(() => {
    api
      .signupOpen()
      .then((r) => setSignupOpen(r.open))
      .catch(() => undefined);
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mfaToken) {
        await api.login2fa(mfaToken, code.trim());
        return onSignedIn();
      }
      const res = await api.login(email, password);
      if (res.status === 'authenticated') return onSignedIn();
      if (res.status === 'mfa_required') setMfaToken(res.mfaToken);
      else setError('Your team requires two-factor authentication: set it up from the link in your invitation email.');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not reach the server');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="flex min-h-dvh items-center justify-center bg-gradient-to-br from-slate-900 via-slate-800 to-indigo-900 p-4">
      <form onSubmit={submit} class="w-full max-w-sm space-y-4 rounded-2xl bg-white p-8 shadow-xl">
        <div class="flex items-center gap-2">
          <BrandMark class="size-9" />
          <div>
            <h1 class="text-lg font-semibold">{brand.productName}</h1>
            <p class="text-xs text-slate-500">Staff sign in</p>
          </div>
        </div>
        {mfaToken ? (
          <Field label="Authentication code" hint="The 6-digit code from your authenticator app, or a backup code.">
            <input
              name="code"
              class={inputClass}
              inputMode="numeric"
              autoComplete="one-time-code"
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
          </Field>
        ) : (
          <>
            <Field label="Email">
              <input
                name="email"
                type="email"
                class={inputClass}
                autoComplete="username"
                required
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            </Field>
            <Field label="Password">
              <input
                name="password"
                type="password"
                class={inputClass}
                autoComplete="current-password"
                required
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </Field>
          </>
        )}
        <ErrorNote error={error} />
        <Button type="submit" variant="primary" class="w-full" disabled={busy}>
          {mfaToken ? 'Verify' : 'Sign in'}
        </Button>
        {signupOpen && !mfaToken && (
          <p class="text-center text-sm">
            <a class="text-indigo-700" href="/dashboard/signup">
              Create an account for your business
            </a>
          </p>
        )}
      </form>
    </div>
  );
}
