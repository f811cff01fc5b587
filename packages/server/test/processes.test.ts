import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** The real entry points as an operator runs them: `pnpm start` and `pnpm onboard`. */
// Spawning tsx processes on a busy two-core machine is slow; these are not timing tests.
vi.setConfig({ testTimeout: 120_000 });

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = path.join(serverDir, 'node_modules', '.bin', 'tsx');
const temps: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
/** The servers' own node processes (tsx runs the script in a child of the process we spawn). */
const serverPids: number[] = [];

async function tempDir() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-proc-'));
  temps.push(dir);
  return dir;
}

afterEach(async () => {
  for (const pid of serverPids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of temps.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

function run(script: string, args: string[], env: Record<string, string>) {
  const child = spawn(tsx, [script, ...args], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      LOG_LEVEL: 'warn',
      // No load balancer watches /readyz here: the default 5 s of 503 before draining would only wait.
      SHUTDOWN_READY_GRACE_MS: '200',
      ...env,
    },
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

function waitForOutput(get: () => string, pattern: RegExp, child: ChildProcessWithoutNullStreams, ms = 90_000) {
  return new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = get().match(pattern);
      if (m) {
        clearInterval(timer);
        resolve(m);
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`process exited (${child.exitCode}) before printing ${pattern}`));
      }
    }, 50);
    setTimeout(() => {
      clearInterval(timer);
      reject(new Error(`timed out waiting for ${pattern}`));
    }, ms).unref();
  });
}

const lockFile = (dataDir: string) => path.join(dataDir, 'pglite.lock');

/**
 * SIGTERM to the server's own process (its pid is in the data directory's lock), as `kill <pid>` or a
 * supervisor sends it. Sent to the tsx wrapper instead, tsx SIGKILLs its child when the child does not
 * acknowledge within 30 ms, which a busy machine does not always manage (seen: exit code null).
 */
async function terminate(p: { exited: Promise<number | null> }, dataDir: string) {
  const owner = JSON.parse(await fs.readFile(lockFile(dataDir), 'utf8')) as { pid: number };
  serverPids.push(owner.pid);
  process.kill(owner.pid, 'SIGTERM');
  return p.exited;
}

