import {
  type Ack,
  type Action,
  assignSchema,
  conversationRefSchema,
  findUnstorableText,
  noteCreateSchema,
  type Role,
  STAFF_COMMAND_ACTIONS,
  type StaffClientToServer,
  type StaffMember,
  type StaffServerToClient,
  type StaffSocketData,
  staffHandshakeSchema,
  staffSendSchema,
  staffTypingSchema,
  suggestionDiscardSchema,
} from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Namespace, Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { type AuthService, agencyIdOf } from '../auth/auth-service.js';
import { assertPermission, resolveCaller } from '../auth/principal.js';
import { Client, type IClient, User, UserSession } from '../db/entities/index.js';
import type { Orm } from '../db/orm.js';
import { AppError, toErrorBody } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import type { Logger } from '../logger.js';
import type { StaffActor, StaffDesk } from '../staff/staff-desk.js';
import type { LiveReplies } from './live-replies.js';
import { acrossProcesses, finishBeforeClose } from './socket-server.js';

// biome-ignore lint/complexity/noBannedTypes: Socket.IO's own "no inter-server events" type.
type NoInterServerEvents = {};
export type StaffNamespace = Namespace<StaffClientToServer, StaffServerToClient, NoInterServerEvents, StaffSocketData>;
export type StaffSocket = Socket<StaffClientToServer, StaffServerToClient, NoInterServerEvents, StaffSocketData>;

/** Every staff member of one client (inbox updates). */
export const staffClientRoom = (clientId: string) => `client:${clientId}`;
/** One staff member's sockets (mentions, assignments). */
export const staffUserRoom = (userId: string) => `user:${userId}`;
/** Staff who have a conversation open (typing, AI status, streaming, presence). */
export const staffConversationRoom = (conversationId: string) => `conversation:${conversationId}`;

export interface StaffNamespaceOptions {
  orm: Orm;
  auth: AuthService;
  desk: StaffDesk;
  logger: Logger;
  /** Tells the visitor a staff member is typing. */
  visitorTyping(conversationId: string, name: string, typing: boolean): void;
  /** The reply streaming now, returned with `conversation:open` so a mid-reply open shows its text. */
  live?: LiveReplies;
  /** Longest wait for the other processes' part of the presence; then this process's part alone. @default 1000 */
  requestTimeoutMs?: number;
}

function connectError(code: string, message: string) {
  const err = new Error(code) as Error & { data: { code: string; message: string } };
  err.data = { code, message };
  return err;
}

/**
 * The `/staff` namespace. The handshake carries a staff access token (the
 * same JWT as the REST API) and, for super admins, the client to act for.
 * Every command is checked against the policy table with the member's
 * current role (read per event, so a demotion, a disabled account or a
 * signed-out session takes effect at once), its payload parsed with the shared schema, and the
 * conversation it names must belong to the socket's client.
 */
export function attachStaffNamespace(io: Server, options: StaffNamespaceOptions): StaffNamespace {
  const { orm, auth, logger } = options;
  const nsp = io.of('/staff') as unknown as StaffNamespace;

  nsp.use(async (socket, next) => {
    const parsed = staffHandshakeSchema.safeParse(socket.handshake.auth ?? {});
    if (!parsed.success || findUnstorableText(socket.handshake.auth))
      return next(connectError('unauthorized', 'send a staff access token as auth.token'));
    try {
      const em = orm.em.fork() as EntityManager;
      const { principal, client } = await resolveCaller(auth, em, parsed.data.token, parsed.data.clientId);
      if (principal.kind !== 'user' || !principal.user) {
        throw new AppError('unauthorized', 'the staff socket needs a staff access token, not an API key');
      }
      assertPermission(principal, client, 'conversations:read');
      socket.data = {
        userId: principal.user.id,
        name: principal.user.name,
        clientId: (client as IClient).id,
        sessionId: principal.sessionId ?? '',
      };
      next();
    } catch (err) {
      const { body, expected } = toErrorBody(err);
      if (!expected) logger.error({ err }, 'staff handshake failed');
      next(connectError(body.code, body.message));
    }
  });

  let lastDegradedLog = 0;
  const presence = new Presence(nsp, options.requestTimeoutMs ?? 1000, (reason) => {
    // Once a minute at most: while a process hangs, every open would say it.
    if (Date.now() - lastDegradedLog < 60_000) return;
    lastDegradedLog = Date.now();
    logger.warn({ reason }, 'staff presence from this process only: another process did not answer');
  });

  nsp.on('connection', (socket) => {
    socket.join([staffClientRoom(socket.data.clientId), staffUserRoom(socket.data.userId)]);
    registerHandlers(socket, options, presence);
    socket.on('disconnecting', () => {
      const rooms = [...socket.rooms].filter((r) => r.startsWith('conversation:'));
      // After the socket has left, tell the others who is still there.
      setImmediate(() => {
        for (const room of rooms) finishBeforeClose(io, presence.broadcast(room.slice('conversation:'.length)));
      });
    });
  });

  return nsp;
}

/**
 * Who has a conversation open, across processes. Best effort: a process that does not answer within the
 * budget (hung, stopped, overloaded) is left out rather than failing `conversation:open` everywhere.
 */
class Presence {
  constructor(
    private readonly nsp: StaffNamespace,
    private readonly timeoutMs: number,
    private readonly onDegraded: (reason: string) => void,
  ) {}

