/**
 * The dashboard build: split into an entry (sign-in, shell, inbox), lazily
 * loaded page chunks and shared chunks; the first visit stays within its gzip
 * budget (serving the chunks: packages/server/test/dashboard-assets.test.ts).
 * The initial load is computed from the built files themselves
 * (index.html and the static imports of each module), not from the manifest
 * the build writes, so a wrong manifest cannot hide a regression.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HASHED } from '../../server/src/http/dashboard-assets.js';
import { BUDGETS } from '../scripts/budgets.mjs';

const PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

let dist: string;
let buildOutput: string;
const read = (file: string) => readFile(path.join(dist, file), 'utf8');
const gz = async (file: string) => gzipSync(await readFile(path.join(dist, file)), { level: 9 }).length;

/** `import … from "./x.js"` and `import "./x.js"`; `import("./x.js")` (lazy) is not followed. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g)].map((m) => m[1]!);
}
function dynamicImports(code: string): string[] {
  return [...code.matchAll(/\bimport\(\s*["']\.\/([^"']+\.js)["']\s*\)/g)].map((m) => m[1]!);
}

/** What a first visit fetches: index.html's stylesheet and module, and every module those import statically. */
async function initialLoad(): Promise<{ css: string[]; js: string[] }> {
  const html = await read('index.html');
  const css = [...html.matchAll(/<link rel="stylesheet" href="\/dashboard\/([^"]+)">/g)].map((m) => m[1]!);
  const entries = [...html.matchAll(/<script type="module" src="\/dashboard\/([^"]+)"><\/script>/g)].map((m) => m[1]!);
  const js: string[] = [];
  const visit = async (file: string) => {
    if (js.includes(file)) return;
    js.push(file);
    for (const dep of staticImports(await read(file))) await visit(dep);
  };
  for (const e of entries) await visit(e);
  return { css, js };
}

beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'ld-dashboard-size-'));
  const { stdout } = await run(process.execPath, [path.join(PKG, 'scripts/build.mjs'), '--outdir', dist], {
    cwd: PKG,
  });
  buildOutput = stdout;
}, 60_000);
afterAll(async () => {
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('dashboard build', () => {
  it('splits the app: an entry module, one lazily imported chunk per page, content-hashed names', async () => {
    const files = await readdir(dist);
    const manifest = JSON.parse(await read('manifest.json'));
    const entry = await read(manifest.entry);
    const lazy = dynamicImports(entry).sort();
    expect(lazy).toEqual(Object.values(manifest.pages as Record<string, string>).sort());
    expect(Object.keys(manifest.pages).sort()).toEqual([
      'agency-clients',
      'analytics',
      'channels',
      'clients',
      'escalations',
      'knowledge',
      'leads',
      'onboarding-wizard',
      'settings',
      'settings-automation',
      'settings-branding',
      'settings-integrations',
      'signup',
    ]);
    for (const file of files.filter((f) => f.endsWith('.js') || f.endsWith('.css'))) {
      expect(HASHED.test(file), `${file} has a content hash the server recognises`).toBe(true);
    }
    // White-label (docs/white-label.md): no bundle names the product; every name on screen is the brand's.
    for (const file of files.filter((f) => f.endsWith('.js') || f.endsWith('.css') || f.endsWith('.html'))) {
      expect(await read(file), `${file} names no product`).not.toMatch(/lead\s?desk/i);
    }
    // index.html preloads exactly the modules the entry needs at once.
    const html = await read('index.html');
    const preloads = [...html.matchAll(/<link rel="modulepreload" href="\/dashboard\/([^"]+)">/g)].map((m) => m[1]);
    const { js } = await initialLoad();
    expect(preloads.sort()).toEqual(js.filter((f) => f !== manifest.entry).sort());
    expect([...js, manifest.css].sort()).toEqual([...manifest.initial].sort());
  });

  it('keeps Chart.js, zod and the lazy pages out of the first load, within the gzip budget', async () => {
    const { css, js } = await initialLoad();
    const manifest = JSON.parse(await read('manifest.json'));
    for (const page of Object.values(manifest.pages as Record<string, string>)) expect(js).not.toContain(page);
    const code = (await Promise.all(js.map(read))).join('\n');
    // Booleans, not toMatch: a failure must not print the bundle.
    expect(code.includes("can't acquire context from the given item"), 'Chart.js in the first load').toBe(false);
    expect(/ZodError|\$ZodType/.test(code), 'zod in the first load').toBe(false);
    // Chart.js is in the analytics chunk (or a chunk only it imports).
    const analytics = [manifest.pages.analytics, ...staticImports(await read(manifest.pages.analytics))];
    const analyticsCode = (await Promise.all(analytics.map(read))).join('\n');
    expect(analyticsCode.includes("can't acquire context from the given item")).toBe(true);

    let initial = 0;
    for (const f of [...js, ...css]) initial += await gz(f);
    let total = 0;
    for (const f of (await readdir(dist)).filter((x) => /\.(js|css)$/.test(x))) total += await gz(f);
    expect(initial).toBeLessThanOrEqual(BUDGETS.initial);
    expect(total).toBeLessThanOrEqual(BUDGETS.total);
    // The first load is a fraction of the whole app (it was all of it, 197 KB, before the split).
    expect(initial / total).toBeLessThan(0.5);
    expect(buildOutput).toContain(`initial load ${(initial / 1024).toFixed(1)} KB`);
  });
});
