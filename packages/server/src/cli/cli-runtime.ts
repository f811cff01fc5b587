import 'dotenv/config';
import { type Config, ConfigError, loadConfig } from '../config/config.js';
import { type Database, openDatabase } from '../db/database.js';
import { EmbeddedDatabaseInUseError } from '../db/embedded-postgres.js';
import { PendingMigrationsError } from '../db/orm.js';
import { createLogger, type Logger } from '../logger.js';

/** Exit codes shared by the CLIs (sysexits-style). */
export const EXIT = { ok: 0, usage: 64, dataErr: 65, software: 70, tempFail: 75, config: 78 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

/**
 * Runs a CLI body with the config and database, printing a clean message and
 * the right exit code on failure. Logs go to stderr so stdout stays parseable.
 * With the embedded database, a CLI started while the server runs goes through
 * the server's socket instead of opening the directory a second time.
 */
export async function runCli<T>(
  command: string,
  prepare: () => T,
  body: (deps: { config: Config; db: Database; logger: Logger; input: T }) => Promise<void>,
  /** `apply` migrations whatever MIGRATE_ON_START says (db:migrate). @default as the server */
  options: { migrations?: 'apply' | 'check' } = {},
) {
  let db: Database | undefined;
  try {
    // Arguments are checked before the database opens, so bad input fails at once and touches nothing.
    const input = prepare();
    const config = loadConfig();
    const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', pretty: false });
    const quiet = logger.child({}, { level: 'warn' });
    db = await openDatabase(config, quiet, { command, whenOwned: 'join', migrations: options.migrations });
    await body({ config, db, logger: quiet, input });
    await db.close();
    process.exit(EXIT.ok);
  } catch (err) {
    await db?.close().catch(() => {});
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(EXIT.config);
    }
    if (err instanceof EmbeddedDatabaseInUseError || err instanceof PendingMigrationsError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(EXIT.tempFail);
    }
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(EXIT.software);
  }
}