  async of(conversationId: string): Promise<StaffMember[]> {
    const room = staffConversationRoom(conversationId);
    const sockets = await acrossProcesses(
      () => this.nsp.in(room).fetchSockets(),
      () => this.nsp.in(room).local.fetchSockets(),
      this.timeoutMs,
      this.onDegraded,
    );
    const byUser = new Map<string, StaffMember>();
    for (const s of sockets) byUser.set(s.data.userId, { userId: s.data.userId, name: s.data.name });
    return [...byUser.values()];
  }

  async broadcast(conversationId: string): Promise<StaffMember[]> {
    const staff = await this.of(conversationId);
    this.nsp.to(staffConversationRoom(conversationId)).emit('staff:presence', { conversationId, staff });
    return staff;
  }
}

function registerHandlers(socket: StaffSocket, options: StaffNamespaceOptions, presence: Presence): void {
  const { orm, desk, logger } = options;
  const { clientId, userId } = socket.data;

  /** The member as they are now (role, name, account and client still active), allowed to do `action`. */
  const actorFor = async (action: Action): Promise<StaffActor> => {
    const em = orm.em.fork() as EntityManager;
    const [user, session] = await Promise.all([
      em.findOne(User, { id: userId }, { populate: ['client'] }),
      em.findOne(UserSession, { id: socket.data.sessionId }),
    ]);
    if (!user || user.disabledAt || !session || session.revokedAt) {
      // Answer first, then end the socket (the dashboard signs in again).
      setImmediate(() => socket.disconnect(true));
      throw new AppError('unauthorized', user?.disabledAt ? 'this account is disabled' : 'this session has ended');
    }
    // The same choice as the handshake, read again: an agency member moved out of the agency, or a client
    // moved to another agency, loses the socket's client at once.
    const client = await options.auth.clientFor(em, user, clientId);
    const agencyId = agencyIdOf(user) ?? undefined;
    assertPermission({ kind: 'user', role: user.role as Role, userId: user.id, agencyId }, client, action);
    return { userId: user.id, name: user.name, role: user.role as Role, clientId };
  };

  const fail = <T>(ack: ((res: Ack<T>) => void) | undefined, err: unknown) => {
    const { body, expected } = toErrorBody(err);
    if (!expected) logger.error({ err, clientId }, 'staff event failed');
    if (typeof ack === 'function') ack({ ok: false, error: body });
    else socket.emit('error', { code: body.code, message: body.message });
  };

  /** Registers a command: policy check, payload parsing, ack translation. */
  const command = <E extends keyof StaffClientToServer, S extends z.ZodType, T>(
    event: E,
    schema: S,
    run: (actor: StaffActor, input: z.infer<S>) => Promise<T>,
  ) => {
    const handler = async (payload: unknown, ack?: (res: Ack<T>) => void) => {
      try {
        const actor = await actorFor(STAFF_COMMAND_ACTIONS[event]);
        const input = parseInput(schema, payload, 'payload');
        const data = await run(actor, input);
        if (typeof ack === 'function') ack({ ok: true, data });
      } catch (err) {
        fail(ack, err);
      }
    };
    (socket.on as (event: string, listener: (...args: unknown[]) => void) => void)(
      event,
      (payload, ack) => void handler(payload, ack as ((res: Ack<T>) => void) | undefined),
    );
  };

  command('conversation:open', conversationRefSchema, async (actor, { conversationId }) => {
    const opened = await desk.open(actor, conversationId);
    await socket.join(staffConversationRoom(conversationId));
    const staff = await presence.broadcast(conversationId);
    // Read after the join: later deltas reach this socket after the answer and extend this text.
    const live = options.live?.get(conversationId);
    const streaming = live ? { messageId: live.messageId, text: live.parts.join('') } : null;
    return { ...opened, presence: staff, streaming };
  });

  command('conversation:close', conversationRefSchema, async (_actor, { conversationId }) => {
    await socket.leave(staffConversationRoom(conversationId));
    await presence.broadcast(conversationId);
    return null;
  });

  command('conversation:takeover', conversationRefSchema, async (actor, { conversationId }) => ({
    conversation: await desk.takeover(actor, conversationId),
  }));

  command('conversation:handback', conversationRefSchema, async (actor, { conversationId }) => ({
    conversation: await desk.handback(actor, conversationId),
  }));

  command('conversation:assign', assignSchema, async (actor, input) => ({
    conversation: await desk.assign(actor, input.conversationId, input.assigneeId),
  }));

  command('message:send', staffSendSchema, (actor, input) => desk.send(actor, input));

  command('note:create', noteCreateSchema, (actor, input) => desk.note(actor, input));

  command('staff:typing', staffTypingSchema, async (actor, input) => {
    await desk.conversation(actor, input.conversationId);
    socket
      .to(staffConversationRoom(input.conversationId))
      .emit('staff:typing', { conversationId: input.conversationId, userId, name: actor.name, typing: input.typing });
    options.visitorTyping(input.conversationId, actor.name, input.typing);
    return null;
  });

  command('copilot:suggest', conversationRefSchema, (actor, { conversationId }) => {
    const controller = new AbortController();
    const stop = () => controller.abort('disconnected');
    socket.once('disconnect', stop);
    return desk
      .suggest(
        actor,
        conversationId,
        (text, suggestionId) => {
          socket.emit('suggestion:delta', { suggestionId, conversationId, text });
        },
        controller.signal,
      )
      .finally(() => socket.off('disconnect', stop));
  });

  command('suggestion:discard', suggestionDiscardSchema, async (actor, { suggestionId }) => {
    await desk.discard(actor, suggestionId);
    return null;
  });
}
