import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';

/**
 * Starting many processes at once on an empty PostgreSQL database (issue 16): the migrations run under a
 * session-level advisory lock, the demo seed under another, and MIGRATE_ON_START=false refuses to serve a
 * database that misses migrations until `pnpm db:migrate` (the release step) has run.
 */
// Spawning tsx processes on a busy two-core machine is slow; these are not timing tests.
vi.setConfig({ testTimeout: 1_200_000, hookTimeout: 120_000 });

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const processes: ServerProcess[] = [];
const drops: Array<() => Promise<void>> = [];
const temps: string[] = [];

afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
});
afterAll(async () => {
  for (const drop of drops) await drop().catch(() => undefined);
  for (const dir of temps) await fs.rm(dir, { recursive: true, force: true });
});

async function emptyDatabase() {
  const db = await createFreshPostgresDatabase();
  drops.push(db.drop);
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-mp-'));
  temps.push(dataDir);
  return { url: db.url, dataDir };
}

function baseEnv(db: { url: string; dataDir: string }, prefix: string): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    DATABASE_POOL_MAX: '4',
    DATA_DIR: db.dataDir,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    APP_SECRET: 'multi-process-start-test-secret-0123456789',
  };
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Resolves with the exit code, or with the output so far when the process is still serving. */
async function startAll(count: number, env: Record<string, string>) {
  const settled = await Promise.allSettled(
    Array.from({ length: count }, () => startServerProcess(env, { timeoutMs: 400_000 })),
  );
  for (const s of settled) if (s.status === 'fulfilled') processes.push(s.value);
  return settled;
}

function runMigrateCli(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts'], {
    cwd: serverDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c) => {
    out += c;
  });
  child.stderr.on('data', (c) => {
    err += c;
  });
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out, err })),
  );
}

describe('processes started together on an empty database', () => {
  it('all become ready, round after round: one migrates and seeds, the others wait for it', async () => {
    for (let round = 0; round < 2; round++) {
      const db = await emptyDatabase();
      const settled = await startAll(3, baseEnv(db, `mps${round}${Date.now().toString(36)}:`));
      const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason).slice(0, 400)] : []));
      expect(failures, `round ${round}`).toEqual([]);
      for (const p of processes) {
        const ready = await fetch(`${p.url}/readyz`);
        expect(ready.status).toBe(200);
      }
      // Every migration ran once, and one demo client was seeded by one of them.
      const migrations = await query<{ name: string; n: string }>(
        db.url,
        'select name, count(*)::text as n from mikro_orm_migrations group by name',
      );
      expect(migrations.length).toBeGreaterThan(0);
      expect(migrations.every((m) => m.n === '1')).toBe(true);
      const clients = await query<{ slug: string }>(db.url, 'select slug from clients');
      expect(clients.map((c) => c.slug)).toEqual(['demo']);
      expect(processes.filter((p) => /Demo client created/.test(p.out()))).toHaveLength(1);
      await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
    }
  });

  it('MIGRATE_ON_START=false refuses an unmigrated database with a clear message; db:migrate is the release step', async () => {
    const db = await emptyDatabase();
    const env = { ...baseEnv(db, `mpm${Date.now().toString(36)}:`), MIGRATE_ON_START: 'false' };
    const [refused] = await startAll(1, env);
    expect(refused?.status).toBe('rejected');
    const reason = refused?.status === 'rejected' ? String(refused.reason) : '';
    expect(reason).toMatch(/server exited \(75\)/);
    expect(reason).toContain('MIGRATE_ON_START=false');
    expect(reason).toContain('pnpm db:migrate');
    expect(reason).not.toMatch(/\n\s+at /); // a message, not a stack
    // It changed nothing: no migration ran.
    const ran = await query<{ n: string }>(
      db.url,
      `select count(*)::text as n from information_schema.tables where table_name = 'clients'`,
    );
    expect(ran[0]?.n).toBe('0');

    // Two release steps at once (a retried deploy job) share the lock; then the servers start without migrating.
    const [first, second] = await Promise.all([runMigrateCli(env), runMigrateCli(env)]);
    expect([first.code, second.code], `${first.err}\n${second.err}`).toEqual([0, 0]);
    expect(first.out).toMatch(/database is up to date \(\d+ migrations applied\)/);
    const settled = await startAll(2, env);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled']);
    for (const p of processes) expect((await fetch(`${p.url}/readyz`)).status).toBe(200);
  });
});
