import type { ClientConfig, Role } from '@leaddesk/shared';
import { PERSONALITY_PRESETS } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, type ClientDto } from '../api.js';
import type { AppState } from '../main.js';
import { createMergePatch } from '../merge-patch.js';
import { notifications } from '../notify.js';
import { Button, Card, cx, ErrorNote, Field, Icon, inputClass } from '../ui.js';
import { PlanCard } from './plan-card.js';
import { IntakeBuilder } from './settings-intake.js';
import { SettingsTabs } from './settings-tabs.js';
import { WidgetFooterFields } from './settings-widget-footer.js';

const TONE_CHANNELS = ['web', 'whatsapp', 'sms', 'email'] as const;

/** Everything a business configures: profile, hours, personality, intake, escalation, widget, keys, team, 2FA. */
export function SettingsPage({ state }: { state: AppState }) {
  const [client, setClient] = useState<ClientDto | null>(null);
  const [config, setConfig] = useState<ClientConfig | null>(null);
  const [name, setName] = useState('');
  const [timezone, setTimezone] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editable = state.allowed('client:update');

  useEffect(() => {
    api
      .client()
      .then((c) => {
        setClient(c);
        setConfig(c.config);
        setName(c.name);
        setTimezone(c.timezone);
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const save = async () => {
    if (!config) return;
    setError(null);
    setSaved(null);
    try {
      // Only what changed since the page loaded: another admin's edits to other fields survive.
      const changes = createMergePatch(
        { name: client?.name, timezone: client?.timezone, config: client?.config },
        { name, timezone, config },
      );
      const c = await api.updateClient((changes ?? {}) as Parameters<typeof api.updateClient>[0]);
      setClient(c);
      setConfig(c.config);
      setSaved('Saved');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (!client || !config) {
    return (
      <div class="p-6">
        <ErrorNote error={error} />
      </div>
    );
  }
  const patch = (p: Partial<ClientConfig>) => setConfig({ ...config, ...p });
  const origin = window.location.origin;
  const snippet = `<script src="${origin}/widget/loader.js" data-site-key="${client.siteKey}" async></script>`;

  return (
    <div class="space-y-4 p-4 pb-24 md:p-6">
      <div class="flex items-center gap-3">
        <h1 class="mr-auto text-xl font-semibold">Settings</h1>
        {saved && <span class="text-sm text-emerald-600">{saved}</span>}
        {editable && (
          <Button variant="primary" onClick={save}>
            Save changes
          </Button>
        )}
      </div>
      <SettingsTabs />
      <ErrorNote error={error} />
      <div class="grid gap-4 xl:grid-cols-2">
        <Card title="Business profile">
          <div class="grid gap-3 md:grid-cols-2">
            <Field label="Business name">
              <input class={inputClass} value={name} onInput={(e) => setName(e.currentTarget.value)} />
            </Field>
            <Field label="Time zone">
              <input class={inputClass} value={timezone} onInput={(e) => setTimezone(e.currentTarget.value)} />
            </Field>
          </div>
          <p class="mt-4 text-sm text-slate-600">
            Opening hours, holidays and closures:{' '}
            <Link class="text-indigo-600 hover:underline" href="/settings/automation">
              Settings → Automation
            </Link>
            .
          </p>
        </Card>

        <Card title="Personality and tone">
          <Field label="Personality preset">
            <select
              class={inputClass}
              value={config.personality}
              onChange={(e) => patch({ personality: e.currentTarget.value as ClientConfig['personality'] })}
            >
              {PERSONALITY_PRESETS.map((p) => (
                <option key={p} value={p}>
                  {p.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </Field>
          {config.personality === 'custom' && (
            <Field label="Custom personality">
              <textarea
                class={inputClass}
                value={config.customPersonality ?? ''}
                onInput={(e) => patch({ customPersonality: e.currentTarget.value })}
              />
            </Field>
          )}
          <div class="mt-3 grid gap-2 md:grid-cols-2">
            {TONE_CHANNELS.map((ch) => (
              <Field key={ch} label={`Tone on ${ch}`}>
                <input
                  class={inputClass}
                  placeholder={{ web: 'friendly', whatsapp: 'casual, emojis ok', sms: 'concise', email: 'formal' }[ch]}
                  value={(config.channelTone as Record<string, string | undefined>)[ch] ?? ''}
                  onInput={(e) => patch({ channelTone: { ...config.channelTone, [ch]: e.currentTarget.value } })}
                />
              </Field>
            ))}
          </div>
          <p class="mt-3 rounded-md bg-slate-50 p-3 text-sm text-slate-600">
            <span class="font-medium">Preview:</span> {tonePreview(config.personality, client.name)}
          </p>
        </Card>

        <Card title="Intake questions">
          <IntakeBuilder
            questions={config.qualificationQuestions}
            onChange={(q) => patch({ qualificationQuestions: q })}
          />
        </Card>

        <Card title="Escalation rules">
          <div class="grid gap-3 md:grid-cols-3">
            <Field label="Notify when score ≥">
              <input
                type="number"
                min={0}
                max={100}
                class={inputClass}
                value={config.hotLead.scoreAtLeast}
                onInput={(e) => patch({ hotLead: { ...config.hotLead, scoreAtLeast: Number(e.currentTarget.value) } })}
              />
            </Field>
            <Field label="No staff reply in (minutes)">
              <input
                type="number"
                min={1}
                class={inputClass}
                value={config.escalation.noStaffReplyMinutes}
                onInput={(e) =>
                  patch({ escalation: { ...config.escalation, noStaffReplyMinutes: Number(e.currentTarget.value) } })
                }
              />
            </Field>
            <Field label="Escalate on keywords" hint="Comma separated">
              <input
                class={inputClass}
                value={config.escalation.keywords.join(', ')}
                onChange={(e) =>
                  patch({
                    escalation: {
                      ...config.escalation,
                      keywords: e.currentTarget.value
                        .split(',')
                        .map((k) => k.trim())
                        .filter(Boolean),
                    },
                  })
                }
              />
            </Field>
          </div>
          <div class="mt-3 flex items-center gap-3 text-sm">
            <Button
              onClick={() => notifications.request().then(() => setSaved(`Notifications: ${notifications.permission}`))}
            >
              Enable desktop notifications
            </Button>
            <label class="flex items-center gap-2">
              <input
                type="checkbox"
                defaultChecked={notifications.sound}
                onChange={(e) => {
                  notifications.sound = e.currentTarget.checked;
                }}
              />
              Sound
            </label>
          </div>
        </Card>

        <Card title="Widget">
          <div class="grid gap-4 md:grid-cols-2">
            <div class="space-y-3">
              <Field label="Greeting">
                <input
                  name="greeting"
                  class={inputClass}
                  value={config.widget.greeting}
                  onInput={(e) => patch({ widget: { ...config.widget, greeting: e.currentTarget.value } })}
                />
              </Field>
              <Field label="Colour">
                <div class="flex gap-2">
                  <input
                    type="color"
                    class="h-9 w-12 rounded"
                    value={config.widget.primaryColor}
                    onInput={(e) => patch({ widget: { ...config.widget, primaryColor: e.currentTarget.value } })}
                  />
                  <input
                    name="primaryColor"
                    class={inputClass}
                    value={config.widget.primaryColor}
                    onInput={(e) => patch({ widget: { ...config.widget, primaryColor: e.currentTarget.value } })}
                  />
                </div>
              </Field>
              <Field label="Position">
                <select
                  class={inputClass}
                  value={config.widget.position}
                  onChange={(e) =>
                    patch({
                      widget: { ...config.widget, position: e.currentTarget.value as 'bottom-right' | 'bottom-left' },
                    })
                  }
                >
                  <option value="bottom-right">Bottom right</option>
                  <option value="bottom-left">Bottom left</option>
                </select>
              </Field>
              <WidgetFooterFields widget={config.widget} onChange={(widget) => patch({ widget })} />
            </div>
            <WidgetPreview name={name} greeting={config.widget.greeting} color={config.widget.primaryColor} />
          </div>
          <Field label="Paste this on your site">
            <pre class="mt-1 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">{snippet}</pre>
          </Field>
          <Button class="mt-2" onClick={() => navigator.clipboard?.writeText(snippet)}>
            Copy snippet
          </Button>
        </Card>

        {state.allowed('client:rotate_keys') && <ApiKeyCard prefix={client.apiKeyPrefix} />}
        {state.allowed('client:read') && <PlanCard />}
        {state.allowed('users:read') && <TeamCard canInvite={state.allowed('users:invite')} />}
        <TwoFactorCard enabled={Boolean(state.me.user.twoFactorEnabled)} />
      </div>
    </div>
  );
}

function tonePreview(preset: string, business: string) {
  return (
    (
      {
        luxury_concierge: `Good evening, and welcome to ${business}. It would be my pleasure to arrange everything for you.`,
        fast_direct: `Hi! ${business} here. What do you need and when?`,
        friendly_casual: `Hey there! Thanks for reaching out to ${business}! How can we help?`,
        sales_aggressive: `Great timing: ${business} has openings this week. Shall I book you in now?`,
      } as Record<string, string>
    )[preset] ?? `Your custom voice for ${business}.`
  );
}

function WidgetPreview({ name, greeting, color }: { name: string; greeting: string; color: string }) {
  return (
    <div class="relative h-64 rounded-lg bg-slate-100 p-3" data-testid="widget-preview">
      <div class="absolute right-3 bottom-16 w-56 overflow-hidden rounded-xl bg-white shadow-lg">
        <div class="px-3 py-2 text-sm font-semibold text-white" style={{ background: color }}>
          {name}
        </div>
        <div class="p-3">
          <div class="rounded-lg bg-slate-100 px-2 py-1.5 text-xs">{greeting}</div>
        </div>
      </div>
      <div
        class="absolute right-3 bottom-3 grid size-11 place-items-center rounded-full text-white shadow-lg"
        style={{ background: color }}
      >
        <Icon name="chat" class="size-6" />
      </div>
    </div>
  );
}

/**
 * The intake questions, in the order the AI asks them. Reorder by dragging
 * (pointer), with each row's move buttons, or with Alt+ArrowUp / Alt+ArrowDown
 * from anywhere in the row; a polite live region says where the question went,
 * and focus stays on the control that moved it.
 */
function ApiKeyCard({ prefix }: { prefix: string }) {
  const [key, setKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Card title="API key">
      <p class="text-sm text-slate-600">
        Current key: <code class="rounded bg-slate-100 px-1">{prefix}…</code>
      </p>
      {key && (
        <p class="mt-2 rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
          Copy it now, it will not be shown again: <code class="break-all">{key}</code>
        </p>
      )}
      <ErrorNote error={error} />
      <Button
        class="mt-3"
        variant="danger"
        onClick={async () => {
          if (!confirm('Rotate the API key? Integrations using the old key stop working.')) return;
          try {
            setKey((await api.rotateApiKey()).apiKey);
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      >
        Rotate key
      </Button>
    </Card>
  );
}

function TeamCard({ canInvite }: { canInvite: boolean }) {
  const [users, setUsers] = useState<Array<{ id: string; name: string; email: string; role: Role }>>([]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [msg, setMsg] = useState<string | null>(null);
  const load = () =>
    api
      .users()
      .then((r) => setUsers(r.data))
      .catch(() => undefined);
  useEffect(() => {
    void load();
  }, []);
  return (
    <Card title="Team">
      <ul class="divide-y divide-slate-100 text-sm">
        {users.map((u) => (
          <li key={u.id} class="flex justify-between py-1.5">
            <span>
              {u.name} <span class="text-slate-400">{u.email}</span>
            </span>
            <span class="capitalize text-slate-500">{u.role}</span>
          </li>
        ))}
      </ul>
      {canInvite && (
        <form
          class="mt-3 flex flex-wrap gap-2"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await api.invite(email, role);
              setMsg(`Invitation sent to ${email}`);
              setEmail('');
              void load();
            } catch (err) {
              setMsg((err as Error).message);
            }
          }}
        >
          <input
            class={cx(inputClass, 'flex-1')}
            type="email"
            placeholder="teammate@business.com"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
          <select class={cx(inputClass, 'w-28')} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {(['admin', 'manager', 'agent', 'viewer'] as const).map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <Button type="submit">Invite</Button>
        </form>
      )}
      {msg && <p class="mt-2 text-sm text-slate-600">{msg}</p>}
    </Card>
  );
}

function TwoFactorCard({ enabled }: { enabled: boolean }) {
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (enabled || codes) {
    return (
      <Card title="Two-factor authentication">
        <p class="text-sm text-emerald-700">Two-factor authentication is on.</p>
        {codes && (
          <div class="mt-2 text-sm">
            Backup codes (shown once):
            <pre class="mt-1 rounded bg-slate-100 p-2 text-xs">{codes.join('\n')}</pre>
          </div>
        )}
      </Card>
    );
  }
  return (
    <Card title="Two-factor authentication">
      {!setup ? (
        <Button
          onClick={() =>
            api
              .twoFactorSetup()
              .then(setSetup)
              .catch((e: Error) => setError(e.message))
          }
        >
          Set up 2FA
        </Button>
      ) : (
        <div class="space-y-2 text-sm">
          <p>
            Add this key to your authenticator app:{' '}
            <code class="break-all rounded bg-slate-100 px-1">{setup.secret}</code>
          </p>
          <div class="flex gap-2">
            <input
              class={inputClass}
              placeholder="6-digit code"
              value={code}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
            <Button
              variant="primary"
              onClick={() =>
                api
                  .twoFactorEnable(code)
                  .then((r) => setCodes(r.backupCodes))
                  .catch((e: Error) => setError(e.message))
              }
            >
              Enable
            </Button>
          </div>
        </div>
      )}
      <ErrorNote error={error} />
    </Card>
  );
}
