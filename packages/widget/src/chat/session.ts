/**
 * The visitor's side of one conversation, independent of the UI: the socket,
 * the persisted outbox, replay by sequence number and streamed replies.
 * The Preact view subscribes to its state; nothing here touches the DOM.
 *
 * Guarantees:
 * - A message is written to the outbox (persisted) before any send, with a
 *   clientMessageId made once; it is resent on every (re)connect until the
 *   server acks it, and the server stores it once (the id is its idempotency key).
 * - The highest seq seen is persisted and sent in the handshake, so the server
 *   replays whatever was missed while offline, even across page loads.
 * - The visitor token the server issued (`session:ready`) is persisted and sent
 *   on every (re)connect; it is the visitor's only credential. When the server
 *   answers with another token (none was held, or it was not accepted), this is
 *   a new visitor: the cached conversation of the old one is dropped.
 */
import type {
  AiStatus,
  ConversationMode,
  Identify,
  MessageDto,
  QuickReply,
  WidgetClientToServer,
  WidgetHandshake,
  WidgetServerToClient,
} from '@leaddesk/shared';
import type { Socket } from 'socket.io-client';
import { randomId } from './ids.js';
import type { WidgetStorage } from './storage.js';
import { backoffDelay, connectSocket } from './wire.js';

export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'unavailable';

export interface OutboxItem {
  clientMessageId: string;
  content: string;
  quickReplyId?: string;
  createdAt: string;
  state: 'queued' | 'sending' | 'failed';
  error?: string;
}

export interface Stream {
  messageId: string;
  parts: string[];
}

export type Notice = { id: string; afterSeq: number; kind: 'joined' | 'left' | 'human'; name: string };

export interface ChatState {
  open: boolean;
  status: ConnectionStatus;
  /** Code of the last connect or send error. */
  errorCode: string | null;
  errorMessage: string | null;
  businessName: string | null;
  conversationId: string | null;
  messages: MessageDto[];
  outbox: OutboxItem[];
  streams: Stream[];
  aiStatus: AiStatus;
  staffTyping: string | null;
  quickReplies: QuickReply[];
  /** Highest visitor seq the business has read. */
  readUpTo: number;
  /** Highest seq the visitor has seen with the panel open (drives the unread badge). */
  seenSeq: number;
  mode: ConversationMode;
  notices: Notice[];
}

export interface SessionOptions {
  server: string;
  siteKey: string;
  language: string;
  storage: WidgetStorage;
  /** For new messages (not replays of what the visitor already had). */
  onMessage?: (message: MessageDto) => void;
  /** @default 10_000 */
  ackTimeoutMs?: number;
}

type WidgetSocket = Socket<WidgetServerToClient, WidgetClientToServer>;

const FATAL_CONNECT_ERRORS = new Set(['invalid_site_key', 'origin_not_allowed', 'client_paused', 'validation_failed']);
const RETRYABLE_SEND_ERRORS = new Set(['rate_limited', 'service_unavailable', 'internal']);
const CACHE_LIMIT = 200;

export const lastSeqOf = (messages: MessageDto[]) => messages.reduce((max, m) => Math.max(max, m.seq), 0);

export function unreadCount(state: ChatState): number {
  return state.messages.filter((m) => m.role !== 'visitor' && m.seq > state.seenSeq).length;
}

export class ChatSession {
  private state: ChatState;
  private listeners = new Set<(state: ChatState) => void>();
  private socket: WidgetSocket | null = null;
  private flushing = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private visitorToken: string | undefined;
  private identity: Identify | undefined;
  private identityWaiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  /** Messages this tab has seen acked, so another tab's stale outbox cannot bring them back. */
  private acked = new Set<string>();
  private handshakeReset = false;
  private unwatch: () => void;

  constructor(private readonly options: SessionOptions) {
    const s = options.storage;
    this.visitorToken = s.get<string>('visitorToken');
    // A bare visitor id kept by widgets before signed tokens: the server no longer accepts it.
    s.remove('visitor');
    const outbox = (s.get<OutboxItem[]>('outbox') ?? []).map((o) =>
      o.state === 'sending' ? { ...o, state: 'queued' as const } : o,
    );
    this.state = {
      open: false,
      status: 'idle',
      errorCode: null,
      errorMessage: null,
      businessName: null,
      conversationId: s.get<string>('conversation') ?? null,
      messages: s.get<MessageDto[]>('messages') ?? [],
      outbox,
      streams: [],
      aiStatus: 'idle',
      staffTyping: null,
      quickReplies: s.get<QuickReply[]>('quickReplies') ?? [],
      readUpTo: 0,
      seenSeq: s.get<number>('seen') ?? 0,
      mode: 'ai',
      notices: [],
    };
    // Another tab queued messages (e.g. while offline) and may close before it can
    // send them: adopt them. Both tabs may then send one; the server stores it once
    // (same clientMessageId) and the second ack comes back as a duplicate.
    this.unwatch = s.watch<OutboxItem[]>('outbox', (theirs) => {
      const mine = new Set(this.state.outbox.map((o) => o.clientMessageId));
      const adopted = (theirs ?? [])
        .filter((o) => !mine.has(o.clientMessageId) && !this.acked.has(o.clientMessageId) && o.state !== 'failed')
        .map((o) => ({ ...o, state: 'queued' as const }));
      if (!adopted.length) return;
      this.set({ outbox: [...this.state.outbox, ...adopted] });
      if (this.socket) void this.flush();
      else this.connect();
    });
  }

