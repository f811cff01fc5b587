import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const WIDGET_PKG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** Builds the bundles into a fresh temp folder (tests never race on dist/). */
export async function buildWidget(): Promise<string> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), 'ld-widget-'));
  await run(process.execPath, [path.join(WIDGET_PKG, 'scripts/build.mjs'), '--outdir', outdir], { cwd: WIDGET_PKG });
  return outdir;
}

export async function sizeReport(outdir: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [path.join(WIDGET_PKG, 'scripts/size.mjs'), '--outdir', outdir]);
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}
