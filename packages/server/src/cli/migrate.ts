/**
 * `pnpm db:migrate`: applies pending migrations under the same advisory lock as a starting server
 * (db/orm.ts), whatever MIGRATE_ON_START says. The release step when servers start with MIGRATE_ON_START=false.
 */
import { runCli } from './cli-runtime.js';

await runCli(
  'db:migrate',
  () => undefined,
  async ({ db }) => {
    // openDatabase has already migrated; report where we stand.
    const executed = await db.orm.getMigrator().getExecutedMigrations();
    process.stdout.write(`database is up to date (${executed.length} migrations applied)\n`);
  },
  { migrations: 'apply' },
);
