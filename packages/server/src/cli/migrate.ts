/** `pnpm db:migrate`: applies pending migrations (the server also does this at start). */
import { runCli } from './cli-runtime.js';

await runCli(
  'db:migrate',
  () => undefined,
  async ({ db }) => {
    // openDatabase has already migrated; report where we stand.
    const executed = await db.orm.getMigrator().getExecutedMigrations();
    process.stdout.write(`database is up to date (${executed.length} migrations applied)\n`);
  },
);
