import type { ChannelSettingsView, SecretHint } from '@leaddesk/shared';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { AppState } from '../main.js';
import { Badge, Button, Card, cx, ErrorNote, Field, inputClass } from '../ui.js';
import { SettingsTabs } from './settings-tabs.js';

type Channel = 'whatsapp' | 'twilio' | 'telephony' | 'email';

/**
 * Settings → Channels: each channel's status, the webhook URLs to paste into
 * Meta's and Twilio's consoles, and the credentials form. Secrets are
 * write-only: the server never sends them back (only "set" and the last four
 * characters), so the password fields start empty and an empty field keeps
 * the stored secret. Only roles with `client:update` see the forms enabled;
 * the server refuses everyone else anyway.
 */
export function ChannelsPage({ state }: { state: AppState }) {
  const [view, setView] = useState<ChannelSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editable = state.allowed('client:update');
  useEffect(() => {
    api
      .channels()
      .then(setView)
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <div class="space-y-4 p-4 pb-24 md:p-6">
      <h1 class="text-xl font-semibold">Settings</h1>
      <SettingsTabs />
      <ErrorNote error={error} />
      {view && !editable && (
        <p class="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
          Only an admin can connect channels or change their credentials.
        </p>
      )}
      {view && !view.setup.platform.secretsStorable && (
        <ErrorNote error="This server cannot store credentials: its operator must set APP_SECRET." />
      )}
      {view && (
        <div class="grid gap-4 xl:grid-cols-2">
          <WhatsAppCard view={view} editable={editable} onSaved={setView} />
          <TwilioCard view={view} editable={editable} onSaved={setView} />
          <EmailCard view={view} editable={editable} onSaved={setView} />
          <TelephonyCard view={view} editable={editable} onSaved={setView} />
        </div>
      )}
    </div>
  );
}

interface CardProps {
  view: ChannelSettingsView;
  editable: boolean;
  onSaved(view: ChannelSettingsView): void;
}

/** Save / disconnect with their error and confirmation, shared by the cards. */
function useChannelForm(channel: Channel, onSaved: (view: ChannelSettingsView) => void) {
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** `clear` empties the write-only fields in the same render as the new status, never after it. */
  const run = async (fn: () => Promise<ChannelSettingsView>, done: string, clear?: () => void) => {
    setError(null);
    setSaved(null);
    setBusy(true);
    try {
      const view = await fn();
      clear?.();
      onSaved(view);
      setSaved(done);
      return true;
    } catch (e) {
      setError((e as Error).message);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return {
    error,
    saved,
    busy,
    save: (fn: () => Promise<ChannelSettingsView>, clear?: () => void) => run(fn, 'Saved', clear),
    disconnect: () =>
      confirm('Disconnect this channel? Its stored credentials are deleted.')
        ? run(() => api.disconnectChannel(channel), 'Disconnected')
        : Promise.resolve(false),
  };
}

function ChannelCard(props: {
  channel: Channel;
  title: string;
  configured: boolean;
  /** The badge text. @default 'Connected' / 'Not connected' */
  status?: string;
  children: ComponentChildren;
}) {
  return (
    <Card
      title={props.title}
      actions={
        <span data-testid={`status-${props.channel}`}>
          {props.configured ? (
            <Badge tone="bg-emerald-100 text-emerald-800">{props.status ?? 'Connected'}</Badge>
          ) : (
            <Badge>{props.status ?? 'Not connected'}</Badge>
          )}
        </span>
      }
    >
      <div class="space-y-3" data-channel={props.channel}>
        {props.children}
      </div>
    </Card>
  );
}

function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Field label={label} hint={hint}>
      <div class="flex gap-2">
        <input
          class={cx(inputClass, 'font-mono text-xs')}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          onClick={() =>
            navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => undefined,
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
    </Field>
  );
}

/** A write-only secret: empty means "keep what is stored"; the stored value is never shown. */
function SecretField(props: {
  label: string;
  name: string;
  hint: SecretHint | undefined;
  value: string;
  onInput(value: string): void;
  disabled: boolean;
  /** What an unset secret means. @default 'Required.' */
  unset?: string;
}) {
  const stored = props.hint?.set ? props.hint.last4 : null;
  return (
    <Field
      label={props.label}
      hint={stored ? `Set (ends in ${stored}). Leave empty to keep it.` : (props.unset ?? 'Required.')}
    >
      <input
        type="password"
        name={props.name}
        autoComplete="new-password"
        class={inputClass}
        placeholder={stored ? `•••• ${stored}` : ''}
        value={props.value}
        disabled={props.disabled}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </Field>
  );
}

function FormFooter(props: {
  editable: boolean;
  configured: boolean;
  form: ReturnType<typeof useChannelForm>;
  label?: string;
}) {
  const { form } = props;
  return (
    <>
      <ErrorNote error={form.error} />
      {props.editable && (
        <div class="flex items-center gap-3">
          <Button type="submit" variant="primary" disabled={form.busy}>
            {props.label ?? 'Save'}
          </Button>
          {props.configured && (
            <Button variant="ghost" onClick={() => void form.disconnect()} disabled={form.busy}>
              Disconnect
            </Button>
          )}
          {form.saved && (
            <span class="text-sm text-emerald-600" role="status">
              {form.saved}
            </span>
          )}
        </div>
      )}
    </>
  );
}

/** 32 random URL-safe characters, for Meta's verify token (shown until saved, then only its last 4). */
function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function WhatsAppCard({ view, editable, onSaved }: CardProps) {
  const current = view.whatsapp.configured ? view.whatsapp : null;
  const [phoneNumberId, setPhoneNumberId] = useState(current?.phoneNumberId ?? '');
  const [accessToken, setAccessToken] = useState('');
  const [appSecret, setAppSecret] = useState('');
  const [verifyToken, setVerifyToken] = useState('');
  const form = useChannelForm('whatsapp', onSaved);
  const { platform, webhooks } = view.setup;
  return (
    <ChannelCard channel="whatsapp" title="WhatsApp Cloud API" configured={Boolean(current)}>
      <form
        class="space-y-3"
        onSubmit={async (e) => {
          e.preventDefault();
          await form.save(
            () =>
              api.saveWhatsApp({
                phoneNumberId,
                ...(accessToken ? { accessToken } : {}),
                ...(appSecret ? { appSecret } : {}),
                ...(verifyToken ? { verifyToken } : {}),
              }),
            () => {
              setAccessToken('');
              setAppSecret('');
              setVerifyToken('');
            },
          );
        }}
      >
        <CopyField
          label="Callback URL (Meta app → WhatsApp → Configuration)"
          value={webhooks.whatsapp}
          hint="Subscribe to the messages field."
        />
        <Field label="Phone number id">
          <input
            name="phoneNumberId"
            class={inputClass}
            inputMode="numeric"
            value={phoneNumberId}
            disabled={!editable}
            onInput={(e) => setPhoneNumberId(e.currentTarget.value)}
          />
        </Field>
        <SecretField
          label="Access token (system user, permanent)"
          name="accessToken"
          hint={current?.accessToken}
          value={accessToken}
          onInput={setAccessToken}
          disabled={!editable}
        />
        <SecretField
          label="App secret (your own Meta app)"
          name="appSecret"
          hint={current?.appSecret}
          value={appSecret}
          onInput={setAppSecret}
          disabled={!editable}
          unset={
            platform.whatsappAppSecret
              ? 'Not set: the platform’s Meta app verifies your webhooks.'
              : 'Not set: webhooks from Meta cannot be verified until it is (this server has no Meta app of its own).'
          }
        />
        <Field
          label="Verify token (paste the same value into Meta)"
          hint={
            verifyToken
              ? 'Copy it into Meta now: after saving only its last 4 characters are shown.'
              : current?.verifyToken.set
                ? `Set (ends in ${current.verifyToken.last4}). Leave empty to keep it.`
                : platform.whatsappVerifyToken
                  ? 'Not set: the platform’s verify token answers Meta.'
                  : 'Not set.'
          }
        >
          <div class="flex gap-2">
            <input
              name="verifyToken"
              class={cx(inputClass, 'font-mono text-xs')}
              autoComplete="off"
              value={verifyToken}
              disabled={!editable}
              onInput={(e) => setVerifyToken(e.currentTarget.value)}
            />
            {editable && <Button onClick={() => setVerifyToken(randomToken())}>Generate</Button>}
          </div>
        </Field>
        <FormFooter editable={editable} configured={Boolean(current)} form={form} />
      </form>
    </ChannelCard>
  );
}

function TwilioCard({ view, editable, onSaved }: CardProps) {
  const current = view.twilio.configured ? view.twilio : null;
  const [accountSid, setAccountSid] = useState(current?.accountSid ?? '');
  const [authToken, setAuthToken] = useState('');
  const [phoneNumber, setPhoneNumber] = useState(current?.phoneNumber ?? '');
  const form = useChannelForm('twilio', onSaved);
  return (
    <ChannelCard channel="twilio" title="Twilio: SMS and missed calls" configured={Boolean(current)}>
      <form
        class="space-y-3"
        onSubmit={async (e) => {
          e.preventDefault();
          await form.save(
            () => api.saveTwilio({ accountSid, phoneNumber, ...(authToken ? { authToken } : {}) }),
            () => setAuthToken(''),
          );
        }}
      >
        <CopyField label="A message comes in (webhook, HTTP POST)" value={view.setup.webhooks.sms} />
        <CopyField
          label="Call status changes (voice status callback)"
          value={view.setup.webhooks.missedCall}
          hint="Unanswered calls get a follow-up message on WhatsApp or SMS."
        />
        <div class="grid gap-3 md:grid-cols-2">
          <Field label="Account SID">
            <input
              name="accountSid"
              class={inputClass}
              value={accountSid}
              disabled={!editable}
              onInput={(e) => setAccountSid(e.currentTarget.value)}
            />
          </Field>
          <Field label="Phone number (E.164)">
            <input
              name="phoneNumber"
              class={inputClass}
              placeholder="+15551234567"
              value={phoneNumber}
              disabled={!editable}
              onInput={(e) => setPhoneNumber(e.currentTarget.value)}
            />
          </Field>
        </div>
        <SecretField
          label="Auth token"
          name="authToken"
          hint={current?.authToken}
          value={authToken}
          onInput={setAuthToken}
          disabled={!editable}
        />
        <FormFooter editable={editable} configured={Boolean(current)} form={form} />
      </form>
    </ChannelCard>
  );
}

function EmailCard({ view, editable, onSaved }: CardProps) {
  const [recipients, setRecipients] = useState(view.email.alertRecipients.join(', '));
  const form = useChannelForm('email', onSaved);
  const transport = view.setup.platform.email;
  return (
    <ChannelCard
      channel="email"
      title="Email"
      configured={transport !== null}
      status={transport === 'smtp' ? 'SMTP' : transport === 'sendgrid' ? 'SendGrid' : 'Not configured'}
    >
      <form
        class="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          void form.save(() =>
            api.saveEmailChannel({
              alertRecipients: recipients
                .split(/[,\s]+/)
                .map((r) => r.trim())
                .filter(Boolean),
            }),
          );
        }}
      >
        <p class="text-sm text-slate-600" data-testid="email-transport">
          {transport === 'smtp'
            ? 'Email leaves this server by SMTP (set by the server operator).'
            : transport === 'sendgrid'
              ? 'Email leaves this server through SendGrid (set by the server operator).'
              : 'No email service is configured on this server (SMTP_URL or SENDGRID_API_KEY): web-form replies and staff alerts by email are off.'}
        </p>
        <Field
          label="Staff alert recipients"
          hint="Hot leads, escalations, appointments and the daily digest. Empty: the admins and managers."
        >
          <textarea
            name="alertRecipients"
            rows={2}
            class={inputClass}
            value={recipients}
            disabled={!editable}
            onInput={(e) => setRecipients(e.currentTarget.value)}
          />
        </Field>
        <FormFooter editable={editable} configured={false} form={form} />
      </form>
    </ChannelCard>
  );
}

function TelephonyCard({ view, editable, onSaved }: CardProps) {
  const current = view.telephony.configured ? view.telephony : null;
  const [signingSecret, setSigningSecret] = useState('');
  const form = useChannelForm('telephony', onSaved);
  return (
    <ChannelCard channel="telephony" title="Other telephony providers" configured={Boolean(current)}>
      <form
        class="space-y-3"
        onSubmit={async (e) => {
          e.preventDefault();
          await form.save(
            () => api.saveTelephony({ signingSecret }),
            () => setSigningSecret(''),
          );
        }}
      >
        <CopyField
          label="Missed-call webhook (signed JSON)"
          value={view.setup.webhooks.missedCall}
          hint="POST { callId, from, to, status } with X-Signature-256: sha256=<HMAC of the body>."
        />
        <SecretField
          label="Signing secret (at least 16 characters)"
          name="signingSecret"
          hint={current?.signingSecret}
          value={signingSecret}
          onInput={setSigningSecret}
          disabled={!editable}
        />
        <FormFooter editable={editable} configured={Boolean(current)} form={form} />
      </form>
    </ChannelCard>
  );
}
