/**
 * A small stand-in for the Lead Desk server that speaks the shared `/widget`
 * contract faithfully (packages/shared/src/events/widget.ts): handshake checks,
 * session:ready with a visitor token (only tokens it issued resume a visitor),
 * idempotent message:send with acks, per-conversation seq,
 * replay after lastSeq, history:sync, streamed replies in deltas. It also
 * serves the built bundles and the public config endpoint.
 *
 * It exists so the widget's behaviour can be proven in a real browser while
 * the real server side is built; the specs only use the contract, so they can
 * be pointed at the real server later.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  type Ack,
  identifySchema,
  type MessageDto,
  type MessageRole,
  type QuickReply,
  sendMessageSchema,
  type WidgetClientToServer,
  type WidgetHandshake,
  type WidgetServerToClient,
  type WidgetSocketData,
  widgetHandshakeSchema,
} from '@leaddesk/shared';
import { Server } from 'socket.io';

export interface ContractServerOptions {
  distDir: string;
  siteKey?: string;
  businessName?: string;
  /** Origins allowed to open a widget socket. */
  allowedOrigins: string[];
  /** Delay between reply deltas. @default 15 */
  deltaDelayMs?: number;
  /** How long the assistant "thinks" before the reply starts. @default 150 */
  thinkingMs?: number;
  /** The reply text for a visitor message. */
  reply?: (content: string) => string;
}

interface Conversation {
  id: string;
  visitorId: string;
  messages: MessageDto[];
  byClientId: Map<string, MessageDto>;
}