  get current(): ChatState {
    return this.state;
  }

  /** True when the visitor already has a conversation or unsent messages worth reconnecting for. */
  get hasHistory(): boolean {
    return this.state.messages.length > 0 || this.state.outbox.length > 0 || !!this.state.conversationId;
  }

  subscribe(listener: (state: ChatState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }

  private persist(): void {
    const s = this.options.storage;
    const { messages, outbox, conversationId, seenSeq, quickReplies } = this.state;
    s.set('messages', messages.slice(-CACHE_LIMIT));
    s.set('outbox', outbox);
    s.set('conversation', conversationId);
    s.set('lastSeq', lastSeqOf(messages));
    s.set('seen', seenSeq);
    s.set('quickReplies', quickReplies);
    // Read by loader.js: a visitor with a conversation gets the chat at once on
    // the next page, so replies that came meanwhile reach the badge.
    s.set('live', this.hasHistory);
  }

  private handshake(): WidgetHandshake {
    const lastSeq = lastSeqOf(this.state.messages);
    return {
      siteKey: this.options.siteKey,
      language: this.options.language,
      ...(this.visitorToken ? { visitorToken: this.visitorToken } : {}),
      ...(lastSeq > 0 ? { lastSeq } : {}),
      ...(this.identity?.identityToken ? { identityToken: this.identity.identityToken } : {}),
    };
  }

  connect(): void {
    if (this.socket) return;
    this.set({ status: 'connecting' });
    // WebSocket only (no sticky sessions needed behind a load balancer), through
    // the widget's own small Socket.IO client (see wire.ts).
    const socket = connectSocket<WidgetSocket>(`${this.options.server}/widget`, {
      // A function, so every reconnect sends the latest visitor token and seq.
      auth: (cb) => cb(this.handshake()),
      reconnectionDelay: 500,
      reconnectionDelayMax: 8000,
    });
    this.socket = socket;

    // Server disconnects and refusals in a row: each comes back after a longer jittered wait.
    let resumes = 0;
    socket.on('connect', () => {
      resumes = 0;
      this.set({ status: 'online', errorCode: null, errorMessage: null });
      void this.flush();
      if (this.identity) this.sendIdentity();
      if (this.state.open) this.markSeen();
    });
    socket.on('disconnect', (reason) => {
      this.set({ status: 'offline', aiStatus: 'idle', streams: [], staffTyping: null });
      // The server dropped us on purpose (e.g. a restart): come back, it replays what we missed.
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), backoffDelay(resumes++, 1000, 8000));
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
      const code = err.data?.code ?? err.message;
      if (code === 'validation_failed' && !this.handshakeReset && (this.visitorToken || this.identity?.identityToken)) {
        // A stored value the server no longer accepts (e.g. from an older version):
        // start as a new visitor once rather than stay locked out.
        this.handshakeReset = true;
        this.visitorToken = undefined;
        this.options.storage.remove('visitorToken');
        if (this.identity) delete this.identity.identityToken;
        socket.connect();
        return;
      }
      if (FATAL_CONNECT_ERRORS.has(code)) {
        this.setUnavailable(code, err.data?.message ?? null);
        return;
      }
      this.set({ status: 'offline', errorCode: code });
      // A middleware refusal (e.g. rate_limited) stops the built-in retries.
      if (!socket.active) setTimeout(() => socket.connect(), backoffDelay(resumes++, 5000, 60_000));
    });

