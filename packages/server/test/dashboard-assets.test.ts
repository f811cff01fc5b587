/**
 * The real server serves the split dashboard build at /dashboard/: the entry,
 * the lazily loaded page chunks and the chunks they share, with a year of cache
 * (content-hashed names) and a JavaScript type (module scripts refuse
 * anything else); index.html, never cached, for the client-side routes; and
 * 404 for a chunk that is not there.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.js';

const DASHBOARD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dashboard');
const run = promisify(execFile);

let dist: string;
let server: TestServer;
let manifest: { entry: string; css: string; initial: string[]; pages: Record<string, string> };

beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-assets-'));
  await run(process.execPath, [path.join(DASHBOARD, 'scripts/build.mjs'), '--outdir', dist], { cwd: DASHBOARD });
  manifest = JSON.parse(await readFile(path.join(dist, 'manifest.json'), 'utf8'));
  server = await startTestServer({ env: { DASHBOARD_DIST_DIR: dist } });
}, 60_000);

afterAll(async () => {
  await server?.dispose();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('dashboard assets on the real server', () => {
  it('serves every chunk as JavaScript with a year of cache', async () => {
    const chunks = (await readdir(dist)).filter((f) => f.endsWith('.js'));
    // The entry, a chunk per lazy page, and the shared chunks.
    expect(chunks).toEqual(expect.arrayContaining([manifest.entry, ...Object.values(manifest.pages)]));
    expect(chunks.length).toBeGreaterThan(Object.keys(manifest.pages).length + 1);
    for (const file of chunks) {
      const res = await fetch(`${server.url}/dashboard/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toMatch(/^(text|application)\/javascript/);
      expect(res.headers.get('cache-control'), file).toBe('public, max-age=31536000, immutable');
      expect(await res.text(), file).toBe(await readFile(path.join(dist, file), 'utf8'));
    }
    const css = await fetch(`${server.url}/dashboard/${manifest.css}`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers index.html, never cached, for the client-side routes, and lets it load its modules', async () => {
    for (const route of ['/dashboard/', '/dashboard/inbox/3f1c', '/dashboard/analytics']) {
      const res = await fetch(`${server.url}${route}`);
      expect(res.status, route).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const html = await res.text();
      expect(html).toContain(`<script type="module" src="/dashboard/${manifest.entry}"></script>`);
      // The CSP allows same-origin scripts, and so modules and their imports.
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    }
    const manifestRes = await fetch(`${server.url}/dashboard/manifest.json`);
    expect(manifestRes.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404, not index.html, for a chunk that is not there (an older deploy’s)', async () => {
    for (const file of ['analytics.AAAAAAAA.js', 'chunk.ZZZZZZZZ.js', 'app.0123456789.css']) {
      const res = await fetch(`${server.url}/dashboard/${file}`);
      expect(res.status, file).toBe(404);
      expect(res.headers.get('content-type'), file).toMatch(/^text\/plain/);
    }
  });
});
