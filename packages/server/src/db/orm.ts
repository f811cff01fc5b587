import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import pg from 'pg';
import type { Logger } from 'pino';
import { ALL_ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export type Orm = MikroORM;

export interface OrmOptions {
  url: string;
  /** The embedded database takes exactly one connection (see embedded-postgres.ts). */
  poolMax: number;
  /** Connections kept open while idle (default 0). */
  poolMin?: number;
  logger?: Logger;
  debug?: boolean;
}

export function ormConfig(options: OrmOptions): Options {
  return {
    clientUrl: options.url,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    pool: { min: options.poolMin ?? 0, max: options.poolMax },
    migrations: {
      migrationsList: MIGRATIONS,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    debug: options.debug ?? false,
    forceUtcTimezone: true,
    allowGlobalContext: false,
    logger: (msg) => options.logger?.debug({ orm: true }, msg),
  };
}

export async function connectOrm(options: OrmOptions): Promise<Orm> {
  return MikroORM.init(ormConfig(options));
}

export async function migrate(orm: Orm): Promise<string[]> {
  const done = await orm.getMigrator().up();
  return done.map((m) => m.name);
}

/** Migrations this build has that the database has not run. */
export async function pendingMigrations(orm: Orm): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}

/** The database refuses to serve: it misses migrations and this process was told not to apply them. */
export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `the database is missing ${pending.length} migration${pending.length === 1 ? '' : 's'} ` +
        `(${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', …' : ''}) and MIGRATE_ON_START=false: ` +
        'run `pnpm db:migrate` (the release step) first, or start with MIGRATE_ON_START=true',
    );
    this.name = 'PendingMigrationsError';
  }
}

/**
 * Keys of the session-level advisory locks (arbitrary constants: `ld` + a word in ASCII). Advisory locks
 * are per database, so deployments on one PostgreSQL server do not meet.
 */
export const LOCK_KEYS = {
  /** Held while the schema changes. */
  migrations: 0x6c646d696772n,
  /** Held while a first start seeds the demo client. */
  firstRun: 0x6c6473656564n,
} as const;

/**
 * Runs `body` while holding an advisory lock, taken on a connection of its own (not the ORM's pool,
 * whose connections MikroORM's migrator takes and gives back as it pleases). Processes started together on
 * an empty database queue here: the first migrates, the others find nothing left to do. Session-level, so
 * a process that dies holding it lets go with its connection (its migration transaction rolls back).
 * Not taken on the embedded database (see openDatabase): one process owns it, and every socket shares
 * PGlite's one session, where the lock would never wait anyway.
 */
export async function withAdvisoryLock<T>(
  url: string,
  key: bigint,
  logger: Logger | undefined,
  body: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'leaddesk-lock' });
  // A dropped lock connection surfaces in the unlock below; without a listener it would crash the process.
  client.on('error', () => {});
  await client.connect();
  try {
    const id = key.toString();
    const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [id]);
    if (!rows[0]?.ok) {
      logger?.info({ lock: id }, 'another process holds the lock (migrating or seeding): waiting for it');
      await client.query('select pg_advisory_lock($1::bigint)', [id]);
    }
    try {
      return await body();
    } finally {
      await client.query('select pg_advisory_unlock($1::bigint)', [id]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
