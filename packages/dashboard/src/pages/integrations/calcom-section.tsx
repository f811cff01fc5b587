import type { CalcomSettingsView } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { bookingApi } from '../../api.js';
import type { AppState } from '../../main.js';
import { Badge, Button, Card, cx, ErrorNote, Field, inputClass } from '../../ui.js';

/**
 * Settings → Integrations → Cal.com: the API key (write-only: the server only
 * says it is set and its last four characters), the event type for each
 * service, the booking window and buffer, the webhook URL and secret, and a
 * "test connection" button that asks Cal.com who the key belongs to.
 */
export function CalcomSection({ state }: { state: AppState }) {
  const [view, setView] = useState<CalcomSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const editable = state.allowed('client:update');
  useEffect(() => {
    bookingApi
      .calcom()
      .then(setView)
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <Card
      title="Cal.com"
      actions={
        <span data-testid="status-calcom">
          {view?.configured ? (
            <Badge tone="bg-emerald-100 text-emerald-800">Connected</Badge>
          ) : (
            <Badge>Not connected</Badge>
          )}
        </span>
      }
    >
      <ErrorNote error={error} />
      {view && <CalcomForm view={view} editable={editable} onSaved={setView} />}
    </Card>
  );
}

interface Row {
  service: string;
  eventTypeId: string;
}

function CalcomForm(props: { view: CalcomSettingsView; editable: boolean; onSaved(view: CalcomSettingsView): void }) {
  const { view, editable } = props;
  const stored = view.configured ? view : null;
  const [apiKey, setApiKey] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [defaultEventTypeId, setDefault] = useState(stored ? String(stored.defaultEventTypeId) : '');
  const [rows, setRows] = useState<Row[]>(
    stored?.eventTypes.map((e) => ({ service: e.service, eventTypeId: String(e.eventTypeId) })) ?? [],
  );
  const [windowDays, setWindowDays] = useState(String(stored?.bookingWindowDays ?? 14));
  const [buffer, setBuffer] = useState(String(stored?.bufferMinutes ?? 60));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const next = await bookingApi.saveCalcom({
        ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
        ...(webhookSecret.trim() ? { webhookSecret: webhookSecret.trim() } : {}),
        defaultEventTypeId: Number(defaultEventTypeId),
        eventTypes: rows
          .filter((r) => r.service.trim() && r.eventTypeId.trim())
          .map((r) => ({ service: r.service.trim(), eventTypeId: Number(r.eventTypeId) })),
        bookingWindowDays: Number(windowDays),
        bufferMinutes: Number(buffer),
      });
      setApiKey('');
      setWebhookSecret('');
      props.onSaved(next);
      setNotice('Saved');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const runTest = async () => {
    setBusy(true);
    setTest(null);
    try {
      setTest(await bookingApi.testCalcom(apiKey.trim() || undefined));
    } catch (err) {
      setTest({ ok: false, message: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const hint = (h: { set: true; last4: string } | { set: false } | undefined, unset: string) =>
    h?.set ? `Set (ends in ${h.last4}). Leave empty to keep it.` : unset;

  return (
    <form class="space-y-3" data-integration="calcom" onSubmit={save}>
      <Field label="API key" hint={hint(stored?.apiKey, 'From Cal.com → Settings → Developer → API keys.')}>
        <input
          type="password"
          name="calcomApiKey"
          autoComplete="new-password"
          class={inputClass}
          placeholder={stored?.apiKey.set ? `•••• ${stored.apiKey.last4}` : 'cal_live_…'}
          value={apiKey}
          disabled={!editable}
          onInput={(e) => setApiKey(e.currentTarget.value)}
        />
      </Field>
      <div class="grid gap-3 sm:grid-cols-3">
        <Field label="Default event type id" hint="Booked when a service has none of its own.">
          <input
            name="calcomDefaultEventType"
            inputMode="numeric"
            class={inputClass}
            value={defaultEventTypeId}
            disabled={!editable}
            onInput={(e) => setDefault(e.currentTarget.value)}
          />
        </Field>
        <Field label="Booking window (days)" hint="How far ahead slots are offered.">
          <input
            name="calcomWindow"
            inputMode="numeric"
            class={inputClass}
            value={windowDays}
            disabled={!editable}
            onInput={(e) => setWindowDays(e.currentTarget.value)}
          />
        </Field>
        <Field label="Buffer (minutes)" hint="No slot sooner than this from now.">
          <input
            name="calcomBuffer"
            inputMode="numeric"
            class={inputClass}
            value={buffer}
            disabled={!editable}
            onInput={(e) => setBuffer(e.currentTarget.value)}
          />
        </Field>
      </div>
      <div class="space-y-2">
        <p class="text-sm font-medium text-slate-700">Event type per service</p>
        {rows.map((row, i) => (
          <div class="flex gap-2" key={i}>
            <input
              class={inputClass}
              placeholder="Service (as in your configuration)"
              value={row.service}
              disabled={!editable}
              onInput={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, service: e.currentTarget.value } : r)))}
            />
            <input
              class={cx(inputClass, 'w-40')}
              placeholder="Event type id"
              inputMode="numeric"
              value={row.eventTypeId}
              disabled={!editable}
              onInput={(e) => setRows(rows.map((r, j) => (j === i ? { ...r, eventTypeId: e.currentTarget.value } : r)))}
            />
            {editable && (
              <Button variant="ghost" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                Remove
              </Button>
            )}
          </div>
        ))}
        {editable && (
          <Button onClick={() => setRows([...rows, { service: '', eventTypeId: '' }])}>Add a service</Button>
        )}
      </div>
      <Field
        label="Webhook URL"
        hint="Paste into Cal.com → Settings → Developer → Webhooks (booking created, rescheduled, cancelled)."
      >
        <input class={cx(inputClass, 'font-mono text-xs')} readOnly value={view.webhookUrl} />
      </Field>
      <Field
        label="Webhook secret"
        hint={hint(stored?.webhookSecret, 'The secret you set on that webhook; unsigned deliveries are refused.')}
      >
        <input
          type="password"
          name="calcomWebhookSecret"
          autoComplete="new-password"
          class={inputClass}
          placeholder={stored?.webhookSecret.set ? `•••• ${stored.webhookSecret.last4}` : ''}
          value={webhookSecret}
          disabled={!editable}
          onInput={(e) => setWebhookSecret(e.currentTarget.value)}
        />
      </Field>
      <ErrorNote error={error} />
      {test && (
        <p
          data-testid="calcom-test-result"
          class={cx(
            'rounded-md px-3 py-2 text-sm',
            test.ok ? 'bg-emerald-50 text-emerald-800' : 'bg-rose-50 text-rose-800',
          )}
        >
          {test.message}
        </p>
      )}
      {editable && (
        <div class="flex items-center gap-3">
          <Button type="submit" variant="primary" disabled={busy}>
            Save
          </Button>
          <Button onClick={() => void runTest()} disabled={busy || (!apiKey.trim() && !stored)}>
            Test connection
          </Button>
          {notice && <span class="text-sm text-emerald-700">{notice}</span>}
        </div>
      )}
    </form>
  );
}
