/**
 * Prints raw, gzip and brotli sizes of loader.js and each language's chat
 * bundle as served (the build's `.gz` and `.br` twins), and exits 1 when the
 * loader or loader + largest chat is over its brotli budget.
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
  files = readdirSync(dist).filter((f) => /^(loader|widget\.[a-z]{2}\.[0-9a-f]+)\.js$/.test(f));
  size('loader.js.br');
} catch {
  console.error('widget not built: run `pnpm --filter @leaddesk/widget build` first');
  process.exit(2);
}
let chatBr = 0;
for (const file of files.sort()) {
  const br = size(`${file}.br`);
  if (file !== 'loader.js') chatBr = Math.max(chatBr, br);
  console.log(
    `${file.padEnd(26)} ${String(size(file)).padStart(7)} B raw ${String(size(`${file}.gz`)).padStart(7)} B gzip ${String(br).padStart(7)} B brotli`,
  );
}
const loaderBr = size('loader.js.br');
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
