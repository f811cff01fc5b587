import {
  OUTGOING_WEBHOOK_EVENT_TYPES,
  type OutgoingWebhookEventType,
  type WebhookEndpointView,
  type WebhookEndpointWithSecret,
} from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { AppState } from '../../main.js';
import { Badge, Button, Card, ErrorNote, Field, inputClass } from '../../ui.js';
import { useReloadingActions } from '../../use-reloading-actions.js';
import { WebhookDeliveryLog } from './webhook-delivery-log.js';

/**
 * Settings → Integrations → Webhooks: the tenant's outgoing webhook endpoints
 * (Zapier, Make, n8n, its own backend). The signing secret is shown once,
 * right after the endpoint is added or its secret rotated; afterwards only its
 * last four characters. Each endpoint can send a test event and shows its
 * delivery log with every attempt, where a delivery can be replayed.
 */
export function WebhooksSection({ state }: { state: AppState }) {
  const editable = state.allowed('client:update');
  const [endpoints, setEndpoints] = useState<WebhookEndpointView[] | null>(null);
  const [revealed, setRevealed] = useState<WebhookEndpointWithSecret | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const { error, act, reload } = useReloadingActions(() => api.webhookEndpoints().then((r) => setEndpoints(r.data)));

  return (
    <Card title="Webhooks">
      <div class="space-y-4" data-testid="webhooks-section">
        <p class="text-sm text-slate-600">
          Send lead, booking and conversation events to Zapier, Make, n8n or your own backend. Every request is signed
          (Standard Webhooks: <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>),
          retried for 24 hours when it fails, and logged here.
        </p>
        <ErrorNote error={error} />
        {revealed && (
          <div role="status" class="space-y-2 rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
            <p class="font-medium text-amber-900">
              Signing secret for {revealed.endpoint.url}: copy it now, it will not be shown again.
            </p>
            <code data-testid="webhook-secret" class="block break-all rounded bg-white px-2 py-1 text-slate-900">
              {revealed.secret}
            </code>
            <Button onClick={() => setRevealed(null)}>I have copied it</Button>
          </div>
        )}
        {endpoints?.length === 0 && <p class="text-sm text-slate-500">No endpoints yet.</p>}
        <ul class="divide-y divide-slate-100">
          {endpoints?.map((e) => (
            <li key={e.id} class="space-y-2 py-3" data-testid="webhook-endpoint">
              <div class="flex flex-wrap items-center gap-2">
                <span class="break-all font-mono text-sm text-slate-900">{e.url}</span>
                {e.enabled ? (
                  <Badge tone="bg-emerald-100 text-emerald-800">Active</Badge>
                ) : (
                  <Badge tone="bg-rose-100 text-rose-800" title={e.disabledReason ?? ''}>
                    Disabled
                  </Badge>
                )}
                <span class="text-xs text-slate-500">secret …{e.secret.set ? e.secret.last4 : ''}</span>
              </div>
              {e.description && <p class="text-xs text-slate-500">{e.description}</p>}
              {!e.enabled && e.disabledReason && <p class="text-xs text-rose-700">{e.disabledReason}</p>}
              <div class="flex flex-wrap gap-1">
                {e.events.map((type) => (
                  <Badge key={type}>{type}</Badge>
                ))}
              </div>
              <div class="flex flex-wrap gap-2">
                {editable && e.enabled && (
                  <Button onClick={() => act(() => api.sendWebhookTest(e.id).then(() => setOpen(e.id)))}>
                    Send test event
                  </Button>
                )}
                <Button onClick={() => setOpen(open === e.id ? null : e.id)}>
                  {open === e.id ? 'Hide deliveries' : 'Deliveries'}
                </Button>
                {editable && (
                  <>
                    <Button onClick={() => act(() => api.rotateWebhookSecret(e.id).then(setRevealed))}>
                      Rotate secret
                    </Button>
                    <Button onClick={() => act(() => api.updateWebhookEndpoint(e.id, { enabled: !e.enabled }))}>
                      {e.enabled ? 'Disable' : 'Enable'}
                    </Button>
                    <Button
                      variant="ghost"
                      onClick={() => {
                        if (confirm(`Remove ${e.url} and its delivery log?`)) {
                          void act(() => api.deleteWebhookEndpoint(e.id));
                        }
                      }}
                    >
                      Remove
                    </Button>
                  </>
                )}
              </div>
              {open === e.id && <WebhookDeliveryLog endpointId={e.id} editable={editable && e.enabled} />}
            </li>
          ))}
        </ul>
        {editable && (
          <AddEndpointForm
            onAdded={(created) => {
              setRevealed(created);
              void reload();
            }}
          />
        )}
      </div>
    </Card>
  );
}

function AddEndpointForm({ onAdded }: { onAdded(created: WebhookEndpointWithSecret): void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<OutgoingWebhookEventType[]>(['lead.created', 'lead.qualified', 'lead.hot']);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (type: OutgoingWebhookEventType, on: boolean) =>
    setEvents((current) => (on ? [...current, type] : current.filter((t) => t !== type)));
  return (
    <form
      class="space-y-3 border-t border-slate-100 pt-4"
      onSubmit={async (ev) => {
        ev.preventDefault();
        setBusy(true);
        setError(null);
        try {
          onAdded(await api.createWebhookEndpoint({ url, description, events }));
          setUrl('');
          setDescription('');
        } catch (e) {
          setError((e as Error).message);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h3 class="text-sm font-semibold text-slate-800">Add an endpoint</h3>
      <ErrorNote error={error} />
      <Field label="Endpoint URL" hint="https:// — the address of your Zapier, Make or n8n hook, or your backend">
        <input
          class={inputClass}
          name="webhook-url"
          type="url"
          required
          placeholder="https://hooks.example.com/leads"
          value={url}
          onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
        />
      </Field>
      <Field label="Description">
        <input
          class={inputClass}
          name="webhook-description"
          maxLength={200}
          value={description}
          onInput={(e) => setDescription((e.target as HTMLInputElement).value)}
        />
      </Field>
      <fieldset>
        <legend class="mb-1 text-xs font-medium text-slate-600">Events</legend>
        <div class="grid gap-1 sm:grid-cols-2">
          {OUTGOING_WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} class="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name={`event-${type}`}
                checked={events.includes(type)}
                onChange={(e) => toggle(type, (e.target as HTMLInputElement).checked)}
              />
              {type}
            </label>
          ))}
        </div>
      </fieldset>
      <Button type="submit" variant="primary" disabled={busy || events.length === 0}>
        Add endpoint
      </Button>
    </form>
  );
}
