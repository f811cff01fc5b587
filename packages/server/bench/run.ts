/**
 * `pnpm bench`: runs every `bench/*.bench.ts` in turn. Each file exports
 * `run(): Promise<void>`, prints its numbers and writes JSON under the repo's
 * `bench/results/`. Benchmarks are loopback-only and bounded in time.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only))).sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  try {
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as { run: () => Promise<void> };
    await mod.run();
  } catch (err) {
    failed++;
    console.error(`${file} failed:`, err);
  }
}
process.exit(failed ? 1 : 0);
