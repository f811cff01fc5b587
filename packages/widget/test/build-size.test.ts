import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGETS } from '../scripts/budgets.mjs';
import { buildWidget, sizeReport } from './support/build-widget.js';

let dist: string;
beforeAll(async () => {
  dist = await buildWidget();
});
afterAll(async () => {
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe('widget build', () => {
  it('emits loader.js, one content-hashed chat bundle per language and a manifest that agree', async () => {
    const files = await readdir(dist);
    const manifest = JSON.parse(await readFile(path.join(dist, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.chat).sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'pt']);
    const hash = (manifest.chat.en as string).split('.')[2]!;
    expect(hash).toMatch(/^[0-9a-f]{10}$/);
    const loader = await readFile(path.join(dist, 'loader.js'), 'utf8');
    // The loader builds `widget.<lang>.<hash>.js` from one hash and the language list.
    expect(loader).toContain(`.${hash}.js`);
    expect(loader).toContain('en de es fr it pt');
    for (const [lang, file] of Object.entries(manifest.chat as Record<string, string>)) {
      expect(file).toBe(`widget.${lang}.${hash}.js`);
      expect(files).toEqual(expect.arrayContaining([file, `${file}.br`, `${file}.gz`]));
    }
    // Each bundle carries only its own language's strings.
    const es = await readFile(path.join(dist, manifest.chat.es), 'utf8');
    const en = await readFile(path.join(dist, manifest.chat.en), 'utf8');
    expect(es.includes('Escribe tu mensaje'), 'Spanish in es').toBe(true);
    expect(es.includes('Type your message'), 'English in es').toBe(false);
    expect(en.includes('Escribe tu mensaje'), 'Spanish in en').toBe(false);
  });

  it('names no product in any bundle: the "Powered by" line is the server\'s (white-label)', async () => {
    // Not even in identifiers: a brand's site gets loader.js and the chat, which must not name the platform.
    const files = (await readdir(dist)).filter((f) => f.endsWith('.js') && f !== 'loader.legacy.js');
    expect(files).toContain('loader.js');
    for (const file of files) {
      const code = await readFile(path.join(dist, file), 'utf8');
      expect(/lead\s?desk/i.test(code), `${file} names the platform`).toBe(false);
    }
    const loader = await readFile(path.join(dist, 'loader.js'), 'utf8');
    for (const id of ['chat-widget', 'chatwidget:ready', 'ChatWidget', 'chatwidget.bridge'])
      expect(loader).toContain(id);
    // Only the legacy loader (the platform's own unbranded host) keeps the deprecated names, and nothing shown.
    const legacy = await readFile(path.join(dist, 'loader.legacy.js'), 'utf8');
    expect([...legacy.matchAll(/lead\s?desk[\w:-]*/gi)].map((m) => m[0]).sort()).toEqual([
      'LeadDesk',
      'leaddesk-widget',
      'leaddesk:ready',
    ]);
    expect(/lead\s+desk/i.test(legacy)).toBe(false);
  });

  it('writes brotli and gzip twins that decompress to the exact bundle', async () => {
    const manifest = JSON.parse(await readFile(path.join(dist, 'manifest.json'), 'utf8'));
    expect(manifest.legacyLoader).toBe('loader.legacy.js');
    for (const file of ['loader.js', 'loader.legacy.js', ...Object.values(manifest.chat as Record<string, string>)]) {
      const raw = await readFile(path.join(dist, file));
      const br = await readFile(path.join(dist, `${file}.br`));
      const gz = await readFile(path.join(dist, `${file}.gz`));
      expect(brotliDecompressSync(br).equals(raw), `${file}.br`).toBe(true);
      expect(gunzipSync(gz).equals(raw), `${file}.gz`).toBe(true);
      // Best quality: no worse than what node's zlib gives at its maximum here.
      expect(br.length, `${file}.br`).toBeLessThanOrEqual(
        brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      );
      expect(gz.length, `${file}.gz`).toBeLessThanOrEqual(gzipSync(raw, { level: 9 }).length);
    }
  });

  it('keeps the loader and loader + chat within their brotli budgets, and `size` says so', async () => {
    const brotli = (file: string) =>
      brotliCompressSync(readFileSync(path.join(dist, file)), {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
      }).length;
    const manifest = JSON.parse(await readFile(path.join(dist, 'manifest.json'), 'utf8'));
    const loader = Math.max(brotli('loader.js'), brotli('loader.legacy.js'));
    const chat = Math.max(...Object.values(manifest.chat as Record<string, string>).map(brotli));
    expect(loader).toBeLessThanOrEqual(BUDGETS.loader);
    expect(BUDGETS).toEqual({ loader: 3072, loaderPlusChat: 25_600 });
    expect(loader + chat).toBeLessThanOrEqual(BUDGETS.loaderPlusChat);
    const report = await sizeReport(dist);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/loader\.js\s+\d+ B raw\s+\d+ B gzip\s+\d+ B brotli/);
    expect(report.stdout).toMatch(/loader\.legacy\.js\s+\d+ B raw\s+\d+ B gzip\s+\d+ B brotli/);
    expect(report.stdout).toMatch(/loader\s+\d+ B brotli\s+budget 3072 B\s+ok/);
    expect(report.stdout).toMatch(/loader \+ chat\s+\d+ B brotli\s+budget \d+ B\s+ok/);
  });

  it.each(['loader.js', 'loader.legacy.js'])('fails `size` when a bundle (%s) is over budget', async (file) => {
    const bloated = `${dist}-bloated`;
    await rm(bloated, { recursive: true, force: true });
    await cp(dist, bloated, { recursive: true });
    // Incompressible bytes in place of the loader's brotli twin.
    await writeFile(path.join(bloated, `${file}.br`), randomBytes(4000));
    const report = await sizeReport(bloated);
    await rm(bloated, { recursive: true, force: true });
    expect(report.code).toBe(1);
    expect(report.stdout).toContain('OVER BUDGET');
  });

  it('ships no zod, no long-polling transport, no binary packing and no @property rules', async () => {
    const manifest = JSON.parse(await readFile(path.join(dist, 'manifest.json'), 'utf8'));
    const widget = await readFile(path.join(dist, manifest.chat.en), 'utf8');
    const loader = await readFile(path.join(dist, 'loader.js'), 'utf8');
    for (const code of [widget, loader]) {
      // Booleans, not toMatch: a failure must not print a 90 KB bundle.
      expect(/ZodError|\$ZodType/.test(code), 'zod in bundle').toBe(false);
      expect(code.includes('@property'), '@property in bundle').toBe(false);
      expect(/\d(\.\d+)?rem\b/.test(code), 'rem units in bundle').toBe(false);
    }
    // The chat speaks Socket.IO through src/chat/wire.ts: no socket.io-client, no polling, no binary packing.
    expect(widget.includes('xhr poll error'), 'polling transport in bundle').toBe(false);
    expect(widget.includes('XMLHttpRequest'), 'XHR in bundle').toBe(false);
    expect(widget.includes('_placeholder'), 'binary packing in bundle').toBe(false);
    expect(widget.includes('EIO=4&transport=websocket'), 'wire client').toBe(true);
    expect(widget.includes('@layer properties,theme,base,components,utilities')).toBe(true);
  });
});
