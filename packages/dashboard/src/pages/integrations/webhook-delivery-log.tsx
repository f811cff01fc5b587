import type { WebhookDeliveryView } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Badge, Button, ErrorNote } from '../../ui.js';

const STATUS_TONE: Record<WebhookDeliveryView['status'], string> = {
  pending: 'bg-amber-100 text-amber-800',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-rose-100 text-rose-800',
};

/**
 * One endpoint's delivery log, newest first, refreshed every few seconds while
 * open: each delivery's event, state and attempts (status code, time taken,
 * the receiver's answer or the error), with Replay.
 */
export function WebhookDeliveryLog({ endpointId, editable }: { endpointId: string; editable: boolean }) {
  const [deliveries, setDeliveries] = useState<WebhookDeliveryView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    const load = () =>
      api
        .webhookDeliveries(endpointId)
        .then((r) => !stopped && setDeliveries(r.data))
        .catch((e: Error) => !stopped && setError(e.message));
    void load();
    const timer = setInterval(load, 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [endpointId]);

  return (
    <div class="rounded-md bg-slate-50 p-3" data-testid="webhook-deliveries">
      <ErrorNote error={error} />
      {deliveries?.length === 0 && <p class="text-sm text-slate-500">No deliveries yet.</p>}
      <ul class="space-y-2">
        {deliveries?.map((d) => {
          const last = d.attemptLog[d.attemptLog.length - 1];
          return (
            <li key={d.id} class="rounded bg-white p-2 text-sm ring-1 ring-slate-200" data-testid="webhook-delivery">
              <div class="flex flex-wrap items-center gap-2">
                <span class="font-mono text-xs">{d.eventType}</span>
                <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
                <span class="text-xs text-slate-500">
                  {new Date(d.createdAt).toLocaleString()} · {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                  {last?.statusCode ? ` · HTTP ${last.statusCode}` : ''}
                </span>
                <Button variant="ghost" onClick={() => setExpanded(expanded === d.id ? null : d.id)}>
                  {expanded === d.id ? 'Less' : 'Details'}
                </Button>
                {editable && d.status !== 'pending' && (
                  <Button
                    onClick={() =>
                      api.replayWebhookDelivery(d.id).then(
                        () => setError(null),
                        (e: Error) => setError(e.message),
                      )
                    }
                  >
                    Replay
                  </Button>
                )}
              </div>
              {d.lastError && <p class="mt-1 text-xs text-rose-700">{d.lastError}</p>}
              {expanded === d.id && (
                <div class="mt-2 space-y-2">
                  <p class="text-xs text-slate-500">webhook-id {d.messageId}</p>
                  <table class="w-full text-left text-xs">
                    <thead class="text-slate-500">
                      <tr>
                        <th class="pr-2">#</th>
                        <th class="pr-2">time</th>
                        <th class="pr-2">status</th>
                        <th class="pr-2">ms</th>
                        <th>answer or error</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.attemptLog.map((a) => (
                        <tr key={a.attempt} class="align-top">
                          <td class="pr-2">{a.attempt}</td>
                          <td class="pr-2">{new Date(a.startedAt).toLocaleTimeString()}</td>
                          <td class="pr-2">{a.statusCode ?? '—'}</td>
                          <td class="pr-2">{a.durationMs}</td>
                          <td class="break-all font-mono">{a.error ?? a.responseExcerpt}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <pre class="max-h-48 overflow-auto rounded bg-slate-900 p-2 text-xs text-slate-100">
                    {JSON.stringify(d.payload, null, 2)}
                  </pre>
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