    socket.on('session:ready', (ready) => {
      if (ready.visitorToken !== this.visitorToken) {
        // A new visitor (first visit, or a token the server did not accept): what is cached
        // belongs to another visitor's conversation, which this one cannot continue. Unsent
        // messages stay: they are this visitor's words and go to their new conversation.
        this.visitorToken = ready.visitorToken;
        this.options.storage.set('visitorToken', ready.visitorToken);
        this.set({ conversationId: null, messages: [], notices: [], seenSeq: 0, readUpTo: 0, quickReplies: [] });
      }
      const patch: Partial<ChatState> = { businessName: ready.businessName, mode: ready.mode };
      if (ready.conversationId && this.state.conversationId && ready.conversationId !== this.state.conversationId) {
        this.startConversation(ready.conversationId);
      } else if (ready.conversationId) {
        patch.conversationId = ready.conversationId;
      }
      this.set(patch);
      this.persist();
    });
    socket.on('message:created', ({ message, quickReplies }) => {
      this.upsert([message], true);
      if (message.role !== 'visitor') {
        this.set({ quickReplies: quickReplies ?? [], staffTyping: null, aiStatus: 'idle' });
      } else {
        this.set({ quickReplies: [] });
      }
      this.persist();
    });
    socket.on('reply:started', ({ messageId }) => {
      if (!this.state.streams.some((s) => s.messageId === messageId)) {
        this.set({ streams: [...this.state.streams, { messageId, parts: [] }], aiStatus: 'typing' });
      }
    });
    socket.on('reply:delta', ({ messageId, index, text }) => {
      if (this.state.messages.some((m) => m.id === messageId)) return; // already final
      const existing = this.state.streams.find((s) => s.messageId === messageId);
      const parts = existing ? existing.parts.slice() : [];
      parts[index] = text; // by index: a repeated delta overwrites itself instead of doubling
      const stream = { messageId, parts };
      this.set({
        streams: existing
          ? this.state.streams.map((s) => (s.messageId === messageId ? stream : s))
          : [...this.state.streams, stream],
      });
    });
    socket.on('reply:ended', ({ messageId, message, quickReplies }) => {
      this.set({ streams: this.state.streams.filter((s) => s.messageId !== messageId), aiStatus: 'idle' });
      this.upsert([message], true);
      this.set({ quickReplies });
      this.persist();
    });
    // A reply stopped before it was stored (staff took over, or the AI failed): drop the partial text.
    socket.on('reply:aborted', ({ messageId }) => {
      this.set({ streams: this.state.streams.filter((s) => s.messageId !== messageId), aiStatus: 'idle' });
    });
    socket.on('ai:status', ({ status }) => {
      this.set({ aiStatus: status });
      clearTimeout(this.statusTimer);
      // Never leave a stale "thinking…" on screen if the end event is lost.
      if (status !== 'idle') this.statusTimer = setTimeout(() => this.set({ aiStatus: 'idle' }), 60_000);
    });
    socket.on('staff:typing', ({ name, typing }) => this.set({ staffTyping: typing ? name : null }));
    socket.on('staff:joined', ({ name }) => this.notice('joined', name));
    socket.on('staff:left', ({ name }) => this.notice('left', name));
    socket.on('conversation:mode', ({ mode }) => {
      if (mode !== this.state.mode && mode === 'human') this.notice('human', '');
      this.set({ mode });
    });
    socket.on('message:read', ({ upToSeq }) => this.set({ readUpTo: Math.max(this.state.readUpTo, upToSeq) }));
    socket.on('error', ({ code, message }) => this.set({ errorCode: code, errorMessage: message }));
  }

  private notice(kind: Notice['kind'], name: string): void {
    const afterSeq = lastSeqOf(this.state.messages);
    this.set({ notices: [...this.state.notices, { id: randomId(), afterSeq, kind, name }] });
  }

  /** The server moved the visitor to a new conversation (e.g. after the reuse window): start clean. */
  private startConversation(conversationId: string): void {
    this.set({ conversationId, messages: [], notices: [], seenSeq: 0, readUpTo: 0, quickReplies: [] });
    this.persist();
    this.socket?.timeout(this.options.ackTimeoutMs ?? 10_000).emit('history:sync', { afterSeq: 0 }, (err, res) => {
      if (!err && res.ok) this.upsert(res.data.messages, false);
    });
  }

  private upsert(incoming: MessageDto[], live: boolean): void {
    let messages = this.state.messages;
    const fresh: MessageDto[] = [];
    for (const message of incoming) {
      if (message.role === 'note') continue; // internal notes are never the visitor's to see
      if (this.state.conversationId && message.conversationId !== this.state.conversationId && live) {
        this.startConversation(message.conversationId);
        messages = this.state.messages;
      }
      if (!this.state.conversationId) this.set({ conversationId: message.conversationId });
      const i = messages.findIndex((m) => m.id === message.id);
      if (i >= 0) {
        messages = messages.slice();
        messages[i] = message;
        continue;
      }
      messages = [...messages, message].sort((a, b) => a.seq - b.seq);
      fresh.push(message);
    }
    const streams = this.state.streams.filter((s) => !messages.some((m) => m.id === s.messageId));
    this.set({ messages, streams });
    if (this.state.open) this.markSeen();
    for (const message of fresh) this.options.onMessage?.(message);
  }

  /** Queues a message (persisted first), then sends it when connected. */
  send(content: string, quickReplyId?: string): void {
    const text = content.trim();
    if (!text) return;
    const item: OutboxItem = {
      clientMessageId: randomId(),
      content: text.slice(0, 4000),
      createdAt: new Date().toISOString(),
      state: 'queued',
      ...(quickReplyId ? { quickReplyId } : {}),
    };
    this.set({ outbox: [...this.state.outbox, item], quickReplies: [] });
    this.persist();
    this.connect();
    void this.flush();
  }

  retry(clientMessageId: string): void {
    this.updateItem(clientMessageId, { state: 'queued', error: undefined });
    void this.flush();
  }

  private updateItem(id: string, patch: Partial<OutboxItem>): void {
    this.set({ outbox: this.state.outbox.map((o) => (o.clientMessageId === id ? { ...o, ...patch } : o)) });
    this.persist();
  }

  /** One message at a time, in order; stops at the first one without an ack and tries again later. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.retryTimer);
    try {
      for (;;) {
        const socket = this.socket;
        const item = this.state.outbox.find((o) => o.state !== 'failed');
        if (!socket?.connected || !item) break;
        this.updateItem(item.clientMessageId, { state: 'sending' });
        let res: Awaited<ReturnType<ChatSession['emitSend']>>;
        try {
          res = await this.emitSend(socket, item);
        } catch {
          // No ack in time (or the connection dropped): it stays queued; the server
          // dedupes by clientMessageId, so sending it again is safe.
          this.updateItem(item.clientMessageId, { state: 'queued' });
          this.retryTimer = setTimeout(() => void this.flush(), 2000);
          break;
        }
        if (res.ok) {
          this.acked.add(item.clientMessageId);
          this.set({
            outbox: this.state.outbox.filter((o) => o.clientMessageId !== item.clientMessageId),
            ...(this.state.errorCode === 'rate_limited' ? { errorCode: null, errorMessage: null } : {}),
          });
          this.upsert([res.data.message], true);
          this.persist();
        } else if (RETRYABLE_SEND_ERRORS.has(res.error.code)) {
          this.updateItem(item.clientMessageId, { state: 'queued' });
          this.set({ errorCode: res.error.code, errorMessage: res.error.message });
          this.retryTimer = setTimeout(() => void this.flush(), 2000);
          break;
        } else {
          this.updateItem(item.clientMessageId, { state: 'failed', error: res.error.message });
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private emitSend(socket: WidgetSocket, item: OutboxItem) {
    return socket.timeout(this.options.ackTimeoutMs ?? 10_000).emitWithAck('message:send', {
      clientMessageId: item.clientMessageId,
      content: item.content,
      ...(item.quickReplyId ? { quickReplyId: item.quickReplyId } : {}),
    });
  }

  identify(input: Identify): Promise<void> {
    if (this.state.status === 'unavailable') {
      return Promise.reject(Object.assign(new Error('chat unavailable'), { code: this.state.errorCode }));
    }
    this.identity = { ...this.identity, ...input };
    return new Promise((resolve, reject) => {
      this.identityWaiters.push({ resolve, reject });
      this.connect();
      if (this.socket?.connected) this.sendIdentity();
    });
  }

  private sendIdentity(): void {
    const socket = this.socket;
    if (!socket || !this.identity) return;
    const waiters = this.identityWaiters.splice(0);
    socket.timeout(this.options.ackTimeoutMs ?? 10_000).emit('visitor:identify', this.identity, (err, res) => {
      for (const w of waiters) {
        if (err) w.reject(err);
        else if (res.ok) w.resolve();
        else w.reject(Object.assign(new Error(res.error.message), { code: res.error.code }));
      }
    });
  }

  typing(typing: boolean): void {
    if (this.socket?.connected) this.socket.emit('visitor:typing', { typing });
  }

  setOpen(open: boolean): void {
    if (open === this.state.open) return;
    this.set({ open });
    this.options.storage.set('open', open);
    if (open) {
      this.connect();
      this.markSeen();
    }
  }

  private markSeen(): void {
    const last = lastSeqOf(this.state.messages);
    if (last <= this.state.seenSeq) return;
    this.set({ seenSeq: last });
    this.persist();
    if (this.socket?.connected) this.socket.emit('message:read', { upToSeq: last });
  }

  setBusinessName(name: string): void {
    if (!this.state.businessName) this.set({ businessName: name });
  }

  setUnavailable(code: string, message: string | null): void {
    // The visitor sees a plain "unavailable"; the site's developer gets the reason.
    if (this.state.status !== 'unavailable')
      console.warn(`[chat widget] chat unavailable: ${code}${message ? ` (${message})` : ''}`);
    this.set({ status: 'unavailable', errorCode: code, errorMessage: message });
  }

  dispose(): void {
    this.unwatch();
    clearTimeout(this.retryTimer);
    clearTimeout(this.statusTimer);
    this.socket?.disconnect();
    this.socket = null;
  }
}
