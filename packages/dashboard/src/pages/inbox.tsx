import type {
  AiStatus,
  ConversationOpened,
  InboxFilter,
  StaffConversationDto,
  StaffMember,
  StaffMessageDto,
  TimelineEscalation,
  TimelineEvent,
} from '@leaddesk/shared';
import { CHANNELS, INBOX_FILTERS } from '@leaddesk/shared';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { api } from '../api.js';
import type { AppState } from '../main.js';
import { command, staffSocket } from '../realtime.js';
import { Badge, Button, ChannelBadge, cx, ErrorNote, Icon, inputClass, TemperatureBadge, timeAgo } from '../ui.js';
import { FollowUpControl } from './automation/follow-up-control.js';
import { followUpEventText } from './automation/follow-up-event-text.js';

/** The live inbox: conversation list with filters on the left, the open conversation on the right. */
export function InboxPage({ state, conversationId }: { state: AppState; conversationId?: string }) {
  const [filter, setFilter] = useState<InboxFilter>('all');
  const [channel, setChannel] = useState('');
  const [q, setQ] = useState('');
  const [minScore, setMinScore] = useState('');
  const [rows, setRows] = useState<StaffConversationDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const current = useRef<StaffConversationDto[]>([]);
  /** Rows the socket changed since the last list request started (they win over its answer). */
  const live = useRef(new Map<string, StaffConversationDto>());
  const show = (list: StaffConversationDto[]) => {
    current.current = list;
    setRows(list);
  };
  const put = (row: StaffConversationDto) => {
    live.current.set(row.id, row);
    show(sortRows([row, ...current.current.filter((c) => c.id !== row.id)]));
  };

  const load = async () => {
    const since = new Map<string, StaffConversationDto>();
    live.current = since;
    try {
      const res = await api.inbox({
        filter,
        channel: channel || undefined,
        q: q || undefined,
        minScore: minScore ? Number(minScore) : undefined,
      });
      // A newer request is under way: its answer is the one to show.
      if (live.current !== since) return;
      // The answer may be older than events that arrived while it travelled.
      const merged = res.data.map((r) => {
        const newer = since.get(r.id);
        return newer && newer.lastSeq >= r.lastSeq ? newer : r;
      });
      for (const row of since.values()) if (!merged.some((m) => m.id === row.id)) merged.push(row);
      show(sortRows(merged));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  useEffect(() => {
    void load();
  }, [filter, channel, q, minScore]);

  useEffect(() => {
    const socket = staffSocket();
    const onUpdated = ({ conversation }: { conversation: StaffConversationDto }) => put(conversation);
    const onMessage = ({ message }: { message: StaffMessageDto }) => {
      const row = current.current.find((c) => c.id === message.conversationId);
      if (!row) return void load();
      if (message.role === 'note' || message.seq < row.lastSeq) return;
      put({ ...row, lastMessage: message.content, lastMessageAt: message.createdAt, lastSeq: message.seq });
    };
    socket.on('conversation:updated', onUpdated);
    socket.on('message:created', onMessage);
    socket.on('connect', load);
    return () => {
      socket.off('conversation:updated', onUpdated);
      socket.off('message:created', onMessage);
      socket.off('connect', load);
    };
  }, [filter, channel, q, minScore]);

  return (
    <div class="flex h-full min-h-0">
      <div
        class={cx(
          'flex w-full flex-col border-r border-slate-200 bg-white md:w-80 md:shrink-0',
          conversationId && 'hidden md:flex',
        )}
      >
        <div class="space-y-2 border-b border-slate-200 p-3">
          <h1 class="text-lg font-semibold">Inbox</h1>
          <div class="flex flex-wrap gap-1" role="tablist">
            {INBOX_FILTERS.map((f) => (
              <button
                key={f}
                type="button"
                role="tab"
                aria-selected={filter === f}
                onClick={() => setFilter(f)}
                class={cx(
                  'rounded-full px-2.5 py-1 text-xs font-medium capitalize',
                  filter === f ? 'bg-indigo-600 text-white' : 'bg-slate-100 text-slate-600 hover:bg-slate-200',
                )}
              >
                {f}
              </button>
            ))}
          </div>
          <div class="flex gap-2">
            <input
              class={inputClass}
              placeholder="Search name, email, message…"
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
            />
            <select
              class={cx(inputClass, 'w-24')}
              value={minScore}
              onChange={(e) => setMinScore(e.currentTarget.value)}
              aria-label="Minimum score"
            >
              <option value="">Score</option>
              {[40, 60, 70, 80].map((n) => (
                <option key={n} value={n}>
                  ≥ {n}
                </option>
              ))}
            </select>
            <select
              class={cx(inputClass, 'w-28')}
              value={channel}
              onChange={(e) => setChannel(e.currentTarget.value)}
              aria-label="Channel"
            >
              <option value="">All</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
          <ErrorNote error={error} />
        </div>
        <ul class="flex-1 divide-y divide-slate-100 overflow-auto" data-testid="conversation-list">
          {rows.length === 0 && <li class="p-6 text-center text-sm text-slate-500">No conversations here yet.</li>}
          {rows.map((c) => (
            <li key={c.id}>
              <Link
                href={`/inbox/${c.id}`}
                class={cx('block px-3 py-3 hover:bg-slate-50', c.id === conversationId && 'bg-indigo-50')}
                data-conversation-id={c.id}
              >
                <div class="flex items-center gap-2">
                  <span class="truncate text-sm font-medium">{c.leadName ?? 'Visitor'}</span>
                  <ChannelBadge channel={c.channel} />
                  <span class="ml-auto text-xs text-slate-400">{timeAgo(c.lastMessageAt)}</span>
                </div>
                <p class="mt-1 truncate text-xs text-slate-500">{c.lastMessage ?? '—'}</p>
                <div class="mt-1.5 flex flex-wrap gap-1">
                  {c.status === 'escalated' && <Badge tone="bg-rose-100 text-rose-700">escalated</Badge>}
                  {c.mode === 'human' && (
                    <Badge tone="bg-indigo-100 text-indigo-700">{c.holder?.name ?? 'human'}</Badge>
                  )}
                  {c.status === 'ended' && <Badge>ended</Badge>}
                  {c.leadTemperature && c.leadTemperature !== 'unscored' && (
                    <TemperatureBadge temperature={c.leadTemperature} score={c.leadScore} />
                  )}
                  {c.assignee && <Badge tone="bg-amber-50 text-amber-700">→ {c.assignee.name}</Badge>}
                </div>
              </Link>
            </li>
          ))}
        </ul>
      </div>
      <div class={cx('min-w-0 flex-1', !conversationId && 'hidden md:block')}>
        {conversationId ? (
          <ConversationView key={conversationId} state={state} conversationId={conversationId} />
        ) : (
          <div class="grid h-full place-items-center text-sm text-slate-400">Select a conversation</div>
        )}
      </div>
    </div>
  );
}

function mergeById<T extends { id: string }>(stored: T[], live: T[]): T[] {
  const ids = new Set(stored.map((x) => x.id));
  return [...stored, ...live.filter((x) => !ids.has(x.id))];
}

function sortRows(list: StaffConversationDto[]) {
  return [...list].sort((a, b) => (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? ''));
}

interface Streaming {
  messageId: string;
  text: string;
}

function ConversationView({ state, conversationId }: { state: AppState; conversationId: string }) {
  const [, navigate] = useLocation();
  const [conversation, setConversation] = useState<StaffConversationDto | null>(null);
  const [messages, setMessages] = useState<StaffMessageDto[]>([]);
  const [escalations, setEscalations] = useState<TimelineEscalation[]>([]);
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [presence, setPresence] = useState<StaffMember[]>([]);
  const [streaming, setStreaming] = useState<Streaming | null>(null);
  const [aiStatus, setAiStatus] = useState<AiStatus>('idle');
  const [visitorTyping, setVisitorTyping] = useState(false);
  const [staffTyping, setStaffTyping] = useState<string | null>(null);
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [draft, setDraft] = useState('');
  const [suggestion, setSuggestion] = useState<{ id: string; citations: Array<{ title: string }> } | null>(null);
  const [suggesting, setSuggesting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [team, setTeam] = useState<StaffMember[]>([]);
  const bottom = useRef<HTMLDivElement>(null);
  const typingTimer = useRef<number | undefined>(undefined);
  const me = state.me.user.id;

  const upsert = (m: StaffMessageDto) =>
    setMessages((list) => (list.some((x) => x.id === m.id) ? list : [...list, m].sort((a, b) => a.seq - b.seq)));

  useEffect(() => {
    const socket = staffSocket();
    const open = () =>
      command<ConversationOpened>('conversation:open', { conversationId })
        .then((res) => {
          setConversation(res.conversation);
          // Merged, not replaced: live events may have arrived before the answer.
          setMessages((list) => mergeById(res.messages, list).sort((a, b) => a.seq - b.seq));
          setEscalations((list) => mergeById(res.escalations, list));
          setEvents((list) => mergeById(res.events, list));
          setPresence(res.presence);
          // Opened mid-reply: show the text so far; the live deltas extend it.
          const live = res.streaming;
          if (live && !res.messages.some((m) => m.id === live.messageId)) {
            setStreaming((s) => (s && s.messageId === live.messageId && s.text.length > live.text.length ? s : live));
          }
        })
        .catch((e: Error) => setError(e.message));
    void open();
    const mine = (p: { conversationId?: string }) => p.conversationId === conversationId;
    const handlers = {
      'message:created': (p: { message: StaffMessageDto }) =>
        p.message.conversationId === conversationId && upsert(p.message),
      'conversation:updated': (p: { conversation: StaffConversationDto }) =>
        p.conversation.id === conversationId && setConversation(p.conversation),
      'conversation:event_recorded': (p: { event: TimelineEvent }) =>
        p.event.conversationId === conversationId && setEvents((list) => mergeById(list, [p.event])),
      'reply:started': (p: { messageId: string; conversationId: string }) =>
        mine(p) && setStreaming({ messageId: p.messageId, text: '' }),
      'reply:delta': (p: { messageId: string; conversationId: string; text: string }) =>
        mine(p) && setStreaming((s) => (s && s.messageId === p.messageId ? { ...s, text: s.text + p.text } : s)),
      'reply:ended': (p: { conversationId: string; message: StaffMessageDto }) => {
        if (!mine(p)) return;
        setStreaming(null);
        upsert({ ...p.message, sender: null });
      },
      'reply:aborted': (p: { conversationId: string }) => mine(p) && setStreaming(null),
      'ai:status': (p: { conversationId: string; status: AiStatus }) => mine(p) && setAiStatus(p.status),
      'visitor:typing': (p: { conversationId: string; typing: boolean }) => mine(p) && setVisitorTyping(p.typing),
      'staff:typing': (p: { conversationId: string; name: string; typing: boolean }) =>
        mine(p) && setStaffTyping(p.typing ? p.name : null),
      'staff:presence': (p: { conversationId: string; staff: StaffMember[] }) => mine(p) && setPresence(p.staff),
      'escalation:created': (p: TimelineEscalation & { escalationId: string; conversationId: string }) =>
        mine(p) &&
        setEscalations((list) => [
          ...list,
          { ...p, id: p.escalationId, status: 'pending', createdAt: new Date().toISOString(), resolvedAt: null },
        ]),
    };
    for (const [event, fn] of Object.entries(handlers)) socket.on(event as 'error', fn as () => void);
    socket.on('connect', open);
    if (state.allowed('conversations:assign'))
      api
        .team()
        .then((t) => setTeam(t.data))
        .catch(() => undefined);
    return () => {
      for (const [event, fn] of Object.entries(handlers)) socket.off(event as 'error', fn as () => void);
      socket.off('connect', open);
      void command('conversation:close', { conversationId }).catch(() => undefined);
    };
  }, [conversationId]);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messages.length, streaming?.text]);

  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const holder = conversation?.holder?.userId === me;
  const takeover = () =>
    run(async () => setConversation((await command('conversation:takeover', { conversationId })).conversation));
  const handback = () =>
    run(async () => setConversation((await command('conversation:handback', { conversationId })).conversation));
  const assign = (assigneeId: string) =>
    run(async () =>
      setConversation(
        (await command('conversation:assign', { conversationId, assigneeId: assigneeId || null })).conversation,
      ),
    );
  const suggest = () =>
    run(async () => {
      setSuggesting(true);
      setMode('reply');
      setDraft('');
      const socket = staffSocket();
      const onDelta = (p: { conversationId: string; text: string }) => {
        if (p.conversationId === conversationId) setDraft((d) => d + p.text);
      };
      socket.on('suggestion:delta', onDelta);
      try {
        const res = await command('copilot:suggest', { conversationId });
        setDraft(res.draft);
        setSuggestion({ id: res.suggestionId, citations: res.citations });
      } finally {
        socket.off('suggestion:delta', onDelta);
        setSuggesting(false);
      }
    });
  const discard = () =>
    run(async () => {
      if (suggestion) await command('suggestion:discard', { suggestionId: suggestion.id });
      setSuggestion(null);
      setDraft('');
    });
  const send = (e: Event) => {
    e.preventDefault();
    const content = draft.trim();
    if (!content) return;
    return run(async () => {
      if (mode === 'note') {
        upsert((await command('note:create', { conversationId, content })).message);
      } else {
        const res = await command('message:send', {
          conversationId,
          clientMessageId: `st_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`,
          content,
          ...(suggestion ? { suggestionId: suggestion.id } : {}),
        });
        upsert(res.message);
        setSuggestion(null);
      }
      setDraft('');
    });
  };
  const onType = (value: string) => {
    setDraft(value);
    if (mode !== 'reply' || !holder) return;
    staffSocket().emit('staff:typing', { conversationId, typing: true });
    window.clearTimeout(typingTimer.current);
    typingTimer.current = window.setTimeout(
      () => staffSocket().emit('staff:typing', { conversationId, typing: false }),
      1500,
    );
  };

  const others = useMemo(() => presence.filter((p) => p.userId !== me), [presence, me]);
  if (!conversation) {
    return (
      <div class="p-6">
        <ErrorNote error={error} />
        {!error && <p class="text-sm text-slate-500">Loading…</p>}
      </div>
    );
  }
  return (
    <div class="flex h-full min-h-0 flex-col bg-slate-50">
      <header class="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-4 py-3">
        <button type="button" class="text-slate-500 md:hidden" onClick={() => navigate('/inbox')} aria-label="Back">
          ←
        </button>
        <div class="min-w-0">
          <div class="flex items-center gap-2">
            <h2 class="truncate font-semibold" data-testid="conversation-title">
              {conversation.leadName ?? 'Visitor'}
            </h2>
            <ChannelBadge channel={conversation.channel} />
            <Badge
              tone={conversation.mode === 'human' ? 'bg-indigo-100 text-indigo-700' : 'bg-emerald-100 text-emerald-700'}
            >
              <span data-testid="mode">
                {conversation.mode === 'human' ? `Human · ${conversation.holder?.name ?? ''}` : 'AI'}
              </span>
            </Badge>
            {conversation.status === 'escalated' && <Badge tone="bg-rose-100 text-rose-700">escalated</Badge>}
          </div>
          <div class="mt-0.5 flex items-center gap-2 text-xs text-slate-500">
            {conversation.leadTemperature && (
              <TemperatureBadge temperature={conversation.leadTemperature} score={conversation.leadScore} />
            )}
            {others.length > 0 && <span data-testid="presence">Also here: {others.map((p) => p.name).join(', ')}</span>}
          </div>
        </div>
        <div class="ml-auto flex flex-wrap items-center gap-2">
          {state.allowed('conversations:assign') && (
            <select
              class={cx(inputClass, 'w-40')}
              aria-label="Assign to"
              value={conversation.assignee?.userId ?? ''}
              onChange={(e) => assign(e.currentTarget.value)}
            >
              <option value="">Unassigned</option>
              {team.map((t) => (
                <option key={t.userId} value={t.userId}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
          <FollowUpControl conversationId={conversationId} version={events.length} />
          {conversation.mode === 'human' && holder ? (
            <Button onClick={handback}>Hand back to AI</Button>
          ) : (
            <Button variant="primary" onClick={takeover}>
              Take over
            </Button>
          )}
        </div>
      </header>
      <div class="flex-1 space-y-3 overflow-auto p-4" data-testid="timeline">
        {timeline(messages, escalations, events).map((item) =>
          'seq' in item ? (
            <MessageBubble key={item.id} m={item} />
          ) : 'kind' in item ? (
            <EventLine key={item.id} e={item} />
          ) : (
            <EscalationLine key={item.id} e={item} />
          ),
        )}
        {streaming && (
          <div class="ml-auto max-w-[80%] rounded-2xl rounded-br-sm bg-emerald-50 px-3 py-2 text-sm text-slate-800 ring-1 ring-emerald-200">
            <div class="mb-1 text-[11px] font-medium text-emerald-700">AI · typing…</div>
            {streaming.text}
          </div>
        )}
        <div class="text-xs text-slate-400" aria-live="polite">
          {visitorTyping && 'Visitor is typing…'}{' '}
          {aiStatus !== 'idle' && !streaming && `AI is ${aiStatus.replace('_', ' ')}…`}{' '}
          {staffTyping && `${staffTyping} is typing…`}
        </div>
        <div ref={bottom} />
      </div>
      <form onSubmit={send} class="border-t border-slate-200 bg-white p-3">
        <div class="mb-2 flex items-center gap-2">
          <div class="flex rounded-md bg-slate-100 p-0.5 text-xs">
            {(['reply', 'note'] as const).map((m) => (
              <button
                key={m}
                type="button"
                onClick={() => setMode(m)}
                class={cx('rounded px-2.5 py-1 font-medium', mode === m ? 'bg-white shadow-sm' : 'text-slate-500')}
              >
                {m === 'reply' ? 'Reply' : 'Internal note'}
              </button>
            ))}
          </div>
          <Button variant="ghost" onClick={suggest} disabled={suggesting}>
            <Icon name="sparkles" class="size-4 text-indigo-500" />
            {suggesting ? 'Drafting…' : 'Suggest reply'}
          </Button>
          {suggestion && (
            <button type="button" class="text-xs text-slate-500 underline" onClick={discard}>
              Discard suggestion
            </button>
          )}
        </div>
        {suggestion && suggestion.citations.length > 0 && (
          <p class="mb-1 text-xs text-slate-500" data-testid="citations">
            Sources: {suggestion.citations.map((c) => c.title).join(' · ')}
          </p>
        )}
        <ErrorNote error={error} />
        <div class="mt-1 flex gap-2">
          <textarea
            name="composer"
            rows={2}
            class={cx(inputClass, 'resize-none', mode === 'note' && 'bg-amber-50')}
            placeholder={
              mode === 'note'
                ? 'Internal note — never sent to the lead. @name mentions a teammate.'
                : holder
                  ? 'Write a reply…'
                  : 'Take over to reply to the lead'
            }
            value={draft}
            onInput={(e) => onType(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) send(e);
            }}
          />
          <Button type="submit" variant="primary" disabled={!draft.trim()}>
            {mode === 'note' ? 'Add note' : 'Send'}
          </Button>
        </div>
      </form>
    </div>
  );
}

/** Messages, escalations and events (takeover, hand-back, assignment) in time order. */
function timeline(messages: StaffMessageDto[], escalations: TimelineEscalation[], events: TimelineEvent[]) {
  return [...messages, ...escalations, ...events].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

function eventText(e: TimelineEvent): string {
  const actor = e.actor?.name ?? 'A former teammate';
  switch (e.kind) {
    case 'takeover':
      return `${actor} took over`;
    case 'handback':
      return `Handed back to AI by ${actor}`;
    case 'assigned':
      return e.subject?.userId === e.actor?.userId
        ? `${actor} assigned it to themselves`
        : `${actor} assigned it to ${e.subject?.name ?? 'a former teammate'}`;
    case 'unassigned':
      return `${actor} unassigned ${e.subject?.name ?? 'it'}`;
    default:
      return followUpEventText(e);
  }
}

function EventLine({ e }: { e: TimelineEvent }) {
  const time = new Date(e.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <div class="flex items-center gap-2 text-xs text-slate-500" data-role="event" data-kind={e.kind}>
      <span class="h-px flex-1 bg-slate-200" />
      <span class="rounded-full bg-white px-2 py-0.5 ring-1 ring-slate-200">
        {eventText(e)} · {time}
      </span>
      <span class="h-px flex-1 bg-slate-200" />
    </div>
  );
}

function EscalationLine({ e }: { e: TimelineEscalation }) {
  return (
    <div class="flex items-center gap-2 text-xs text-rose-700" data-role="escalation">
      <span class="h-px flex-1 bg-rose-200" />
      <span class="rounded-full bg-rose-50 px-2 py-0.5 ring-1 ring-rose-200">
        Escalated · {e.reason.replace(/_/g, ' ')}
        {e.detail ? ` — ${e.detail}` : ''} · {e.status}
      </span>
      <span class="h-px flex-1 bg-rose-200" />
    </div>
  );
}

function MessageBubble({ m }: { m: StaffMessageDto }) {
  const time = new Date(m.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (m.role === 'system') {
    return <div class="text-center text-xs text-slate-400">{m.content}</div>;
  }
  if (m.role === 'note') {
    return (
      <div class="mx-auto max-w-[90%] rounded-lg bg-amber-50 px-3 py-2 text-sm ring-1 ring-amber-200" data-role="note">
        <div class="mb-1 text-[11px] font-medium text-amber-700">
          Internal note · {m.sender?.name ?? 'Staff'} · {time}
        </div>
        {m.content}
      </div>
    );
  }
  const visitor = m.role === 'visitor';
  const ai = m.role === 'ai';
  return (
    <div class={cx('flex', visitor ? 'justify-start' : 'justify-end')} data-role={m.role}>
      <div
        class={cx(
          'max-w-[80%] rounded-2xl px-3 py-2 text-sm whitespace-pre-wrap',
          visitor && 'rounded-bl-sm bg-white ring-1 ring-slate-200',
          ai && 'rounded-br-sm bg-emerald-50 ring-1 ring-emerald-200',
          m.role === 'staff' && 'rounded-br-sm bg-indigo-600 text-white',
        )}
      >
        <div class={cx('mb-1 text-[11px] font-medium', m.role === 'staff' ? 'text-indigo-100' : 'text-slate-500')}>
          {visitor ? 'Visitor' : ai ? 'AI' : (m.sender?.name ?? 'Staff')} · {time}
          {ai && m.ai?.confidence !== undefined && ` · ${Math.round(m.ai.confidence * 100)}% sure`}
          {ai && m.ai?.processingMs !== undefined && ` · ${(m.ai.processingMs / 1000).toFixed(1)} s`}
        </div>
        {m.content}
      </div>
    </div>
  );
}
