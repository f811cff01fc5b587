/** Prints the gzip -9 size of each bundle and exits non-zero when one is over budget. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { BUDGETS } from './budgets.mjs';

const outArg = process.argv.indexOf('--outdir');
const dist = outArg > 0 ? process.argv[outArg + 1] : join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
let over = false;
for (const [file, budget] of Object.entries(BUDGETS)) {
  let raw;
  try {
    raw = readFileSync(join(dist, file));
  } catch {
    console.error(`${file}: missing, run \`pnpm --filter @leaddesk/widget build\` first`);
    process.exit(2);
  }
  const gz = gzipSync(raw, { level: 9 }).length;
  const ok = gz <= budget;
  if (!ok) over = true;
  console.log(
    `${file.padEnd(10)} ${String(raw.length).padStart(7)} B raw  ${String(gz).padStart(6)} B gzip -9  budget ${budget} B  ${ok ? 'ok' : 'OVER BUDGET'}`,
  );
}
process.exit(over ? 1 : 0);
