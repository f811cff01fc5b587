import type { Ack, MessageDto, WidgetClientToServer, WidgetServerToClient } from '@leaddesk/shared';
import { io, type Socket } from 'socket.io-client';
import { recordSocket } from './socket-recorder.js';

export type VisitorSocket = Socket<WidgetServerToClient, WidgetClientToServer>;

export interface Visitor {
  socket: VisitorSocket;
  /** Every event received, in order, as [name, payload]. */
  events: Array<[string, unknown]>;
  /** Stored messages seen (message:created and reply:ended), by seq. */
  messages(): MessageDto[];
  waitFor<T = unknown>(name: string, predicate?: (payload: T) => boolean, timeoutMs?: number): Promise<T>;
  send(
    content: string,
    clientMessageId?: string,
    quickReplyId?: string,
  ): Promise<Ack<{ message: MessageDto; duplicate: boolean }>>;
  close(): void;
}

export interface ConnectOptions {
  siteKey: string;
  origin?: string;
  /** The `visitorToken` of an earlier `session:ready` (see `sessionOf`), or anything a test wants to try. */
  visitorToken?: string;
  lastSeq?: number;
  identityToken?: string;
  /** Handshake fields added as they are (e.g. what an older widget sent). */
  extraAuth?: Record<string, unknown>;
}

let counter = 0;
export const newMessageId = () =>
  `cm_${Date.now().toString(36)}_${(counter++).toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** A real socket.io-client visitor against a test server. */
export function connectVisitor(url: string, options: ConnectOptions): Visitor {
  const socket: VisitorSocket = io(`${url}/widget`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: {
      siteKey: options.siteKey,
      ...(options.visitorToken !== undefined ? { visitorToken: options.visitorToken } : {}),
      ...(options.lastSeq !== undefined ? { lastSeq: options.lastSeq } : {}),
      ...(options.identityToken ? { identityToken: options.identityToken } : {}),
      ...options.extraAuth,
    },
    extraHeaders: options.origin ? { origin: options.origin } : {},
  });
  const { events, waitFor } = recordSocket(socket);
  return {
    socket,
    events,
    messages() {
      const bySeq = new Map<number, MessageDto>();
      for (const [name, payload] of events) {
        if (name === 'message:created' || name === 'reply:ended') {
          const m = (payload as { message: MessageDto }).message;
          bySeq.set(m.seq, m);
        }
      }
      return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    },
    waitFor,
    send(content, clientMessageId = newMessageId(), quickReplyId) {
      return socket
        .timeout(10_000)
        .emitWithAck('message:send', { clientMessageId, content, ...(quickReplyId ? { quickReplyId } : {}) });
    },
    close() {
      socket.disconnect();
    },
  };
}

export interface VisitorSession {
  visitorId: string;
  /** What a later connection of the same visitor presents (`ConnectOptions.visitorToken`). */
  visitorToken: string;
  conversationId: string | null;
  lastSeq: number;
}

/** The visitor's `session:ready` (waits for it). */
export function sessionOf(visitor: Visitor, timeoutMs?: number): Promise<VisitorSession> {
  return visitor.waitFor<VisitorSession>('session:ready', undefined, timeoutMs);
}

/** Resolves when the next stored ai reply arrives after `afterSeq`. */
export function nextAiReply(visitor: Visitor, afterSeq: number, timeoutMs = 10_000) {
  return visitor.waitFor<{ messageId: string; message: MessageDto; quickReplies: { id: string; label: string }[] }>(
    'reply:ended',
    (p) => p.message.seq > afterSeq,
    timeoutMs,
  );
}
