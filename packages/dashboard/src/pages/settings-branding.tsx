import type { Branding } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, agencyApi, api, type BrandingView } from '../api.js';
import type { AppState } from '../main.js';
import { Button, Card, ErrorNote, Field, inputClass } from '../ui.js';
import { type AddOutcome, BrandDomainsCard } from './brand-domains-card.js';
import { SettingsTabs } from './settings-tabs.js';

type TextField = Exclude<keyof Branding, 'poweredBy'>;

const FIELDS: Array<{ key: TextField; label: string; placeholder?: string }> = [
  { key: 'productName', label: 'Product name' },
  { key: 'logoUrl', label: 'Logo', placeholder: 'https://…/logo.svg' },
  { key: 'faviconUrl', label: 'Favicon', placeholder: 'https://…/favicon.png' },
  { key: 'primaryColor', label: 'Primary colour', placeholder: '#0f172a' },
  { key: 'accentColor', label: 'Accent colour', placeholder: '#4f46e5' },
  { key: 'emailFromName', label: 'Email sender name' },
  { key: 'emailFromAddress', label: 'Email sender address' },
  { key: 'supportUrl', label: 'Support link', placeholder: 'https://…' },
];

/**
 * Settings → Branding (white-label, docs/white-label.md): the client's own overrides of its agency's (or the
 * platform's) branding, and the domains its dashboard is served on. An empty field inherits; only the
 * fields changed are sent. With `scope="agency"`, the same for an agency's own branding, which its clients
 * inherit (agency admins, from their Clients page).
 */
export function BrandingPage({ state, scope = 'client' }: { state: AppState; scope?: 'client' | 'agency' }) {
  const calls = scope === 'agency' ? agencyApi : api;
  const [view, setView] = useState<BrandingView | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [powered, setPowered] = useState<'inherit' | 'hidden' | 'custom'>('inherit');
  const [poweredLabel, setPoweredLabel] = useState('');
  const [poweredUrl, setPoweredUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState('');
  const editable = state.allowed(scope === 'agency' ? 'agency:manage' : 'client:update');

  const load = (v: BrandingView) => {
    setView(v);
    setDraft(Object.fromEntries(FIELDS.map((f) => [f.key, v.branding[f.key] ?? ''])));
    const p = v.branding.poweredBy;
    setPowered(!p ? 'inherit' : p.hidden ? 'hidden' : 'custom');
    setPoweredLabel(p && !p.hidden ? p.label : '');
    setPoweredUrl(p && !p.hidden ? (p.url ?? '') : '');
  };
  const fail = (err: unknown) => setError(err instanceof ApiError ? err.message : 'Could not reach the server');
  useEffect(() => {
    calls.branding().then(load, fail);
  }, []);

  if (!view) {
    return (
      <div class="space-y-4 p-4 md:p-6">
        {scope === 'client' && <SettingsTabs />}
        <ErrorNote error={error} />
      </div>
    );
  }

  const save = async () => {
    setError(null);
    const patch: Record<string, unknown> = {};
    for (const f of FIELDS) {
      const value = draft[f.key]?.trim() ?? '';
      if (value !== (view.branding[f.key] ?? '')) patch[f.key] = value || null;
    }
    const before = JSON.stringify(view.branding.poweredBy ?? null);
    const next =
      powered === 'inherit'
        ? null
        : powered === 'hidden'
          ? { hidden: true }
          : { label: poweredLabel.trim(), ...(poweredUrl.trim() ? { url: poweredUrl.trim() } : {}) };
    if (JSON.stringify(next) !== before) patch.poweredBy = next;
    if (!Object.keys(patch).length) return setSaved('Nothing changed');
    try {
      load(await calls.updateBranding(patch));
      setSaved('Saved');
    } catch (err) {
      fail(err);
    }
  };
  const addDomain = async (name: string): Promise<AddOutcome> => {
    setError(null);
    try {
      await calls.addBrandDomain(name);
      load(await calls.branding());
      return { state: 'added' };
    } catch (err) {
      // Held by another tenant: the card offers to move it here by proof of DNS control.
      if (err instanceof ApiError && err.status === 409) {
        const takeover = await calls.brandDomainTakeover(name).then(
          (r) => r.data,
          () => null,
        );
        if (takeover) return { state: 'held', takeover };
      }
      fail(err);
      return { state: 'refused' };
    }
  };
  const takeOverDomain = async (name: string) => {
    try {
      await calls.takeOverBrandDomain(name);
      load(await calls.branding());
      return null;
    } catch (err) {
      return err instanceof ApiError ? err.message : 'Could not reach the server';
    }
  };
  const removeDomain = async (name: string) => {
    try {
      await calls.removeBrandDomain(name);
      load(await calls.branding());
    } catch (err) {
      fail(err);
    }
  };
  const verifyDomain = async (name: string) => {
    setError(null);
    try {
      const { data } = await calls.verifyBrandDomain(name);
      load(await calls.branding());
      return data;
    } catch (err) {
      fail(err);
      return null;
    }
  };

  return (
    <div class="space-y-4 p-4 pb-24 md:p-6" data-testid="branding-page">
      <div class="flex items-center gap-3">
        <h1 class="mr-auto text-xl font-semibold">{scope === 'agency' ? 'Agency branding' : 'Settings'}</h1>
        {saved && <span class="text-sm text-emerald-600">{saved}</span>}
        {editable && (
          <Button variant="primary" onClick={save}>
            Save branding
          </Button>
        )}
      </div>
      {scope === 'client' && <SettingsTabs />}
      <ErrorNote error={error} />
      <Card title="Branding">
        <p class="mb-3 text-sm text-slate-500">Empty fields use the default shown in grey.</p>
        <div class="grid gap-3 md:grid-cols-2">
          {FIELDS.map((f) => (
            <Field key={f.key} label={f.label}>
              <input
                name={f.key}
                class={inputClass}
                disabled={!editable}
                placeholder={String(view.effective[f.key] || f.placeholder || '')}
                value={draft[f.key] ?? ''}
                onInput={(e) => setDraft({ ...draft, [f.key]: e.currentTarget.value })}
              />
            </Field>
          ))}
          <Field label="“Powered by” line in the widget">
            <select
              name="brandPoweredBy"
              class={inputClass}
              disabled={!editable}
              value={powered}
              onChange={(e) => setPowered(e.currentTarget.value as typeof powered)}
            >
              <option value="inherit">Default</option>
              <option value="custom">Own label and link</option>
              <option value="hidden">None</option>
            </select>
          </Field>
          {powered === 'custom' && (
            <div class="grid gap-2 md:grid-cols-2">
              <input
                name="brandPoweredLabel"
                aria-label="“Powered by” label"
                class={inputClass}
                value={poweredLabel}
                onInput={(e) => setPoweredLabel(e.currentTarget.value)}
              />
              <input
                name="brandPoweredUrl"
                aria-label="“Powered by” link"
                class={inputClass}
                placeholder="https://…"
                value={poweredUrl}
                onInput={(e) => setPoweredUrl(e.currentTarget.value)}
              />
            </div>
          )}
        </div>
      </Card>
      <BrandDomainsCard
        domains={view.domains}
        editable={editable}
        add={addDomain}
        takeOver={takeOverDomain}
        remove={removeDomain}
        verify={verifyDomain}
      />
    </div>
  );
}
