/**
 * src/chat/wire.ts reconnecting after its server restarts: the real client code over a standard WebSocket
 * (Node's own, `--experimental-websocket`, in a child process) against a real Socket.IO server that is
 * closed and started again on the same port. Twenty sockets dropped at the same instant must all come back,
 * spread over the backoff window rather than at one instant, and within its bound.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIDGET_PKG } from './support/build-widget.js';

const SOCKETS = 20;
const DELAY_MS = 200;
const DELAY_MAX_MS = 1500;

let http: HttpServer;
let io: Server;
let port = 0;
let child: ChildProcessWithoutNullStreams | undefined;
let script = '';
const events: Array<{ i: number; event: string; reason?: string; at: number }> = [];

function serve(onPort: number): Promise<void> {
  http = createServer();
  io = new Server(http, { transports: ['websocket'] });
  io.of('/widget').use((socket, next) =>
    (socket.handshake.auth as { key?: string }).key === 'ok' ? next() : next(new Error('invalid_site_key')),
  );
  return new Promise((resolve) =>
    http.listen(onPort, '127.0.0.1', () => {
      port = (http.address() as AddressInfo).port;
      resolve();
    }),
  );
}

beforeAll(async () => {
  const bundle = await esbuild.build({
    stdin: {
      contents: `import { connectSocket } from './src/chat/wire.ts';
        const [url, count, delay, max] = process.argv.slice(1);
        for (let i = 0; i < Number(count); i++) {
          const s = connectSocket(url, { auth: (cb) => cb({ key: 'ok' }), reconnectionDelay: Number(delay), reconnectionDelayMax: Number(max) });
          const log = (event, reason) => process.stdout.write(JSON.stringify({ i, event, reason, at: Date.now() }) + '\\n');
          s.on('connect', () => log('connect'));
          s.on('disconnect', (reason) => log('disconnect', reason));
          s.on('connect_error', (err) => log('connect_error', err.message));
        }`,
      resolveDir: WIDGET_PKG,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
  });
  script = bundle.outputFiles[0]!.text;
  await serve(0);
});

afterAll(async () => {
  child?.kill('SIGKILL');
  io?.close();
  await new Promise((r) => http?.close(r));
});

const count = (event: string) => new Set(events.filter((e) => e.event === event).map((e) => e.i)).size;
async function until(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(events.slice(-5))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('wire.ts after a server restart', () => {
  it('every socket reconnects, spread by the jittered backoff and within its bound', async () => {
    child = spawn(
      process.execPath,
      [
        '--experimental-websocket',
        '--no-warnings',
        '--input-type=module',
        '-e',
        script,
        '--',
        `http://127.0.0.1:${port}/widget`,
        String(SOCKETS),
        String(DELAY_MS),
        String(DELAY_MAX_MS),
      ],
      { stdio: 'pipe' },
    );
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line) events.push(JSON.parse(line));
    });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    await until(() => count('connect') === SOCKETS, 30_000, `${SOCKETS} connects (${stderr})`);

    // The restart: every socket is cut at once, and nothing listens for a while.
    const cut = events.length;
    io.close();
    await new Promise((r) => http.close(r));
    await until(() => count('disconnect') === SOCKETS, 10_000, 'the disconnects');
    expect(new Set(events.filter((e) => e.event === 'disconnect').map((e) => e.reason))).toEqual(
      new Set(['transport close']),
    );
    await new Promise((r) => setTimeout(r, 2 * DELAY_MAX_MS));
    // Attempts failed while the server was down, and they kept coming (no give-up).
    expect(events.slice(cut).filter((e) => e.event === 'connect_error').length).toBeGreaterThanOrEqual(SOCKETS);
    const back = Date.now();
    await serve(port);

    await until(() => events.slice(cut).filter((e) => e.event === 'connect').length === SOCKETS, 30_000, 'reconnects');
    const reconnects = events
      .slice(cut)
      .filter((e) => e.event === 'connect')
      .map((e) => e.at - back);
    expect(
      new Set(
        events
          .slice(cut)
          .filter((e) => e.event === 'connect')
          .map((e) => e.i),
      ).size,
    ).toBe(SOCKETS);
    // Each was waiting at most the capped delay when the server came back (plus a loaded machine's slack).
    expect(Math.max(...reconnects)).toBeLessThan(DELAY_MAX_MS + 3000);
    // Spread out: not one wave at the same instant.
    expect(Math.max(...reconnects) - Math.min(...reconnects)).toBeGreaterThan(DELAY_MAX_MS / 4);
    expect(io.of('/widget').sockets.size).toBe(SOCKETS);
  }, 90_000);
});
