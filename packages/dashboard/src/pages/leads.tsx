import type { ConversationDto, LeadDto, LeadStatus } from '@leaddesk/shared';
import { CHANNELS, canTransitionLead, LEAD_STATUSES, LEAD_TEMPERATURES } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { api } from '../api.js';
import { downloadFile } from '../download.js';
import { useLatestRequest } from '../latest-request.js';
import type { AppState } from '../main.js';
import { staffSocket } from '../realtime.js';
import { Badge, Button, Card, ChannelBadge, cx, ErrorNote, inputClass, TemperatureBadge } from '../ui.js';
import { BookingPanel } from './lead-panels/booking-panel.js';
import { ConversionPanel } from './lead-panels/conversion-panel.js';
import { CrmSyncPanel } from './lead-panels/crm-sync-panel.js';
import { PrivacyPanel } from './lead-panels/privacy-panel.js';
import { TagsPanel } from './lead-panels/tags-panel.js';

const label = (s: string) => s.replace(/_/g, ' ');
const queryString = (params: Record<string, string>) => {
  const set = Object.entries(params).filter(([, v]) => v !== '');
  return set.length ? `?${new URLSearchParams(set)}` : '';
};

/** Leads: a filterable, paginated table or a pipeline by status (drag a card to move it). */
export function LeadsPage({ state, leadId }: { state: AppState; leadId?: string }) {
  const [view, setView] = useState<'table' | 'pipeline'>('table');
  const [filters, setFilters] = useState({
    status: '',
    temperature: '',
    source: '',
    q: '',
    from: '',
    to: '',
    minScore: '',
    tag: '',
  });
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ data: LeadDto[]; total: number; pageSize: number }>({
    data: [],
    total: 0,
    pageSize: 25,
  });
  const [error, setError] = useState<string | null>(null);
  const [, navigate] = useLocation();

  const begin = useLatestRequest();
  const load = () => {
    const isLatest = begin();
    return api
      .leads({ ...filters, page, pageSize: view === 'pipeline' ? 100 : 25 })
      .then((r) => {
        if (isLatest()) setData(r);
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
  };
  useEffect(() => {
    void load();
  }, [filters, page, view]);
  useEffect(() => {
    const socket = staffSocket();
    const onLead = ({ lead }: { lead: LeadDto }) =>
      // Socket payloads carry no tags (REST does): keep the row's.
      setData((d) => ({
        ...d,
        data: d.data.map((l) => (l.id === lead.id ? { ...lead, tags: lead.tags ?? l.tags } : l)),
      }));
    socket.on('lead:updated', onLead);
    return () => socket.off('lead:updated', onLead);
  }, []);

  const move = async (lead: LeadDto, status: LeadStatus) => {
    setError(null);
    if (lead.status === status) return;
    try {
      const updated = await api.setLeadStatus(lead.id, status);
      setData((d) => ({ ...d, data: d.data.map((l) => (l.id === lead.id ? updated : l)) }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const set = (k: keyof typeof filters) => (e: Event) => {
    setPage(1);
    setFilters({ ...filters, [k]: (e.currentTarget as HTMLInputElement).value });
  };

  return (
    <div class="space-y-4 p-4 md:p-6">
      <div class="flex flex-wrap items-center gap-2">
        <h1 class="mr-auto text-xl font-semibold">Leads</h1>
        {state.allowed('leads:export') && (
          <Button
            data-testid="export-leads"
            onClick={() => {
              setError(null);
              // The list's filters, except the search box and minimum score (not export filters).
              const { q: _q, minScore: _min, ...exportFilters } = filters;
              downloadFile(`/exports/leads.csv${queryString(exportFilters)}`).catch((e: Error) => setError(e.message));
            }}
          >
            Export CSV
          </Button>
        )}
        <div class="flex rounded-md bg-slate-200 p-0.5 text-sm">
          {(['table', 'pipeline'] as const).map((v) => (
            <button
              key={v}
              type="button"
              onClick={() => setView(v)}
              class={cx('rounded px-3 py-1 capitalize', view === v ? 'bg-white shadow-sm' : 'text-slate-600')}
            >
              {v}
            </button>
          ))}
        </div>
      </div>
      <div class="grid grid-cols-2 gap-2 md:grid-cols-4">
        <input class={inputClass} placeholder="Search name, email, phone" value={filters.q} onChange={set('q')} />
        <select class={inputClass} value={filters.status} onChange={set('status')} aria-label="Status">
          <option value="">Any status</option>
          {LEAD_STATUSES.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </select>
        <select class={inputClass} value={filters.temperature} onChange={set('temperature')} aria-label="Temperature">
          <option value="">Any temperature</option>
          {LEAD_TEMPERATURES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select class={inputClass} value={filters.source} onChange={set('source')} aria-label="Channel">
          <option value="">Any channel</option>
          {CHANNELS.map((s) => (
            <option key={s} value={s}>
              {label(s)}
            </option>
          ))}
        </select>
      </div>
      <div class="grid grid-cols-2 gap-2 md:grid-cols-4">
        <label class="text-xs text-slate-500">
          From
          <input type="date" class={inputClass} value={filters.from} onChange={set('from')} />
        </label>
        <label class="text-xs text-slate-500">
          To
          <input type="date" class={inputClass} value={filters.to} onChange={set('to')} />
        </label>
        <label class="text-xs text-slate-500">
          Minimum score
          <input
            type="number"
            min={0}
            max={100}
            class={inputClass}
            value={filters.minScore}
            onChange={set('minScore')}
          />
        </label>
        <label class="text-xs text-slate-500">
          Tag
          <input class={inputClass} name="tag-filter" value={filters.tag} onChange={set('tag')} />
        </label>
      </div>
      <ErrorNote error={error} />
      {leadId && (
        <LeadDetail
          id={leadId}
          canEdit={state.allowed('leads:update')}
          canExport={state.allowed('leads:export')}
          canErase={state.allowed('leads:erase')}
          onErased={() => {
            navigate('/leads');
            void load();
          }}
        />
      )}
      {view === 'table' ? (
        <Card>
          <div class="-m-4 overflow-x-auto">
            <table class="min-w-full text-sm">
              <thead class="bg-slate-50 text-left text-xs text-slate-500 uppercase">
                <tr>
                  <th class="px-4 py-2">Lead</th>
                  <th class="px-4 py-2">Channel</th>
                  <th class="px-4 py-2">Score</th>
                  <th class="px-4 py-2">Status</th>
                  <th class="px-4 py-2">Created</th>
                </tr>
              </thead>
              <tbody class="divide-y divide-slate-100">
                {data.data.map((l) => (
                  <tr key={l.id} class="hover:bg-slate-50">
                    <td class="px-4 py-2">
                      <Link href={`/leads/${l.id}`} class="font-medium text-indigo-700 hover:underline">
                        {l.name ?? l.email ?? l.phone ?? 'Anonymous'}
                      </Link>
                      <div class="text-xs text-slate-500">{l.email ?? l.phone ?? ''}</div>
                      {l.tags?.length ? (
                        <div class="mt-0.5 flex flex-wrap gap-1">
                          {l.tags.map((tag) => (
                            <Badge key={tag} tone="bg-indigo-50 text-indigo-800">
                              {tag}
                            </Badge>
                          ))}
                        </div>
                      ) : null}
                    </td>
                    <td class="px-4 py-2">
                      <ChannelBadge channel={l.source} />
                    </td>
                    <td class="px-4 py-2">
                      <TemperatureBadge temperature={l.temperature} score={l.score} />
                    </td>
                    <td class="px-4 py-2 capitalize">{label(l.status)}</td>
                    <td class="px-4 py-2 text-slate-500">{new Date(l.createdAt).toLocaleDateString()}</td>
                  </tr>
                ))}
                {data.data.length === 0 && (
                  <tr>
                    <td colSpan={5} class="px-4 py-8 text-center text-slate-500">
                      No leads match.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <div class="mt-4 flex items-center justify-between text-sm text-slate-500">
            <span>{data.total} leads</span>
            <div class="flex gap-2">
              <Button disabled={page <= 1} onClick={() => setPage(page - 1)}>
                Previous
              </Button>
              <Button disabled={page * data.pageSize >= data.total} onClick={() => setPage(page + 1)}>
                Next
              </Button>
            </div>
          </div>
        </Card>
      ) : (
        <Pipeline leads={data.data} onMove={move} canMove={state.allowed('leads:update')} />
      )}
    </div>
  );
}

function Pipeline(props: { leads: LeadDto[]; onMove: (l: LeadDto, s: LeadStatus) => void; canMove: boolean }) {
  const [dragging, setDragging] = useState<LeadDto | null>(null);
  return (
    <div class="flex gap-3 overflow-x-auto pb-2">
      {LEAD_STATUSES.map((status) => {
        const allowed = dragging ? canTransitionLead(dragging.status, status) || dragging.status === status : true;
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: a drop zone for pointer drag; the table view and the lead page change status too
          <div
            key={status}
            data-status={status}
            onDragOver={(e) => allowed && e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              if (dragging) props.onMove(dragging, status);
              setDragging(null);
            }}
            class={cx(
              'w-56 shrink-0 rounded-xl bg-slate-100 p-2 transition',
              dragging && (allowed ? 'ring-2 ring-indigo-300' : 'opacity-40'),
            )}
          >
            <div class="mb-2 flex items-center justify-between px-1 text-xs font-semibold text-slate-600 uppercase">
              {label(status)}
              <span>{props.leads.filter((l) => l.status === status).length}</span>
            </div>
            <div class="space-y-2">
              {props.leads
                .filter((l) => l.status === status)
                .map((l) => (
                  // biome-ignore lint/a11y/noStaticElementInteractions: a draggable card (pointer); see the drop zone note
                  <div
                    key={l.id}
                    draggable={props.canMove}
                    onDragStart={() => setDragging(l)}
                    onDragEnd={() => setDragging(null)}
                    class="cursor-grab rounded-lg bg-white p-2 text-sm shadow-sm ring-1 ring-slate-200"
                  >
                    <div class="truncate font-medium">{l.name ?? l.email ?? 'Anonymous'}</div>
                    <div class="mt-1 flex gap-1">
                      <ChannelBadge channel={l.source} />
                      <TemperatureBadge temperature={l.temperature} score={l.score} />
                    </div>
                  </div>
                ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}

function LeadDetail(props: {
  id: string;
  canEdit: boolean;
  canExport: boolean;
  canErase: boolean;
  onErased: () => void;
}) {
  const { id, canEdit } = props;
  const [lead, setLead] = useState<LeadDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [history, setHistory] = useState<ConversationDto[]>([]);
  // Another lead opened before this one's answers arrived: they must not show under its URL.
  const begin = useLatestRequest();
  useEffect(() => {
    const isLatest = begin();
    setLead(null);
    setHistory([]);
    setError(null);
    api
      .lead(id)
      .then((r) => {
        if (isLatest()) setLead(r);
      })
      .catch((e: Error) => {
        if (isLatest()) setError(e.message);
      });
    api
      .leadConversations(id)
      .then((r) => {
        if (isLatest()) setHistory(r.data);
      })
      .catch(() => undefined);
  }, [id]);
  if (error) return <ErrorNote error={error} />;
  if (!lead) return null;
  const { custom, ...known } = lead.qualification;
  const facts = [...Object.entries(known), ...Object.entries(custom ?? {})].filter(
    ([, v]) => v !== undefined && v !== '',
  );
  return (
    <Card
      title={lead.name ?? lead.email ?? 'Lead'}
      actions={
        <Link href="/leads" class="text-sm text-slate-500">
          Close
        </Link>
      }
    >
      <div class="grid gap-4 md:grid-cols-3">
        <div class="space-y-1 text-sm">
          <div>{lead.email ?? '—'}</div>
          <div>{lead.phone ?? '—'}</div>
          <div class="flex gap-1">
            <ChannelBadge channel={lead.source} />
            <TemperatureBadge temperature={lead.temperature} score={lead.score} />
          </div>
          <label class="flex items-center gap-2 text-slate-500">
            Status
            <select
              class={inputClass}
              value={lead.status}
              onChange={(e) =>
                api
                  .setLeadStatus(lead.id, e.currentTarget.value as LeadStatus)
                  .then(setLead)
                  .catch((err: Error) => setError(err.message))
              }
            >
              {LEAD_STATUSES.filter((s) => s === lead.status || canTransitionLead(lead.status, s)).map((s) => (
                <option key={s} value={s}>
                  {label(s)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div>
          <h3 class="mb-1 text-xs font-semibold text-slate-500 uppercase">Qualification</h3>
          {facts.length ? (
            <dl class="space-y-1 text-sm">
              {facts.map(([k, v]) => (
                <div key={k} class="flex gap-2">
                  <dt class="text-slate-500">{label(k)}:</dt>
                  <dd>{String(v)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p class="text-sm text-slate-500">Nothing yet.</p>
          )}
        </div>
        <div>
          <h3 class="mb-1 text-xs font-semibold text-slate-500 uppercase">Score evidence</h3>
          <ul class="space-y-1 text-sm">
            {lead.scoreEvidence.map((e) => (
              <li key={e.reason} class="flex justify-between gap-2">
                <span>{e.reason}</span>
                <span class="font-medium text-emerald-700">+{e.points}</span>
              </li>
            ))}
            {lead.scoreEvidence.length === 0 && <li class="text-slate-500">Not scored yet.</li>}
          </ul>
        </div>
      </div>
      <ConversionPanel conversion={lead.conversion} />
      <TagsPanel leadId={lead.id} tags={lead.tags ?? []} canEdit={canEdit} />
      <CrmSyncPanel leadId={lead.id} />
      <h3 class="mt-4 mb-1 text-xs font-semibold text-slate-500 uppercase">History</h3>
      <ul class="space-y-1 text-sm">
        <li class="text-slate-500">Lead created {new Date(lead.createdAt).toLocaleString()}</li>
        {history.map((c) => (
          <li key={c.id} class="flex items-center gap-2">
            <ChannelBadge channel={c.channel} />
            <Link href={`/inbox/${c.id}`} class="text-indigo-700 hover:underline">
              Conversation {new Date(c.createdAt).toLocaleDateString()} · {c.lastSeq} messages · {c.status}
            </Link>
          </li>
        ))}
      </ul>
      <BookingPanel leadId={lead.id} onChanged={() => void api.lead(id).then(setLead)} />
      <PrivacyPanel lead={lead} canExport={props.canExport} canErase={props.canErase} onErased={props.onErased} />
    </Card>
  );
}
