import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server, type Socket } from 'socket.io';
import type { Logger } from '../logger.js';

export interface RealtimeOptions {
  redisUrl?: string;
  /** Prefix of the adapter's Redis channels (REDIS_PREFIX): deployments sharing a Redis stay apart. @default '' */
  redisPrefix?: string;
  /**
   * Longest wait for other processes to answer a cross-process request (fetchSockets); a hung process
   * then counts as absent. @default 1000
   */
  requestTimeoutMs?: number;
  /** True while the process shuts down: new connections are refused from then on. */
  refuseNew?: () => boolean;
  logger: Logger;
}

export interface Realtime {
  io: Server;
  /** Longest wait for another process's answer (see `acrossProcesses`). */
  requestTimeoutMs: number;
  /**
   * Refuses new connections from now on and closes this process's sockets one by one over `spreadMs`
   * (the clients see `io server disconnect`, the widget's cue to reconnect, through the load balancer, to
   * another process). Resolves when the last is closed.
   */
  drain(spreadMs: number): Promise<void>;
  /**
   * Refuses new connections and closes this process's sockets at once, keeping the adapter: work still
   * running (job workers, replies) goes on reaching the other processes' sockets until `close`.
   */
  disconnectLocal(): void;
  /** Closes the engine and the adapter's Redis connections, after what they had in flight is answered. */
  close(): Promise<void>;
}

/**
 * Socket.IO on the HTTP server. With REDIS_URL the Redis adapter lets several
 * server processes share rooms; without it rooms live in memory. CORS for the
 * widget namespace is checked per tenant in the handshake, not here.
 *
 * Without an HTTP server (a `worker` process) nobody connects, but what it
 * emits to rooms (streamed replies, staff updates) still reaches the sockets
 * of the web processes through the adapter.
 *
 * No connection-state recovery: it keeps every broadcast packet of every room
 * (deltas included, and rooms nobody is in) in memory for the recovery
 * window, which measurably lengthened every garbage-collection pause on the
 * reply path. A reconnecting socket gets stored messages from the database
 * (on any process) and, from the process running it, the reply still
 * streaming (`LiveReplies`).
 */
/** Work that emits through an adapter after its socket left (see `finishBeforeClose`), per server. */
const lateWork = new WeakMap<Server, Set<Promise<unknown>>>();

/**
 * Registers work started by a socket leaving (a presence update to the other processes) that must reach the
 * adapter before it closes: `close` waits for it, at most `requestTimeoutMs` and a little more.
 */
export function finishBeforeClose(io: Server, work: Promise<unknown>): void {
  const pending = lateWork.get(io);
  if (!pending) return;
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  pending.add(settled);
  void settled.then(() => pending.delete(settled));
}

