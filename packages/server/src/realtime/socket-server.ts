import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Logger } from '../logger.js';

export interface RealtimeOptions {
  redisUrl?: string;
  logger: Logger;
}

export interface Realtime {
  io: Server;
  close(): Promise<void>;
}

/**
 * Socket.IO on the HTTP server. With REDIS_URL the Redis adapter lets several
 * server processes share rooms; without it rooms live in memory. CORS for the
 * widget namespace is checked per tenant in the handshake, not here.
 *
 * No connection-state recovery: it keeps every broadcast packet of every room
 * (deltas included, and rooms nobody is in) in memory for the recovery
 * window, which measurably lengthened every garbage-collection pause on the
 * reply path. A reconnecting socket gets stored messages from the database
 * (on any process) and, from the process running it, the reply still
 * streaming (`LiveReplies`).
 */
export function createRealtime(httpServer: HttpServer, options: RealtimeOptions): Realtime {
  const io = new Server(httpServer, {
    cors: { origin: true, credentials: false },
    serveClient: false,
  });
  let pub: Redis | undefined;
  let sub: Redis | undefined;
  if (options.redisUrl) {
    pub = new Redis(options.redisUrl, { maxRetriesPerRequest: 2 });
    sub = pub.duplicate();
    pub.on('error', (err) => options.logger.warn({ err: err.message }, 'socket.io redis publisher error'));
    sub.on('error', (err) => options.logger.warn({ err: err.message }, 'socket.io redis subscriber error'));
    io.adapter(createAdapter(pub, sub));
  }
  return {
    io,
    async close() {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
      pub?.disconnect();
      sub?.disconnect();
    },
  };
}
