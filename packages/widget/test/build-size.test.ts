import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
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
  it('emits loader.js, a content-hashed widget bundle and a manifest that agree', async () => {
    const files = await readdir(dist);
    const manifest = JSON.parse(await readFile(path.join(dist, 'manifest.json'), 'utf8'));
    expect(manifest.widget).toMatch(/^widget\.[0-9a-f]{10}\.js$/);
    expect(files).toEqual(expect.arrayContaining(['loader.js', 'widget.js', manifest.widget]));
    const loader = await readFile(path.join(dist, 'loader.js'), 'utf8');
    expect(loader).toContain(`"${manifest.widget}"`);
    expect(await readFile(path.join(dist, manifest.widget))).toEqual(await readFile(path.join(dist, 'widget.js')));
  });

  it('stays within the gzip -9 budgets and `size` says so', async () => {
    for (const [file, budget] of Object.entries(BUDGETS)) {
      const gz = gzipSync(await readFile(path.join(dist, file)), { level: 9 }).length;
      expect(gz, file).toBeLessThanOrEqual(budget);
    }
    const report = await sizeReport(dist);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/loader\.js\s+\d+ B raw\s+\d+ B gzip -9\s+budget 3072 B\s+ok/);
    expect(report.stdout).toMatch(/widget\.js\s+\d+ B raw\s+\d+ B gzip -9\s+budget 30720 B\s+ok/);
  });

  it('fails `size` when a bundle is over budget', async () => {
    const bloated = `${dist}-bloated`;
    await rm(bloated, { recursive: true, force: true });
    const { cp, writeFile } = await import('node:fs/promises');
    await cp(dist, bloated, { recursive: true });
    const { randomBytes } = await import('node:crypto');
    await writeFile(path.join(bloated, 'loader.js'), randomBytes(8000).toString('base64'));
    const report = await sizeReport(bloated);
    await rm(bloated, { recursive: true, force: true });
    expect(report.code).toBe(1);
    expect(report.stdout).toContain('OVER BUDGET');
  });

  it('ships no zod, no long-polling transport and no @property rules', async () => {
    const widget = await readFile(path.join(dist, 'widget.js'), 'utf8');
    const loader = await readFile(path.join(dist, 'loader.js'), 'utf8');
    for (const code of [widget, loader]) {
      // Booleans, not toMatch: a failure must not print a 90 KB bundle.
      expect(/ZodError|\$ZodType/.test(code), 'zod in bundle').toBe(false);
      expect(code.includes('@property'), '@property in bundle').toBe(false);
      expect(/\d(\.\d+)?rem\b/.test(code), 'rem units in bundle').toBe(false);
    }
    // engine.io's XHR polling transport is left out (websocket only).
    expect(widget.includes('xhr poll error'), 'polling transport in bundle').toBe(false);
    expect(widget.includes('@layer properties,theme,base,components,utilities')).toBe(true);
  });
});
