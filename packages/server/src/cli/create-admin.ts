/**
 * `pnpm create-admin --email you@example.com --password '…' [--name "You"] [--json]`
 * creates the first super admin (or another one). With the embedded database
 * it works whether or not the server runs (through the server's socket if it does).
 * Exit codes: 0 created, 2 bad input (the message says why), 1 anything else.
 */
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { assertValidEmail, createSuperAdmin } from '../auth/create-super-admin.js';
import { checkPasswordStrength } from '../auth/passwords.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { createLogger } from '../logger.js';

const USAGE = 'usage: pnpm create-admin --email <email> --password <password> [--name <name>] [--json]';

async function main(): Promise<number> {
  let args: { email?: string; password?: string; name?: string; json?: boolean };
  try {
    ({ values: args } = parseArgs({
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`, 2, false);
  }
  const json = args.json === true;
  if (!args.email || !args.password) return fail(`--email and --password are required\n${USAGE}`, 2, json);

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message, 2, json);
    throw err;
  }
  // Check what needs no database first: a typo should not wait for the database to open.
  try {
    assertValidEmail(args.email);
    const strength = checkPasswordStrength(args.password, config.auth.passwordMinScore, [args.email, args.name ?? '']);
    if (!strength.ok) return fail(strength.reason, 2, json);
  } catch (err) {
    if (err instanceof AppError) return fail(err.message, 2, json);
    throw err;
  }
  const logger = createLogger({ level: 'warn', pretty: false, destination: process.stderr });
  const db = await openDatabase(config, logger, { command: 'create-admin', whenOwned: 'join' });
  try {
    const user = await createSuperAdmin(db.orm.em.fork(), {
      email: args.email,
      password: args.password,
      name: args.name,
      minScore: config.auth.passwordMinScore,
    });
    if (json) {
      process.stdout.write(`${JSON.stringify({ userId: user.id, email: user.email, role: user.role })}\n`);
    } else {
      process.stdout.write(`Super admin created: ${user.email} (${user.id}). Sign in at /api/v1/auth/login.\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof AppError) return fail(err.message, err.status < 500 ? 2 : 1, json);
    throw err;
  } finally {
    await db.close();
  }
}

function fail(message: string, code: number, json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
  process.stderr.write(`create-admin: ${message}\n`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`create-admin failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
