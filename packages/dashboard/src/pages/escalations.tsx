import type { EscalationDto, EscalationStats } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api } from '../api.js';
import { useLatestRequest } from '../latest-request.js';
import type { AppState } from '../main.js';
import { staffSocket } from '../realtime.js';
import { Badge, Button, Card, cx, ErrorNote, inputClass, timeAgo } from '../ui.js';

/** Escalations: pending and resolved, resolve with a note, stats. */
export function EscalationsPage({ state }: { state: AppState }) {
  const [tab, setTab] = useState<'pending' | 'resolved'>('pending');
  const [rows, setRows] = useState<EscalationDto[]>([]);
  const [stats, setStats] = useState<EscalationStats | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const begin = useLatestRequest();
  const load = () => {
    const isLatest = begin();
    api
      .escalations(tab)
      .then((r) => {
        if (isLatest()) setRows(r.data);
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
    api
      .escalationStats()
      .then((s) => {
        if (isLatest()) setStats(s);
      })
      .catch(() => undefined);
  };
  useEffect(() => {
    load();
    const socket = staffSocket();
    socket.on('escalation:created', load);
    return () => socket.off('escalation:created', load);
  }, [tab]);
  const resolve = async (id: string) => {
    setError(null);
    try {
      await api.resolveEscalation(id, notes[id] ?? '');
      load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div class="space-y-4 p-4 md:p-6">
      <h1 class="text-xl font-semibold">Escalations</h1>
      {stats && (
        <div class="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="Total" value={stats.total} />
          <Stat label="Pending" value={stats.pending} />
          <Stat label="Most common reason" value={stats.mostCommonReason ? sentence(stats.mostCommonReason) : '—'} />
          <Stat
            label="Avg. time to resolve"
            value={stats.averageMinutesToResolve === null ? '—' : `${stats.averageMinutesToResolve} min`}
          />
        </div>
      )}
      <div class="flex gap-2">
        {(['pending', 'resolved'] as const).map((t) => (
          <button
            key={t}
            type="button"
            onClick={() => setTab(t)}
            class={cx(
              'rounded-full px-3 py-1 text-sm capitalize',
              tab === t ? 'bg-indigo-600 text-white' : 'bg-slate-200',
            )}
          >
            {t}
          </button>
        ))}
      </div>
      <ErrorNote error={error} />
      <div class="space-y-3">
        {rows.length === 0 && <p class="text-sm text-slate-500">Nothing {tab}.</p>}
        {rows.map((e) => (
          <Card key={e.id}>
            <div class="flex flex-wrap items-start gap-3">
              <div class="min-w-0 flex-1">
                <div class="flex flex-wrap items-center gap-2">
                  <Badge
                    tone={e.priority === 'high' || e.priority === 'urgent' ? 'bg-rose-100 text-rose-700' : undefined}
                  >
                    {e.priority}
                  </Badge>
                  <span class="font-medium capitalize">{e.reason.replace(/_/g, ' ')}</span>
                  <span class="text-xs text-slate-400">
                    {timeAgo(e.createdAt) === 'now' ? 'just now' : `${timeAgo(e.createdAt)} ago`}
                  </span>
                </div>
                <p class="mt-1 text-sm text-slate-600">{e.detail || '—'}</p>
                <Link href={`/inbox/${e.conversationId}`} class="text-sm text-indigo-700 hover:underline">
                  {e.leadName ?? 'Open conversation'} →
                </Link>
                {e.resolution && (
                  <p class="mt-2 text-sm text-slate-600">
                    Resolved by {e.resolvedBy ?? '—'}: {e.resolution}
                  </p>
                )}
              </div>
              {e.status !== 'resolved' && state.allowed('escalations:resolve') && (
                <div class="flex w-full gap-2 md:w-80">
                  <input
                    class={inputClass}
                    placeholder="Resolution note"
                    value={notes[e.id] ?? ''}
                    onInput={(ev) => setNotes({ ...notes, [e.id]: ev.currentTarget.value })}
                  />
                  <Button variant="primary" onClick={() => resolve(e.id)}>
                    Resolve
                  </Button>
                </div>
              )}
            </div>
          </Card>
        ))}
      </div>
    </div>
  );
}

export function Stat({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <div class="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <div class="text-xs font-medium text-slate-500">{label}</div>
      <div class="mt-1 text-2xl font-semibold">{value}</div>
      {hint && <div class="mt-0.5 text-xs text-slate-400">{hint}</div>}
    </div>
  );
}

const sentence = (s: string) => {
  const text = s.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};
