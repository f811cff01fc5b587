/**
 * Prints raw, gzip and brotli sizes of loader.js (and loader.legacy.js) and
 * each language's chat bundle as served (the build's `.gz` and `.br` twins),
 * and exits 1 when the larger loader or it + the largest chat is over its
 * brotli budget.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUDGETS } from './budgets.mjs';

const outArg = process.argv.indexOf('--outdir');
const dist = outArg > 0 ? process.argv[outArg + 1] : join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const size = (file) => readFileSync(join(dist, file)).length;
let files;
try {
  files = readdirSync(dist).filter((f) => /^(loader|loader\.legacy|widget\.[a-z]{2}\.[0-9a-f]+)\.js$/.test(f));
  size('loader.js.br');
} catch {
  console.error('widget not built: run `pnpm --filter @leaddesk/widget build` first');
  process.exit(2);
}
let chatBr = 0;
let loaderBr = 0;
for (const file of files.sort()) {
  const br = size(`${file}.br`);
  if (file.startsWith('loader')) loaderBr = Math.max(loaderBr, br);
  else chatBr = Math.max(chatBr, br);
  console.log(
    `${file.padEnd(26)} ${String(size(file)).padStart(7)} B raw ${String(size(`${file}.gz`)).padStart(7)} B gzip ${String(br).padStart(7)} B brotli`,
  );
}
let over = false;
for (const [label, key, value] of [
  ['loader', 'loader', loaderBr],
  ['loader + chat', 'loaderPlusChat', loaderBr + chatBr],
]) {
  const ok = value <= BUDGETS[key];
  if (!ok) over = true;
  console.log(`${label.padEnd(14)} ${value} B brotli  budget ${BUDGETS[key]} B  ${ok ? 'ok' : 'OVER BUDGET'}`);
}
process.exit(over ? 1 : 0);
