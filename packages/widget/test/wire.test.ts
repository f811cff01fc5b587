/**
 * src/chat/wire.ts in Chromium against a real Socket.IO server whose
 * heartbeat is fast (ping every 200 ms, 1 s to answer, generous for a loaded CI machine), so a client that
 * did not answer pings, or answered wrongly, would be dropped within the
 * test. Also: acks both ways, a refused connection, and a server disconnect.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, launchChromium } from './support/browser.js';
import { WIDGET_PKG } from './support/build-widget.js';

let http: HttpServer;
let io: Server;
let browser: Browser;
let url: string;
const disconnects: string[] = [];

beforeAll(async () => {
  const bundle = await esbuild.build({
    stdin: {
      contents: `import { connectSocket } from './src/chat/wire.ts'; window.connectSocket = connectSocket;`,
      resolveDir: WIDGET_PKG,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    target: ['es2020'],
  });
  const script = bundle.outputFiles[0]!.text;
  http = createServer((req, res) => {
    if (req.url === '/wire.js') {
      res.setHeader('Content-Type', 'text/javascript');
      res.end(script);
      return;
    }
    res.setHeader('Content-Type', 'text/html');
    res.end('<!doctype html><html><body><script src="/wire.js"></script></body></html>');
  });
  io = new Server(http, { transports: ['websocket'], pingInterval: 200, pingTimeout: 1000 });
  const ns = io.of('/widget');
  ns.use((socket, next) => {
    const auth = socket.handshake.auth as { key?: string };
    if (auth.key !== 'ok')
      return next(Object.assign(new Error('invalid_site_key'), { data: { code: 'invalid_site_key' } }));
    next();
  });
  ns.on('connection', (socket) => {
    socket.on('echo', (payload: unknown, ack: (res: unknown) => void) => ack({ ok: true, data: payload }));
    socket.on('ask-me', async () => {
      const answer = await socket.timeout(2000).emitWithAck('question', 'ready?');
      socket.emit('answered', answer);
    });
    socket.on('kick', () => socket.disconnect());
    socket.on('disconnect', (reason) => disconnects.push(reason));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  io?.close();
  await new Promise((r) => http?.close(r));
});

describe('the widget wire client', () => {
  it('stays connected through many heartbeats, and acks work both ways', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(url);
      const result = await page.evaluate(async (server) => {
        const w = window as unknown as {
          connectSocket: (
            u: string,
            o: object,
          ) => {
            connected: boolean;
            on(e: string, f: (...a: unknown[]) => void): void;
            emit(e: string, ...a: unknown[]): void;
            timeout(ms: number): { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> };
          };
        };
        const events: string[] = [];
        const socket = w.connectSocket(`${server}/widget`, { auth: (cb: (a: object) => void) => cb({ key: 'ok' }) });
        socket.on('connect', () => events.push('connect'));
        socket.on('disconnect', (reason) => events.push(`disconnect:${reason}`));
        socket.on('question', (q, ack) => (ack as (a: string) => void)(`yes to ${q}`));
        const answered = new Promise((resolve) => socket.on('answered', resolve));
        await new Promise((r) => setTimeout(r, 2000));
        const echo = await socket.timeout(1000).emitWithAck('echo', { n: 1, text: 'héllo' });
        socket.emit('ask-me');
        return { events, connected: socket.connected, echo, answered: await answered };
      }, url);
      // Ten ping cycles with a 150 ms deadline each: one missed pong would have dropped it.
      expect(result.events).toEqual(['connect']);
      expect(result.connected).toBe(true);
      expect(result.echo).toEqual({ ok: true, data: { n: 1, text: 'héllo' } });
      expect(result.answered).toBe('yes to ready?');
      expect(disconnects).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('reports a refused connection with its data and does not retry it; a server disconnect is not retried either', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(url);
      const result = await page.evaluate(async (server) => {
        const w = window as unknown as {
          connectSocket: (
            u: string,
            o: object,
          ) => {
            active: boolean;
            connected: boolean;
            on(e: string, f: (...a: unknown[]) => void): void;
            emit(e: string, ...a: unknown[]): void;
          };
        };
        let attempts = 0;
        const refused = w.connectSocket(`${server}/widget`, {
          auth: (cb: (a: object) => void) => {
            attempts++;
            cb({ key: 'wrong' });
          },
        });
        const error = await new Promise<{ message: string; data: unknown }>((resolve) =>
          refused.on('connect_error', (e) => resolve(e as { message: string; data: unknown })),
        );
        await new Promise((r) => setTimeout(r, 1500));

        const kicked = w.connectSocket(`${server}/widget`, { auth: (cb: (a: object) => void) => cb({ key: 'ok' }) });
        await new Promise((resolve) => kicked.on('connect', resolve));
        const reason = new Promise((resolve) => kicked.on('disconnect', resolve));
        kicked.emit('kick');
        const why = await reason;
        await new Promise((r) => setTimeout(r, 1500));
        return {
          message: error.message,
          data: error.data,
          attempts,
          refusedActive: refused.active,
          why,
          kickedActive: kicked.active,
          kickedConnected: kicked.connected,
        };
      }, url);
      expect(result).toEqual({
        message: 'invalid_site_key',
        data: { code: 'invalid_site_key' },
        attempts: 1,
        refusedActive: false,
        why: 'io server disconnect',
        kickedActive: false,
        kickedConnected: false,
      });
    } finally {
      await page.close();
    }
  });
});
