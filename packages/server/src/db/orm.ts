import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { ALL_ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export type Orm = MikroORM;

export interface OrmOptions {
  url: string;
  /** The embedded database takes exactly one connection (see embedded-postgres.ts). */
  poolMax: number;
  logger?: Logger;
  debug?: boolean;
}

export function ormConfig(options: OrmOptions): Options {
  return {
    clientUrl: options.url,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    pool: { min: 0, max: options.poolMax },
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
