import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server as an operator runs it (`pnpm start` = `tsx src/main.ts`), in a
 * child process that a test can SIGKILL or SIGTERM.
 */
export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Printed on a first run with SEED_DEMO (the default). */
  demo: { apiKey: string; siteKey: string; staffEmail?: string; staffPassword?: string } | null;
  exited: Promise<number | null>;
  out(): string;
  err(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function startServerProcess(
  env: Record<string, string>,
  options: { expectDemo?: boolean; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  // tsx as a loader of this node process rather than its CLI: the CLI runs the server in a child
  // process, and a SIGKILL sent to the CLI would leave that server running.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      // Several processes per test share one PostgreSQL (max_connections 100).
      DATABASE_POOL_MAX: '4',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = Date.now();
  let port: string | undefined;
  // The URL is logged once serving; the demo lines (first run) are printed right after it.
  const ready = () =>
    /"url":"http:\/\/localhost:\d+"/.test(stdout) && (!options.expectDemo || /site key:/.test(stdout));
  while (!port) {
    if (ready()) port = stdout.match(/"url":"http:\/\/localhost:(\d+)"/)?.[1];
    if (port) break;
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in ${timeoutMs} ms: ${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const apiKey = stdout.match(/API key:\s+(ld_live_\S+)/)?.[1];
  const siteKey = stdout.match(/site key:\s+(pk_\S+)/)?.[1];
  const staff = stdout.match(/staff login:\s+(\S+) \/ (\S+)/);
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    demo: apiKey && siteKey ? { apiKey, siteKey, staffEmail: staff?.[1], staffPassword: staff?.[2] } : null,
    exited,
    out: () => stdout,
    err: () => stderr,
    kill(signal) {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