export function createRealtime(httpServer: HttpServer | null, options: RealtimeOptions): Realtime {
  let draining = false;
  const serverOptions = {
    cors: { origin: true, credentials: false },
    serveClient: false,
    // Checked for new connections only (an existing long-polling session keeps its requests).
    allowRequest: (_req: unknown, answer: (err: string | null | undefined, success: boolean) => void) => {
      const refuse = draining || Boolean(options.refuseNew?.());
      answer(refuse ? 'server draining' : null, !refuse);
    },
  };
  const io = httpServer ? new Server(httpServer, serverOptions) : new Server(serverOptions);
  const requestTimeoutMs = options.requestTimeoutMs ?? 1000;
  const pending = new Set<Promise<unknown>>();
  lateWork.set(io, pending);
  let pub: Redis | undefined;
  let sub: Redis | undefined;
  if (options.redisUrl) {
    pub = catchUnawaitedPublishes(new Redis(options.redisUrl, { maxRetriesPerRequest: 2 }), options.logger);
    sub = pub.duplicate();
    pub.on('error', (err) => options.logger.warn({ err: err.message }, 'socket.io redis publisher error'));
    sub.on('error', (err) => options.logger.warn({ err: err.message }, 'socket.io redis subscriber error'));
    io.adapter(
      createAdapter(pub, sub, {
        key: `${options.redisPrefix ?? ''}socket.io`,
        // Every request to the other processes (fetchSockets, allRooms, serverSideEmit with acks) gives
        // up after this; callers degrade to what this process knows (see acrossProcesses).
        requestsTimeout: requestTimeoutMs,
      }),
    );
  }
  const localSockets = () => [...io._nsps.values()].flatMap((nsp) => [...nsp.sockets.values()] as Socket[]);
  return {
    io,
    requestTimeoutMs,
    async drain(spreadMs) {
      draining = true;
      const sockets = localSockets();
      if (!sockets.length) return;
      // In at most 50 steps: thousands of sockets need not mean thousands of timers.
      const steps = Math.min(sockets.length, 50);
      const perStep = Math.ceil(sockets.length / steps);
      const pause = spreadMs / steps;
      for (let i = 0; i < steps; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, pause));
        for (const socket of sockets.slice(i * perStep, (i + 1) * perStep)) closeForReconnect(socket);
      }
    },
    disconnectLocal() {
      draining = true;
      // Only this process's sockets (io.disconnectSockets would ask every process through the adapter).
      for (const socket of localSockets()) socket.disconnect(true);
    },
    async close() {
      draining = true;
      if (httpServer) for (const socket of localSockets()) socket.disconnect(true);
      // Sockets that just left still tell the other processes (their handlers run on the next turns).
      await new Promise((resolve) => setImmediate(resolve));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(pending),
        new Promise((resolve) => {
          timer = setTimeout(resolve, requestTimeoutMs + 500);
        }),
      ]);
      clearTimeout(timer);
      if (httpServer) {
        await new Promise<void>((resolve) => {
          io.close(() => resolve());
        });
      } else {
        // No engine to close: leave the adapter's channels.
        await Promise.allSettled([...io._nsps.values()].map(async (nsp) => nsp.adapter.close()));
      }
      // QUIT, not a disconnect: commands already sent (the adapter's unsubscribes, a last publish) are
      // answered first. A disconnect rejects them with "Connection is closed", where nobody awaits them.
      await Promise.all([pub, sub].map((client) => client && quitWithin(client, 1000)));
    },
  };
}

/**
 * The Redis adapter publishes broadcasts and cross-process requests without awaiting the result, so a publish
 * that fails (Redis gone, or an emit racing the shutdown) would be an unhandled rejection. Failures are
 * logged here instead; the readiness probe reports a Redis outage.
 */
function catchUnawaitedPublishes(client: Redis, logger: Logger): Redis {
  const publish = client.publish.bind(client) as (channel: string, message: string | Buffer) => Promise<number>;
  const guarded = (channel: string, message: string | Buffer) =>
    publish(channel, message).catch((err: Error) => {
      logger.warn({ err: err.message }, 'socket.io redis publish failed');
      return 0;
    });
  Object.assign(client, { publish: guarded });
  return client;
}

/** QUIT and wait for its answer (every earlier command is answered before it), or disconnect after `ms`. */
async function quitWithin(client: Redis, ms: number): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.quit().catch(() => undefined),
    new Promise((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
  client.disconnect();
}

/**
 * Ends a socket so that its client comes back (to another process, through the load balancer). The widget
 * and the dashboard (realtime.ts) reconnect on `io server disconnect`, with jittered backoff; other clients
 * of socket.io-client only after a lost transport, so other namespaces' connections are closed under them.
 */
function closeForReconnect(socket: Socket): void {
  if (!socket.connected) return;
  if (socket.nsp.name === '/widget') socket.disconnect(true);
  else socket.conn.close();
}

/**
 * A request to every process (`fetchSockets` and the like) that never waits longer than `timeoutMs` nor
 * fails: a hung or dead process must not break this one's commands. On timeout or error the local answer
 * is used (what this process alone knows), and `onDegraded` hears why.
 */
export async function acrossProcesses<T>(
  everywhere: () => Promise<T>,
  local: () => Promise<T>,
  timeoutMs: number,
  onDegraded?: (reason: string) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const request = everywhere();
  const outcome = await Promise.race([
    request.then(
      (value) => ({ ok: true as const, value }),
      (err: unknown) => ({ ok: false as const, reason: err instanceof Error ? err.message : String(err) }),
    ),
    new Promise<{ ok: false; reason: string }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome.ok) return outcome.value;
  // The request may still reject later (the adapter's own timeout): already handled above.
  onDegraded?.(outcome.reason);
  return local();
}
