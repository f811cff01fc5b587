/**
 * `pnpm eval [--set file] [--json out] [--check] [--misses n]`: drives a
 * labelled set of first messages through the real server (socket in, REST
 * out) and prints per-field accuracy, false positives, reply language and
 * knowledge answers against the targets of issue 13 (docs/eval.md).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type EvalItem, loadEvalSet } from './dataset.js';
import { type EvalServerOptions, startEvalServer } from './eval-server.js';
import { EVAL_TENANTS, type EvalTenant, setUpTenant } from './eval-tenants.js';
import { computeMetrics, type EvalMetrics } from './metrics.js';
import { formatReport } from './report.js';
import { type ItemScore, scoreItem } from './score.js';
import { markEscalations, type Observation, sendFirstMessage } from './send-first-message.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SET = path.join(here, 'data', 'first-messages.json');
const KNOWLEDGE_DIR = path.join(here, 'data', 'knowledge');

export interface RunEvalOptions extends EvalServerOptions {
  setFile?: string;
  /** Mismatches listed per field in the text report. @default 5 */
  misses?: number;
  /** Progress lines on stderr. */
  onProgress?: (line: string) => void;
}

export interface EvalResult {
  set: string;
  durationMs: number;
  metrics: EvalMetrics;
  scores: ItemScore[];
  /** Labels that name a service the tenant does not offer (a stale label, not a miss of the server). */
  warnings: string[];
  report: string;
}

export async function runEval(options: RunEvalOptions = {}): Promise<EvalResult> {
  const started = Date.now();
  const setFile = options.setFile ?? DEFAULT_SET;
  const items = await loadEvalSet(setFile);
  const emit = options.onProgress ?? (() => {});
  const progress = (line: string) => emit(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);
  const env = await startEvalServer(options);
  progress('server started');
  const warnings: string[] = [];
  const observations = new Map<string, Observation>();
  const tenants = new Map<string, EvalTenant>();
  try {
    const runTag = Date.now().toString(36);
    for (const spec of EVAL_TENANTS.filter((t) => items.some((i) => i.vertical === t.vertical))) {
      const tenant = await setUpTenant(env.rest, env.adminToken, spec, KNOWLEDGE_DIR, runTag);
      tenants.set(spec.vertical, tenant);
      progress(`tenant ${spec.name} (${spec.timezone}, ${spec.locale}) ready: ${tenant.services.join(', ')}`);
    }
    for (const item of items) {
      const service = item.expected.service;
      const tenant = tenants.get(item.vertical)!;
      if (service && !tenant.services.includes(service)) {
        warnings.push(`${item.id}: service "${service}" is not one of ${tenant.spec.name}'s services`);
      }
    }
    // One message at a time: the server's clock is that message's sentAt while it is answered.
    let done = 0;
    for (const item of items) {
      observations.set(item.id, await sendFirstMessage(env, tenants.get(item.vertical)!, item));
      if (++done % 20 === 0) progress(`${done}/${items.length} messages answered`);
    }
    for (const tenant of tenants.values()) {
      await markEscalations(
        env,
        tenant,
        items.filter((i) => i.vertical === tenant.spec.vertical).map((i) => observations.get(i.id)!),
      );
    }
  } finally {
    await env.stop();
  }
  const scores = items.map((item: EvalItem) => {
    const tenant = tenants.get(item.vertical)!;
    return scoreItem(item, observations.get(item.id)!, {
      currency: tenant.spec.currency,
      properNames: tenant.spec.properNames,
    });
  });
  const metrics = computeMetrics(scores);
  const durationMs = Date.now() - started;
  // Named as the caller would (pnpm runs the script in packages/server; INIT_CWD is where pnpm was called).
  const relative = path.relative(process.env.INIT_CWD ?? process.cwd(), setFile);
  const set = relative && !relative.startsWith('..') ? relative : setFile;
  let report = formatReport(metrics, scores, { misses: options.misses, setName: set, durationMs });
  if (warnings.length) report += `\n\nlabel warnings\n${warnings.map((w) => `  ${w}`).join('\n')}`;
  return { set, durationMs, metrics, scores, warnings, report };
}

interface CliArgs {
  set?: string;
  json?: string;
  check: boolean;
  misses?: number;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--set') args.set = value();
    else if (a === '--json') args.json = value();
    else if (a === '--check') args.check = true;
    else if (a === '--misses') args.misses = Number(value());
    else if (a !== '--') throw new Error(`unknown option ${a} (use --set <file>, --json <out>, --check, --misses <n>)`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  // pnpm runs the script in packages/server; paths on the command line are the caller's.
  const from = process.env.INIT_CWD ?? process.cwd();
  const result = await runEval({
    setFile: args.set ? path.resolve(from, args.set) : undefined,
    databaseUrl: process.env.DATABASE_URL || undefined,
    misses: args.misses,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(result.report);
  if (args.json) {
    const out = path.resolve(from, args.json);
    const { report: _text, ...machine } = result;
    await writeFile(out, `${JSON.stringify({ generatedAt: new Date().toISOString(), ...machine }, null, 2)}\n`);
    process.stderr.write(`results written to ${out}\n`);
  }
  process.exit(args.check && !result.metrics.passed ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  });
}
