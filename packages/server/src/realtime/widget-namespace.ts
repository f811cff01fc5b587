import {
  type Ack,
  findUnstorableText,
  historySyncSchema,
  identifySchema,
  readSchema,
  sendMessageSchema,
  typingSchema,
  type WidgetClientToServer,
  type WidgetConnectErrorCode,
  type WidgetServerToClient,
  type WidgetSocketData,
  widgetHandshakeSchema,
} from '@leaddesk/shared';
import type { Namespace, Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { verifyIdentity } from '../channels/widget/identity-token.js';
import type { VisitorTokens } from '../channels/widget/visitor-token.js';
import type { ConversationCore } from '../conversation/conversation-core.js';
import { Client, type IClient } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { AppError, toErrorBody } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import type { Logger } from '../logger.js';
import type { RateLimiters } from '../rate-limit/create-rate-limiters.js';
import { CHAT_PAUSED_MESSAGE, chatPausedError, findClientBySiteKey } from '../tenants/tenant-service.js';
import type { LiveReplies } from './live-replies.js';
import { visitorView } from './visitor-view.js';

// biome-ignore lint/complexity/noBannedTypes: Socket.IO's own "no inter-server events" type.
type NoInterServerEvents = {};
export type WidgetNamespace = Namespace<
  WidgetClientToServer,
  WidgetServerToClient,
  NoInterServerEvents,
  WidgetSocketData
>;
export type WidgetSocket = Socket<WidgetClientToServer, WidgetServerToClient, NoInterServerEvents, WidgetSocketData>;

/** Room of one conversation (staff and every tab of its visitor). */
export const conversationRoom = (conversationId: string) => `conversation:${conversationId}`;
/** Room of one visitor of one tenant (all their tabs, before a conversation exists). */
export const visitorRoom = (clientId: string, visitorId: string) => `visitor:${clientId}:${visitorId}`;

export interface WidgetNamespaceOptions {
  orm: Orm;
  core: ConversationCore;
  limits: RateLimiters;
  logger: Logger;
  /** Signs and checks visitor tokens: only a token the server issued resumes a visitor. */
  visitorTokens: VisitorTokens;
  /** Messages replayed per (re)connect. @default 500 */
  replayLimit?: number;
  /** The reply streaming now, sent after the replay to a socket that joins mid-reply. */
  live?: LiveReplies;
}

const CONNECT_MESSAGES: Record<WidgetConnectErrorCode | 'internal', string> = {
  invalid_site_key: 'unknown site key',
  origin_not_allowed: 'this website is not allowed to use this site key',
  client_paused: CHAT_PAUSED_MESSAGE,
  validation_failed: 'invalid handshake',
  rate_limited: 'too many connections',
  invalid_signature: 'the identity token is not valid',
  internal: 'internal error',
};

function connectError(code: WidgetConnectErrorCode | 'internal', message = CONNECT_MESSAGES[code]) {
  const err = new Error(code) as Error & { data: { code: string; message: string } };
  err.data = { code, message };
  return err;
}

/**
 * The tenant's own sites, and pages Lead Desk itself serves (the onboarding
 * wizard's live preview is the dashboard's origin): an Origin whose host is
 * the host the browser connected to. A page on any other site sends its own
 * origin, which must be listed.
 */
function originAllowed(client: IClient, origin: string | undefined, host: string | undefined): boolean {
  if (client.allowedOrigins.includes('*')) return true;
  if (!origin) return false;
  try {
    const url = new URL(origin);
    return client.allowedOrigins.includes(url.origin) || (host !== undefined && url.host === host);
  } catch {
    return false;
  }
}

/** The client loaded by the handshake, handed to the connection handler without a second query. */
const handshakeClients = new WeakMap<object, IClient>();

/**
 * The `/widget` namespace: handshake checks (site key of an active client,
 * allowed origin, optional signed identity, the visitor token: see
 * channels/widget/visitor-token.ts), replay of stored messages after
 * the visitor's last seen sequence number on every (re)connect, and the
 * visitor's commands, each validated with the shared schema and answered with
 * an `Ack`. Outgoing facts come from the domain events (see widget-fanout.ts).
 */
export function attachWidgetNamespace(io: Server, options: WidgetNamespaceOptions): WidgetNamespace {
  const { orm, core, logger, visitorTokens } = options;
  const nsp = io.of('/widget') as unknown as WidgetNamespace;

  nsp.use(async (socket, next) => {
    try {
      const unstorable = findUnstorableText(socket.handshake.auth ?? {});
      if (unstorable) {
        return next(connectError('validation_failed', `invalid handshake: ${unstorable.path}: ${unstorable.message}`));
      }
      const parsed = widgetHandshakeSchema.safeParse(socket.handshake.auth ?? {});
      if (!parsed.success) {
        return next(
          connectError(
            'validation_failed',
            `invalid handshake: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          ),
        );
      }
      const auth = parsed.data;
      const client = await findClientBySiteKey(orm.em.fork(), auth.siteKey);
      if (!client) return next(connectError('invalid_site_key'));
      if (client.status !== 'active') return next(connectError('client_paused'));
      if (!originAllowed(client, socket.handshake.headers.origin, socket.handshake.headers.host))
        return next(connectError('origin_not_allowed'));
      let verifiedUserId: string | null = null;
      if (auth.identityToken) {
        const check = verifyIdentity(client.identitySecret, auth.identityToken);
        if (!check.ok) return next(connectError('invalid_signature', check.reason));
        verifiedUserId = check.userId;
      }
      // The visitor token is a bearer credential for the visitor's conversation: only one this
      // server signed for this client resumes it. Anything else is a new visitor, never an error,
      // so a prober learns nothing about which ids exist.
      const visitorId = visitorTokens.verify(client.id, auth.visitorToken) ?? visitorTokens.issue(client.id).visitorId;
      socket.data = { clientId: client.id, visitorId, conversationId: null, leadId: null, verifiedUserId };
      handshakeClients.set(socket, client);
      next();
    } catch (err) {
      logger.error({ err }, 'widget handshake failed');
      next(connectError('internal'));
    }
  });

  nsp.on('connection', (socket) => {
    const { clientId, visitorId } = socket.data;
    const lastSeq = widgetHandshakeSchema.shape.lastSeq.safeParse(socket.handshake.auth?.lastSeq).data ?? 0;
    registerHandlers(socket, options);
    socket.join(visitorRoom(clientId, visitorId));
    void (async () => {
      try {
        // The client checked by the handshake a moment ago.
        const client = handshakeClients.get(socket) ?? (await loadClient(orm, clientId));
        handshakeClients.delete(socket);
        const conversation = await core.findVisitorConversation(clientId, visitorId);
        if (conversation) {
          socket.data.conversationId = conversation.id;
          socket.data.leadId = conversation.leadId;
          socket.join(conversationRoom(conversation.id));
        }
        socket.emit('session:ready', {
          visitorId,
          // The same token the visitor presented, or the first one of a new visitor.
          visitorToken: visitorTokens.tokenFor(clientId, visitorId),
          conversationId: conversation?.id ?? null,
          businessName: client.name,
          mode: conversation?.mode ?? 'ai',
          lastSeq: conversation?.lastSeq ?? 0,
        });
        // Replay from the database, not from memory: it works after a restart
        // and whichever process the visitor reconnects to.
        if (conversation && conversation.lastSeq > lastSeq) {
          const missed = await core.messagesAfter(clientId, conversation.id, lastSeq, {
            limit: options.replayLimit ?? 500,
          });
          for (const message of missed) {
            socket.emit('message:created', {
              message: visitorView(message),
              ...(message.ai?.quickReplies ? { quickReplies: message.ai.quickReplies } : {}),
            });
          }
        }
        // A reply streaming now (e.g. the visitor reconnected mid-sentence): the text so far,
        // by index, so deltas that also reached the room meanwhile overwrite instead of doubling.
        const live = conversation && options.live?.get(conversation.id);
        if (live) {
          socket.emit('reply:started', { messageId: live.messageId, conversationId: conversation.id });
          for (const [index, text] of live.parts.entries()) {
            if (text !== undefined) socket.emit('reply:delta', { messageId: live.messageId, index, text });
          }
        }
      } catch (err) {
        logger.error({ err, clientId }, 'widget session setup failed');
        socket.emit('error', { code: 'internal', message: 'could not load the conversation' });
      }
    })();
  });

  return nsp;
}

function registerHandlers(socket: WidgetSocket, options: WidgetNamespaceOptions): void {
  const { orm, core, limits, logger } = options;
  const { clientId, visitorId } = socket.data;

  const fail = <T>(ack: ((res: Ack<T>) => void) | undefined, err: unknown) => {
    const { body, expected } = toErrorBody(err);
    if (!expected) logger.error({ err, clientId }, 'widget event failed');
    // Events without an ack (typing, read) report through the `error` event; rate limits always do.
    if (body.code === 'rate_limited' || typeof ack !== 'function') {
      socket.emit('error', { code: body.code, message: body.message });
    }
    if (typeof ack === 'function') ack({ ok: false, error: body });
  };
  const joinConversation = (conversationId: string, leadId: string | null) => {
    if (socket.data.conversationId !== conversationId) {
      socket.data.conversationId = conversationId;
      socket.join(conversationRoom(conversationId));
    }
    socket.data.leadId = leadId;
  };

  socket.on('message:send', async (payload, ack) => {
    try {
      const input = parseInput(sendMessageSchema, payload, 'payload');
      await limits.consume([
        { limiter: 'visitor', key: `${clientId}:${visitorId}` },
        { limiter: 'siteKey', key: clientId },
      ]);
      const result = await core.receiveVisitorMessage({
        clientId,
        visitorId,
        clientMessageId: input.clientMessageId,
        content: input.content,
        quickReplyId: input.quickReplyId,
        contact: socket.data.verifiedUserId ? { handles: { app_user: socket.data.verifiedUserId } } : undefined,
        loadClient: () => loadClient(orm, clientId),
      });
      joinConversation(result.conversation.id, result.leadId);
      if (typeof ack === 'function') ack({ ok: true, data: { message: result.message, duplicate: result.duplicate } });
    } catch (err) {
      fail(ack, err);
    }
  });

  socket.on('visitor:identify', async (payload, ack) => {
    try {
      const input = parseInput(identifySchema, payload, 'payload');
      const client = await loadClient(orm, clientId);
      let userId = socket.data.verifiedUserId ?? null;
      if (input.identityToken) {
        const check = verifyIdentity(client.identitySecret, input.identityToken);
        if (!check.ok) throw new AppError('invalid_signature', check.reason);
        userId = check.userId;
        socket.data.verifiedUserId = userId;
      }
      if (client.config.requireSignedIdentity && !userId) {
        throw new AppError('unauthorized', 'this site requires a server-signed identity token to identify a visitor');
      }
      const { leadId } = await core.identifyVisitor(client, visitorId, {
        name: input.name,
        email: input.email,
        phone: input.phone,
        handles: userId ? { app_user: userId } : undefined,
      });
      socket.data.leadId = leadId;
      if (typeof ack === 'function') ack({ ok: true, data: { leadId } });
    } catch (err) {
      fail(ack, err);
    }
  });

  socket.on('visitor:typing', (payload) => {
    let input: z.infer<typeof typingSchema>;
    try {
      input = parseInput(typingSchema, payload, 'payload');
    } catch (err) {
      return fail(undefined, err);
    }
    const conversationId = socket.data.conversationId;
    if (!conversationId) return;
    core.events.emit('visitor.typing', {
      clientId,
      conversationId,
      channel: 'web',
      visitorId,
      typing: input.typing,
    });
  });

  socket.on('message:read', (payload) => {
    let input: z.infer<typeof readSchema>;
    try {
      input = parseInput(readSchema, payload, 'payload');
    } catch (err) {
      return fail(undefined, err);
    }
    const conversationId = socket.data.conversationId;
    if (!conversationId) return;
    core.events.emit('visitor.read', {
      clientId,
      conversationId,
      channel: 'web',
      visitorId,
      upToSeq: input.upToSeq,
    });
  });

  socket.on('history:sync', async (payload, ack) => {
    try {
      const input = parseInput(historySyncSchema, payload, 'payload');
      const conversationId = socket.data.conversationId;
      const messages = conversationId
        ? await core.messagesAfter(clientId, conversationId, input.afterSeq, {
            limit: options.replayLimit ?? 500,
          })
        : [];
      if (typeof ack === 'function') ack({ ok: true, data: { messages: messages.map(visitorView) } });
    } catch (err) {
      fail(ack, err);
    }
  });
}

async function loadClient(orm: Orm, clientId: string): Promise<IClient> {
  const client = await orm.em.fork().findOne(Client, { id: clientId });
  if (!client) throw new AppError('invalid_site_key', 'unknown site key');
  if (client.status !== 'active') throw chatPausedError();
  return client;
}
