import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import {
  connectOrm,
  LOCK_KEYS,
  migrate,
  type Orm,
  PendingMigrationsError,
  pendingMigrations,
  withAdvisoryLock,
} from './orm.js';

/** The database as the rest of the server sees it, whichever kind runs underneath. */
export interface Database {
  orm: Orm;
  kind: 'embedded' | 'external';
  /** Whether pgvector is installed; semantic search falls back to full text without it. */
  pgvector: boolean;
  ping(): Promise<boolean>;
  /** Runs `body` while no other process holds the same lock (see withAdvisoryLock). */
  exclusively<T>(lock: keyof typeof LOCK_KEYS, body: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Named to other processes that find the embedded database taken. @default 'server' */
  command?: string;
  /**
   * Embedded only: when another process owns the data directory, `refuse`
   * (throws EmbeddedDatabaseInUseError) or `join` it through its socket (CLIs).
   * @default 'refuse'
   */
  whenOwned?: 'refuse' | 'join';
  /**
   * `apply` pending migrations, or `check` that none is pending (throws PendingMigrationsError).
   * @default MIGRATE_ON_START: `apply` when true
   */
  migrations?: 'apply' | 'check';
}

export async function openDatabase(
  config: Config,
  logger: Logger,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  let poolMax: number;
  let poolMin = 0;
  if (config.database.kind === 'embedded') {
    const started = Date.now();
    embedded = await startEmbeddedPostgres({
      dataDir: config.database.dataDir,
      port: config.database.port,
      command: options.command ?? 'server',
      whenOwned: options.whenOwned,
    });
    url = embedded.url;
    // One connection: PGlite is single-session behind the socket multiplexer. Kept while idle: the statements a
    // connection prepared stay in the shared session after it closes (sql.ts), so a pool that reaped and reopened
    // it would only pile up copies there.
    poolMax = 1;
    poolMin = 1;
    if (embedded.role === 'opened') {
      logger.info(
        { dataDir: config.database.dataDir, ms: Date.now() - started },
        'embedded PostgreSQL (PGlite) started',
      );
    } else {
      logger.info(
        { dataDir: config.database.dataDir, ownerPid: embedded.ownerPid },
        'embedded PostgreSQL is served by another process: using its socket',
      );
    }
  } else {
    url = config.database.url;
    poolMax = config.database.poolMax;
  }

  let orm: Orm;
  try {
    orm = await connectOrm({ url, poolMax, poolMin, logger });
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  // The embedded database has one owner process (owner-lock.ts) and PGlite one session that every socket
  // shares: an advisory lock would exclude nobody there, and its extra socket would only compete with the
  // pool's one connection. Only a PostgreSQL server, where processes really meet, takes it.
  const exclusively = <T>(key: bigint, body: () => Promise<T>) =>
    config.database.kind === 'external' ? withAdvisoryLock(url, key, logger, body) : body();
  const mode = options.migrations ?? (config.migrateOnStart ? 'apply' : 'check');
  let pgvector: boolean;
  try {
    // Everything that changes the schema, the extension included, under one lock: processes started
    // together on an empty database would otherwise race on the same catalog rows.
    pgvector = await exclusively(LOCK_KEYS.migrations, async () => {
      if (mode === 'apply') {
        const applied = await migrate(orm);
        if (applied.length) logger.info({ migrations: applied }, 'database migrated');
      } else {
        const pending = await pendingMigrations(orm);
        if (pending.length) throw new PendingMigrationsError(pending);
      }
      return detectPgvector(orm);
    });
  } catch (err) {
    await orm.close(true);
    await embedded?.stop();
    throw err;
  }
  if (!pgvector) {
    logger.warn('pgvector is not available on this database: semantic search falls back to full-text ranking');
  }

  return {
    orm,
    kind: config.database.kind,
    pgvector,
    async ping() {
      try {
        await orm.em.getConnection().execute('select 1');
        return true;
      } catch {
        return false;
      }
    },
    exclusively(lock, body) {
      return exclusively(LOCK_KEYS[lock], body);
    },
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}

async function detectPgvector(orm: Orm): Promise<boolean> {
  const conn = orm.em.getConnection();
  const available = await conn.execute<{ name: string }[]>(
    `select name from pg_available_extensions where name = 'vector'`,
  );
  if (available.length === 0) return false;
  try {
    await conn.execute('create extension if not exists vector');
    return true;
  } catch {
    return false;
  }
}
