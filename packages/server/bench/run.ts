/**
 * `pnpm bench [filter]`: runs every bench/*.bench.ts (or those whose name
 * contains the filter), each in its own process so one cannot skew another.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(dir, 'support', 'run-one.ts'), path.join(dir, file)],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed++;
}
if (files.length === 0) console.log(`no benchmark matches "${filter}"`);
process.exit(failed ? 1 : 0);
