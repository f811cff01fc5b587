/**
 * Runs one benchmark file in this process. A file either does its work when
 * imported or exports `run()`; both conventions are supported.
 */
import { pathToFileURL } from 'node:url';

const file = process.argv[2];
if (!file) throw new Error('usage: run-one.ts <file.bench.ts>');
const mod = (await import(pathToFileURL(file).href)) as { run?: () => Promise<void> };
if (typeof mod.run === 'function') await mod.run();
// Benchmarks leave sockets and pools behind them; the numbers are printed, so end here (with the bench's
// exit code: a bench that failed, or whose figures did not check out, sets `process.exitCode`).
process.exit(process.exitCode ?? 0);
