import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startTestServer } from '../support/test-server.js';

const run = promisify(execFile);
const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function createAdmin(dataDir: string, args: string[]) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/create-admin.ts', ...args], {
      cwd: serverDir,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', SEED_DEMO: 'false', LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bootstrap: the first super admin from the CLI', () => {
  it('creates a super admin who can sign in and manage clients; refuses bad input with exit code 2', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-cli-'));
    const password = 'Orbit-Lantern-Meadow-7731';
    const ok = await createAdmin(dataDir, ['--email', 'Root@Example.com', '--password', password, '--json']);
    expect(ok.code).toBe(0);
    const created = JSON.parse(ok.stdout);
    expect(created).toMatchObject({ email: 'root@example.com', role: 'super_admin', userId: expect.any(String) });
    expect(ok.stdout).not.toContain(password);

    const weak = await createAdmin(dataDir, ['--email', 'b@example.com', '--password', 'password123']);
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/password is too easy to guess/);
    const dup = await createAdmin(dataDir, ['--email', 'root@example.com', '--password', password, '--json']);
    expect(dup.code).toBe(2);
    expect(JSON.parse(dup.stdout).error).toMatch(/already exists/);
    const missing = await createAdmin(dataDir, ['--email', 'c@example.com']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--email and --password are required/);
    const badEmail = await createAdmin(dataDir, ['--email', 'not-an-email', '--password', password]);
    expect(badEmail.code).toBe(2);

    const server = await startTestServer({ db: 'embedded', reuse: { dataDir } });
    try {
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'root@example.com', password }),
      });
      expect(login.status).toBe(200);
      const { accessToken, user } = (await login.json()) as { accessToken: string; user: { role: string } };
      expect(user.role).toBe('super_admin');
      const clients = await fetch(`${server.url}/api/v1/admin/clients`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(clients.status).toBe(200);
    } finally {
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});

describe('the signing secret', () => {
  it('is generated once per data directory in development, so a restart keeps sessions', async () => {
    let server = await startTestServer({ db: 'embedded', env: { APP_SECRET: undefined } });
    try {
      const file = path.join(server.config.dataDir, 'app-secret');
      const stat = await fs.stat(file);
      expect(stat.mode & 0o777).toBe(0o600);
      const { createSuperAdmin } = await import('../../src/auth/create-super-admin.js');
      await createSuperAdmin(server.db.orm.em.fork(), {
        email: 'keep@example.com',
        password: 'Orbit-Lantern-Meadow-7731',
      });
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'keep@example.com', password: 'Orbit-Lantern-Meadow-7731' }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      server = await server.restart();
      const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(me.status).toBe(200);
    } finally {
      await server.dispose();
    }
  }, 60_000);

  it('must be configured in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: os.tmpdir() })).toThrow(
      /APP_SECRET: is required in production/,
    );
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(40) }).appSecret).toBe('x'.repeat(40));
  }, 60_000);
});
