import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from './node-http-fetch.js';

/** The SDKs' transport against a local server: what they read from a response, aborts and broken bodies. */
describe('nodeHttpFetch', () => {
  let server: http.Server;
  let url: string;
  const seen: Array<{ method?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({ method: req.method, headers: req.headers, body });
        if (req.url === '/json') {
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2', 'x-multi': ['a', 'b'] });
          res.end(JSON.stringify({ error: { type: 'rate_limit_error' } }));
        } else if (req.url === '/stream') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: one\n\n');
          setTimeout(() => res.write('data: two\n\n'), 20);
          // Never ends by itself: the caller aborts, or the server resets it.
          if (req.headers['x-reset']) setTimeout(() => req.socket.destroy(), 60);
        } else if (req.url === '/redirect') {
          res.writeHead(307, { location: '/json' });
          res.end();
        } else {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`echo:${body}`);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the method, headers and string body, and reads status, headers and text', async () => {
    const res = await nodeHttpFetch(`${url}/echo`, {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/json', 'x-api-key': 'k' }),
      body: '{"a":1}',
    });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(await res.text()).toBe('echo:{"a":1}');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'x-api-key': 'k' } });
  });

  it('reports an error status with its headers and a JSON body, and does not follow redirects', async () => {
    const res = await nodeHttpFetch(`${url}/json`, { method: 'POST', headers: { accept: 'application/json' } });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('x-multi')).toBe('a, b');
    expect(await res.json()).toEqual({ error: { type: 'rate_limit_error' } });
    const redirect = await nodeHttpFetch(`${url}/redirect`);
    expect(redirect.status).toBe(307);
    expect(redirect.ok).toBe(false);
  });

  it('streams the body as it arrives, and an abort mid-body fails the read and closes the connection', async () => {
    const controller = new AbortController();
    const res = await nodeHttpFetch(`${url}/stream`, { signal: controller.signal });
    const chunks: string[] = [];
    const read = (async () => {
      for await (const chunk of res.body as unknown as AsyncIterable<Buffer>) {
        chunks.push(chunk.toString());
        if (chunks.join('').includes('two')) controller.abort();
      }
    })();
    await expect(read).rejects.toThrow(/abort/i);
    expect(chunks.join('')).toBe('data: one\n\ndata: two\n\n');
  });

  it('rejects at once when already aborted, and fails the read (without an uncaught error) when the server resets', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(nodeHttpFetch(`${url}/echo`, { signal: controller.signal })).rejects.toThrow(/abort/i);
    const res = await nodeHttpFetch(`${url}/stream`, { headers: { 'x-reset': '1' } });
    const read = (async () => {
      for await (const _ of res.body as unknown as AsyncIterable<Buffer>) {
        // read until the server drops the connection
      }
    })();
    await expect(read).rejects.toThrow(/aborted|ECONNRESET|socket hang up/i);
  });

  it('rejects when nothing listens', async () => {
    await expect(nodeHttpFetch('http://127.0.0.1:1/')).rejects.toThrow(/ECONNREFUSED/);
  });
});