describe('pnpm start (src/main.ts)', () => {
  it('starts with no external service, prints the demo client, serves /healthz and exits 0 on SIGTERM', async () => {
    const dataDir = await tempDir();
    const p = run('src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
    const [, url] = await waitForOutput(p.out, /health:\s+(http:\/\/\S+)\/healthz/, p.child);
    expect(p.out()).toMatch(/API key:\s+ld_live_/);
    expect(p.out()).toMatch(/site key:\s+pk_/);
    expect(p.out()).toMatch(/staff login:\s+demo@leaddesk\.local/);
    const apiKey = p.out().match(/API key:\s+(ld_live_\S+)/)?.[1];
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    const client = await (
      await fetch(`${url}/api/v1/client`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).json();
    expect(client.slug).toBe('demo');
    expect(await terminate(p, dataDir)).toBe(0);
  });

  it('exits 78 naming every invalid variable', async () => {
    const p = run('src/main.ts', [], { PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    expect(await p.exited).toBe(78);
    expect(p.err()).toContain('PORT');
    expect(p.err()).toContain('DATABASE_URL');
  });
});

describe('pnpm onboard (src/cli/onboard.ts)', () => {
  it('prints one JSON object whose keys work against the server', async () => {
    const dataDir = await tempDir();
    const p = run('src/cli/onboard.ts', ['--name', 'Sunset Dental', '--industry', 'dental', '--json'], {
      DATA_DIR: dataDir,
    });
    expect(await p.exited).toBe(0);
    const result = JSON.parse(p.out());
    expect(result).toMatchObject({ slug: 'sunset-dental', industry: 'dental' });
    expect(result.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.apiKey).toMatch(/^ld_live_/);
    expect(result.siteKey).toMatch(/^pk_/);
    expect(result.snippet).toContain(`data-site-key="${result.siteKey}"`);

    // The same data directory, served: the printed API key authenticates and the template applied.
    const server = run('src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const [, port] = await waitForOutput(server.out, /"url":"http:\/\/localhost:(\d+)"/, server.child);
    const me = await (
      await fetch(`http://127.0.0.1:${port}/api/v1/client`, { headers: { authorization: `Bearer ${result.apiKey}` } })
    ).json();
    expect(me.id).toBe(result.clientId);
    expect(me.config.qualificationQuestions.length).toBeGreaterThan(0);
    expect(server.out()).not.toContain('Demo client created');
    expect(await terminate(server, dataDir)).toBe(0);
  });

  it('exits 64 with the reasons and usage on bad input, creating nothing', async () => {
    const dataDir = await tempDir();
    const p = run('src/cli/onboard.ts', ['--name', 'Spa', '--industry', 'spaceships'], { DATA_DIR: dataDir });
    expect(await p.exited).toBe(64);
    expect(p.err()).toContain('--industry must be one of');
    expect(p.out()).toBe('');
  });
});

// Five and three processes started in turn: minutes on a busy two-core machine.
describe('the embedded database has one owner (pnpm start beside the CLIs)', () => {
  const bearer = (apiKey: string) => ({ headers: { authorization: `Bearer ${apiKey}` } });

  async function startServer(dataDir: string) {
    const p = run('src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const [, port] = await waitForOutput(p.out, /"url":"http:\/\/localhost:(\d+)"/, p.child);
    const owner = JSON.parse(await fs.readFile(lockFile(dataDir), 'utf8'));
    serverPids.push(owner.pid);
    return { ...p, base: `http://127.0.0.1:${port}`, owner };
  }

  /**
   * SIGTERM to the server's own process, as `kill <pid>` or a supervisor sends it. Sent to the tsx
   * wrapper instead, tsx SIGKILLs its child when the child does not acknowledge within 30 ms, which a
   * busy machine does not always manage.
   */
  async function stop(server: Awaited<ReturnType<typeof startServer>>) {
    process.kill(server.owner.pid, 'SIGTERM');
    return server.exited;
  }

  function onboard(dataDir: string, name: string) {
    return run('src/cli/onboard.ts', ['--name', name, '--industry', 'dental', '--json'], { DATA_DIR: dataDir });
  }

  it('onboard and create-admin while the server runs go through its socket; the tenant survives a restart; a second server refuses', async () => {
    const dataDir = await tempDir();
    const first = await startServer(dataDir);
    expect(first.owner).toMatchObject({ command: 'server', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });

    const second = run('src/main.ts', [], { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' });
    expect(await second.exited).toBe(75);
    expect(second.err()).toContain(`is in use by process ${first.owner.pid} (server`);
    expect(second.err()).not.toMatch(/\n\s+at /); // a message, not a stack
    expect((await fetch(`${first.base}/healthz`)).status).toBe(200);

    const cli = onboard(dataDir, 'Sunset Dental');
    expect(await cli.exited).toBe(0);
    const created = JSON.parse(cli.out());
    // Written into the running server's database: served at once, without a restart.
    const live = await fetch(`${first.base}/api/v1/client`, bearer(created.apiKey));
    // On a failure, the server's own account of it (its log lines) in the message.
    expect(live.status, `${await live.clone().text()}\n${first.out().slice(-3000)}\n${first.err().slice(-3000)}`).toBe(
      200,
    );
    expect(JSON.parse(await fs.readFile(lockFile(dataDir), 'utf8')).token).toBe(first.owner.token);

    const password = 'Orbit-Lantern-Meadow-7731';
    const admin = run('src/cli/create-admin.ts', ['--email', 'root@example.com', '--password', password, '--json'], {
      DATA_DIR: dataDir,
    });
    expect(await admin.exited).toBe(0);
    const login = await fetch(`${first.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root@example.com', password }),
    });
    expect(
      login.status,
      `${await login.clone().text()}\n${first.out().slice(-3000)}\n${first.err().slice(-3000)}`,
    ).toBe(200);

    expect(await stop(first)).toBe(0);
    await expect(fs.access(lockFile(dataDir))).rejects.toThrow(); // released at a clean stop

    const restarted = await startServer(dataDir);
    const me = await fetch(`${restarted.base}/api/v1/client`, bearer(created.apiKey));
    expect(me.status).toBe(200);
    expect((await me.json()).id).toBe(created.clientId);
    expect(await stop(restarted)).toBe(0);
  }, 300_000);

  it('after a SIGKILL, onboard takes over the stale lock and the next start serves the new tenant', async () => {
    const dataDir = await tempDir();
    const killed = await startServer(dataDir);
    process.kill(killed.owner.pid, 'SIGKILL');
    await killed.exited;
    // The lock of the dead server is still there: nobody released it.
    expect(JSON.parse(await fs.readFile(lockFile(dataDir), 'utf8')).pid).toBe(killed.owner.pid);

    const cli = onboard(dataDir, 'Casa Sol');
    expect(await cli.exited).toBe(0);
    const created = JSON.parse(cli.out());
    await expect(fs.access(lockFile(dataDir))).rejects.toThrow(); // onboard opened it itself and let go

    const next = await startServer(dataDir);
    expect(next.owner.pid).not.toBe(killed.owner.pid);
    const me = await fetch(`${next.base}/api/v1/client`, bearer(created.apiKey));
    expect(me.status).toBe(200);
    expect((await me.json()).slug).toBe('casa-sol');
    expect(await stop(next)).toBe(0);
  }, 300_000);
});
