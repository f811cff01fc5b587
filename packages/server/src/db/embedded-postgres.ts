import fs from 'node:fs/promises';
import os from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { claimOwnership, type OwnerLock, type OwnerRecord, ownerLockPath } from './owner-lock.js';
import { gateExtendedProtocol } from './pglite-session-gate.js';

/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM) persisted under
 * DATA_DIR, served over the PostgreSQL wire protocol on a private loopback
 * port so MikroORM talks to it through the same `pg` driver as in production.
 *
 * PGlite is single-session; pglite-socket multiplexes sockets onto it, and the
 * session gate (pglite-session-gate.ts) makes it hand the session to one socket
 * per whole exchange or transaction. Each process still uses a pool of one
 * connection (see orm.ts), so its own statements never wait behind each other
 * inside the multiplexer.
 *
 * Only one process opens the directory (owner-lock.ts): the owner serves it on
 * its socket and publishes the address in the lock; a CLI started meanwhile
 * connects to that address instead (`joined`).
 */
export interface EmbeddedPostgres {
  url: string;
  /** `opened`: this process opened the directory and serves it; `joined`: it uses the owner's socket. */
  role: 'opened' | 'joined';
  /** The owner's pid (this process when `opened`). */
  ownerPid: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory to persist into; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  port?: number;
  /** Who opens it, named to those that find it taken (`server`, `onboard`, …). */
  command: string;
  /**
   * What to do when another live process owns the directory: `refuse` (a server:
   * two would each keep their own copy) or `join` (a CLI: talk to the owner's socket).
   * @default 'refuse'
   */
  whenOwned?: 'refuse' | 'join';
}

/** Another process owns the embedded database directory. */
export class EmbeddedDatabaseInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: OwnerRecord,
  ) {
    const state = owner.address ? `serving it on ${owner.address}` : 'starting or stopping';
    super(
      `the embedded database in ${dataDir} is in use by process ${owner.pid} (${owner.command} on ${owner.hostname}, ` +
        `since ${owner.startedAt}, ${state}). Stop that process first; the CLIs (onboard, create-admin, db:migrate) ` +
        `work while it runs. To run several servers, set DATABASE_URL to a PostgreSQL server.`,
    );
    this.name = 'EmbeddedDatabaseInUseError';
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (options.dataDir.startsWith('memory://')) {
    const served = await serve(options.dataDir, options.port);
    return { url: served.url, role: 'opened', ownerPid: process.pid, stop: served.stop };
  }
  const lockPath = ownerLockPath(options.dataDir);
  const joining = options.whenOwned === 'join';
  // A CLI waits a while for a server that is still starting (migrations) rather than fail at once.
  const claim = await claimOwnership(lockPath, { command: options.command, waitForAddressMs: joining ? 30_000 : 0 });
  if (claim.kind === 'taken') {
    // The address is on the owner's loopback: reachable only from the same host.
    const { address, hostname } = claim.owner;
    if (!joining || !address || hostname !== os.hostname()) {
      throw new EmbeddedDatabaseInUseError(options.dataDir, claim.owner);
    }
    return {
      url: urlFor(address),
      role: 'joined',
      ownerPid: claim.owner.pid,
      async stop() {},
    };
  }
  const lock = claim.lock;
  let served: Awaited<ReturnType<typeof serve>>;
  try {
    await fs.mkdir(options.dataDir, { recursive: true });
    served = await serve(options.dataDir, options.port);
    await lock.publish(served.address);
  } catch (err) {
    await lock.release();
    throw err;
  }
  return {
    url: served.url,
    role: 'opened',
    ownerPid: process.pid,
    async stop() {
      await stopOwned(lock, served.stop);
    },
  };
}

async function stopOwned(lock: OwnerLock, stop: () => Promise<void>) {
  // Withdraw the address first: from now until the lock goes, others see a busy owner, not a dead one.
  await lock.publish(null).catch(() => {});
  try {
    await stop();
  } finally {
    await lock.release();
  }
}

async function serve(dataDir: string, port = 0) {
  const db = await PGlite.create(dataDir, { extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const server: PGLiteSocketServer = new PGLiteSocketServer({
    db: gateExtendedProtocol(db, { kick: () => kickQueue(server) }),
    host: '127.0.0.1',
    port,
    maxConnections: 8,
  });
  try {
    await server.start();
  } catch (err) {
    await db.close();
    throw err;
  }
  const address = server.getServerConn();
  return {
    address,
    url: urlFor(address),
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

function urlFor(address: string) {
  return `postgresql://postgres:postgres@${address}/postgres`;
}

/**
 * pglite-socket 0.0.22 serves its queue only when a message arrives; its queue
 * manager is not public API, so this is guarded: without it, clients waiting
 * behind a quiet holder are served at the next message of anyone.
 */
export function kickQueue(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: { processQueue?: () => Promise<void> } }).queryQueue;
  queue?.processQueue?.().catch(() => {});
}