export interface ContractServer {
  url: string;
  port: number;
  siteKey: string;
  /** Every accepted handshake, in order. */
  handshakes: Array<WidgetHandshake & { origin: string | undefined }>;
  /** Every message:send received (including duplicates). */
  sends: Array<{ clientMessageId: string; content: string }>;
  identifies: unknown[];
  /**
   * Simulates a lost ack once: the message with this content is stored, then
   * the connection drops before the ack leaves (the widget must resend, the
   * server dedupes by clientMessageId).
   */
  dropAckFor: string | null;
  /** Refuses the message with this content once with `rate_limited` (stores nothing). */
  rateLimitFor: string | null;
  conversationOf(visitorId: string): Conversation | undefined;
  /** The visitor a token was issued to (undefined for anything not issued). */
  visitorOf(visitorToken: string | undefined): string | undefined;
  /** A visitor with a conversation that no token was issued for (as a visitor of an older widget). */
  legacyVisitor(messages: string[]): Conversation;
  conversations(): Conversation[];
  /** Ends the visitor's conversation and starts a new one (as after the 24-hour reuse window). */
  newConversation(visitorId: string): Conversation;
  /** Stores a message from staff and pushes it to the visitor (as the real server would). */
  pushMessage(visitorId: string, role: MessageRole, content: string): MessageDto;
  emitTo<K extends keyof WidgetServerToClient>(
    visitorId: string,
    event: K,
    payload: Parameters<WidgetServerToClient[K]>[0],
  ): void;
  readonly running: boolean;
  /** Stops listening and drops every socket; the data stays. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** A small logo as a data URL, so the specs need no image server. */
export const LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" fill="#fff"/><path d="M12 10c4-3 6 1 8 1s4-4 8-1c3 3 1 9 0 12-1 4-1 9-3 9s-2-6-5-6-3 6-5 6-2-5-3-9c-1-3-3-9 0-12z" fill="#0f766e"/></svg>',
)}`;

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};

export async function startContractServer(options: ContractServerOptions): Promise<ContractServer> {
  const siteKey = options.siteKey ?? 'pk_test_widget_contract';
  const businessName = options.businessName ?? 'Sunset Dental';
  const deltaDelay = options.deltaDelayMs ?? 15;
  const replyText =
    options.reply ??
    ((content: string) =>
      `Thanks! You said: ${content}. Our prices are at https://example.com/prices, or email hello@example.com.`);
  const conversations = new Map<string, Conversation>();
  /** Issued tokens (the real server signs them instead; to the widget both are opaque). */
  const tokens = new Map<string, string>();
  const handshakes: ContractServer['handshakes'] = [];
  const sends: ContractServer['sends'] = [];
  const identifies: unknown[] = [];
  let port = 0;
  let running = false;
  let http: HttpServer;
  let io: Server<WidgetClientToServer, WidgetServerToClient, Record<string, never>, WidgetSocketData>;

  const store = (conv: Conversation, role: MessageRole, content: string): MessageDto => {
    const message: MessageDto = {
      id: randomUUID(),
      conversationId: conv.id,
      seq: conv.messages.length + 1,
      role,
      content,
      attachments: [],
      deliveryState: 'sent',
      ai: null,
      createdAt: new Date().toISOString(),
    };
    conv.messages.push(message);
    return message;
  };
  const room = (visitorId: string) => `visitor:${visitorId}`;
  const conversationFor = (visitorId: string): Conversation => {
    let conv = conversations.get(visitorId);
    if (!conv) {
      conv = { id: randomUUID(), visitorId, messages: [], byClientId: new Map() };
      conversations.set(visitorId, conv);
    }
    return conv;
  };

  const streamReply = async (conv: Conversation, content: string) => {
    const ns = io.of('/widget');
    const to = room(conv.visitorId);
    ns.to(to).emit('ai:status', { conversationId: conv.id, status: 'thinking' });
    await sleep(options.thinkingMs ?? 150);
    const messageId = randomUUID();
    ns.to(to).emit('reply:started', { messageId, conversationId: conv.id });
    ns.to(to).emit('ai:status', { conversationId: conv.id, status: 'typing' });
    const words = replyText(content).split(/(?<= )/);
    for (const [index, text] of words.entries()) {
      await sleep(deltaDelay);
      ns.to(to).emit('reply:delta', { messageId, index, text });
    }
    const stored = store(conv, 'ai', words.join(''));
    stored.id = messageId;
    const quickReplies: QuickReply[] =
      conv.messages.length <= 2
        ? [
            { id: 'book', label: 'Book a visit' },
            { id: 'prices', label: 'See prices' },
          ]
        : [];
    ns.to(to).emit('reply:ended', { messageId, message: stored, quickReplies });
    ns.to(to).emit('ai:status', { conversationId: conv.id, status: 'idle' });
  };

  const handleHttp: Parameters<typeof createServer>[1] = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/v1/widget/config') {
      res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
      res.setHeader('Content-Type', 'application/json');
      if (url.searchParams.get('siteKey') !== siteKey) {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { code: 'invalid_site_key', message: 'unknown site key' } }));
        return;
      }
      res.end(
        JSON.stringify({
          businessName,
          locale: 'en-US',
          widget: {
            primaryColor: '#0f766e',
            position: 'bottom-right',
            greeting: 'Hi! How can we help?',
            theme: 'light',
            logoUrl: LOGO,
          },
        }),
      );
      return;
    }
    if (url.pathname.startsWith('/widget/')) {
      const file = path.join(options.distDir, path.basename(url.pathname));
      try {
        const body = await readFile(file);
        res.setHeader('Content-Type', CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.end(body);
      } catch {
        res.statusCode = 404;
        res.end('not found');
      }
      return;
    }
    res.statusCode = 404;
    res.end('not found');
  };

  let server: ContractServer;
  const start = async () => {
    http = createServer(handleHttp);
    io = new Server(http, { transports: ['websocket'] });
    const ns = io.of('/widget');
    ns.use((socket, next) => {
      const parsed = widgetHandshakeSchema.safeParse(socket.handshake.auth);
      const fail = (code: string, message: string) => next(Object.assign(new Error(code), { data: { code, message } }));
      if (!parsed.success) return fail('validation_failed', 'bad handshake');
      if (parsed.data.siteKey !== siteKey) return fail('invalid_site_key', 'unknown site key');
      const origin = socket.handshake.headers.origin;
      if (!origin || !options.allowedOrigins.includes(origin)) return fail('origin_not_allowed', 'origin not allowed');
      handshakes.push({ ...parsed.data, origin });
      const token = parsed.data.visitorToken;
      const visitorId = (token !== undefined && tokens.get(token)) || `v_${randomUUID().replaceAll('-', '')}`;
      socket.data = { clientId: 'client-1', visitorId, conversationId: null, leadId: null };
      next();
    });
    ns.on('connection', (socket) => {
      const { visitorId } = socket.data;
      const lastSeq = (socket.handshake.auth as WidgetHandshake).lastSeq ?? 0;
      void socket.join(room(visitorId));
      const conv = conversations.get(visitorId);
      const visitorToken = [...tokens].find(([, id]) => id === visitorId)?.[0] ?? `${visitorId}.${randomUUID()}`;
      tokens.set(visitorToken, visitorId);
      socket.emit('session:ready', {
        visitorId,
        visitorToken,
        conversationId: conv?.id ?? null,
        businessName,
        mode: 'ai',
      });
      for (const message of conv?.messages ?? []) {
        if (message.seq > lastSeq) socket.emit('message:created', { message });
      }
      socket.on('message:send', (payload, ack) => {
        const parsed = sendMessageSchema.safeParse(payload);
        if (!parsed.success) {
          ack({ ok: false, error: { code: 'validation_failed', message: 'invalid message' } });
          return;
        }
        sends.push({ clientMessageId: parsed.data.clientMessageId, content: parsed.data.content });
        if (server.rateLimitFor === parsed.data.content) {
          server.rateLimitFor = null;
          ack({ ok: false, error: { code: 'rate_limited', message: 'too many messages, slow down' } });
          return;
        }
        const conv = conversationFor(visitorId);
        const existing = conv.byClientId.get(parsed.data.clientMessageId);
        if (existing) {
          ack({ ok: true, data: { message: existing, duplicate: true } });
          return;
        }
        const message = store(conv, 'visitor', parsed.data.content);
        conv.byClientId.set(parsed.data.clientMessageId, message);
        if (server.dropAckFor === parsed.data.content) {
          server.dropAckFor = null;
          socket.conn.close();
          return;
        }
        ack({ ok: true, data: { message, duplicate: false } });
        socket.to(room(visitorId)).emit('message:created', { message });
        void streamReply(conv, parsed.data.content);
      });
      socket.on('history:sync', ({ afterSeq }, ack) => {
        const res: Ack<{ messages: MessageDto[] }> = {
          ok: true,
          data: { messages: (conversations.get(visitorId)?.messages ?? []).filter((m) => m.seq > afterSeq) },
        };
        ack(res);
      });
      socket.on('visitor:identify', (payload, ack) => {
        const parsed = identifySchema.safeParse(payload);
        if (!parsed.success) {
          ack({ ok: false, error: { code: 'validation_failed', message: 'invalid identity' } });
          return;
        }
        identifies.push(parsed.data);
        ack({ ok: true, data: { leadId: randomUUID() } });
      });
    });
    await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
    running = true;
  };

  await start();

  server = {
    dropAckFor: null,
    rateLimitFor: null,
    get url() {
      return `http://localhost:${port}`;
    },
    get port() {
      return port;
    },
    get running() {
      return running;
    },
    siteKey,
    handshakes,
    sends,
    identifies,
    conversationOf: (visitorId) => conversations.get(visitorId),
    visitorOf: (token) => (token === undefined ? undefined : tokens.get(token)),
    legacyVisitor(contents) {
      const conv = conversationFor(`v_${randomUUID().replaceAll('-', '')}`);
      for (const content of contents) store(conv, 'visitor', content);
      return conv;
    },
    conversations: () => [...conversations.values()],
    newConversation(visitorId) {
      conversations.delete(visitorId);
      return conversationFor(visitorId);
    },
    pushMessage(visitorId, role, content) {
      const conv = conversationFor(visitorId);
      const message = store(conv, role, content);
      io.of('/widget').to(room(visitorId)).emit('message:created', { message });
      return message;
    },
    emitTo(visitorId, event, payload) {
      const target = io.of('/widget').to(room(visitorId)) as unknown as { emit(e: string, p: unknown): void };
      target.emit(event, payload);
    },
    async stop() {
      running = false;
      io.of('/widget').disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeAllConnections();
    },
    start,
    async dispose() {
      await server.stop().catch(() => {});
    },
  };
  return server;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
