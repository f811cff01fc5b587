import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { createFreshPostgresDatabase, type DbKind } from './databases.js';

export interface TestServer extends RunningServer {
  config: Config;
  /** Stops the server and removes its data (database or directory). */
  dispose(): Promise<void>;
  /** Stops only the process-level server; the data stays (to test restarts). */
  restart(): Promise<TestServer>;
}

export interface TestServerOptions {
  db?: DbKind;
  env?: Record<string, string | undefined>;
  /** Where the server's JSON log lines go (set LOG_LEVEL in env to see them), to assert on them. */
  logStream?: import('pino').DestinationStream;
  /** The clock auth decisions use (token expiry, lockout, TOTP). */
  clock?: () => Date;
  /**
   * Embedded only: start from an empty database that the server migrates, rather than from a copy of one
   * migrated once per test run (the default: creating and migrating a PGlite database costs seconds of CPU).
   */
  emptyDatabase?: boolean;
  /** Reuse the data of a previous server (restart tests). */
  reuse?: { dataDir?: string; databaseUrl?: string };
}

/** A real server on port 0 with its own database, as main.ts would build it. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const kind = options.db ?? 'embedded';
  let dataDir = options.reuse?.dataDir;
  let databaseUrl = options.reuse?.databaseUrl;
  let drop: (() => Promise<void>) | undefined;
  if (kind === 'embedded' && !dataDir) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-test-'));
    if (!options.emptyDatabase)
      await fs.cp(await embeddedTemplate(), path.join(dataDir, 'pglite'), { recursive: true });
  }
  if (kind === 'postgres' && !databaseUrl) {
    const fresh = await createFreshPostgresDatabase();
    databaseUrl = fresh.url;
    drop = fresh.drop;
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: dataDir ?? os.tmpdir(),
    DATABASE_URL: kind === 'postgres' ? databaseUrl : undefined,
    // Test servers share one PostgreSQL (max_connections 100) with the processes beside them.
    DATABASE_POOL_MAX: '4',
    ...options.env,
  });
  const logger = createLogger({
    level: config.logLevel,
    pretty: false,
    destination: options.logStream,
    redactPersonalData: config.raw.LOG_REDACT_PERSONAL_DATA,
  });
  const server = await startServer(config, logger, { clock: options.clock });
  const test: TestServer = {
    ...server,
    config,
    async dispose() {
      await server.stop();
      if (drop) await drop();
      if (kind === 'embedded' && dataDir && !options.reuse?.dataDir) {
        await fs.rm(dataDir, { recursive: true, force: true });
      }
    },
    async restart() {
      await server.stop();
      const next = await startTestServer({ ...options, db: kind, reuse: { dataDir, databaseUrl } });
      // The restarted server owns cleanup of the original data.
      const nextDispose = next.dispose;
      next.dispose = async () => {
        await nextDispose();
        if (drop) await drop();
        if (kind === 'embedded' && dataDir) await fs.rm(dataDir, { recursive: true, force: true });
      };
      return next;
    },
  };
  return test;
}

const migrationsDir = path.resolve(import.meta.dirname, '../../src/db/migrations');
let template: Promise<string> | undefined;

/**
 * An empty embedded database with every migration applied, made once per test run and migrations
 * version (its name hashes the migration files), shared by the test workers: each embedded test server
 * starts on a copy. Built in a directory of its own and renamed into place, so workers racing to build
 * it all end up with one complete copy.
 */
function embeddedTemplate(): Promise<string> {
  template ??= (async () => {
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256');
    for (const file of (await fs.readdir(migrationsDir)).sort()) {
      hash.update(file).update(await fs.readFile(path.join(migrationsDir, file)));
    }
    const target = path.join(os.tmpdir(), `ld-pglite-template-${hash.digest('hex').slice(0, 16)}`);
    if (await fs.stat(path.join(target, 'PG_VERSION')).catch(() => null)) return target;
    const work = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-pglite-build-'));
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATA_DIR: work });
    const db = await openDatabase(config, createLogger({ level: 'silent', pretty: false }));
    await db.close();
    await fs.rename(path.join(work, 'pglite'), target).catch(async (err: NodeJS.ErrnoException) => {
      // Another worker got there first: its copy is the same.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
    await fs.rm(work, { recursive: true, force: true });
    return target;
  })();
  return template;
}
