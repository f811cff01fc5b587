/** The developer's view of a run: figures beside their targets, confusion tables, then the first misses per field. */
import type { EvalMetrics, FieldMetric } from './metrics.js';
import type { ItemScore } from './score.js';

const pct = (v: number | null) => (v === null ? '   n/a' : `${(v * 100).toFixed(1).padStart(5)}%`);
const clip = (s: string, n = 90) => {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

export interface ReportOptions {
  /** Mismatches listed per field. @default 5 */
  misses?: number;
  setName: string;
  durationMs: number;
}

export function formatReport(metrics: EvalMetrics, scores: ItemScore[], options: ReportOptions): string {
  const out: string[] = [];
  const n = options.misses ?? 5;
  out.push(
    `pnpm eval: ${metrics.items} first messages from ${options.setName} in ${(options.durationMs / 1000).toFixed(1)} s` +
      (metrics.errors ? ` (${metrics.errors} without a reply or with an error)` : ''),
    '',
    'field               accuracy  (correct/labelled)   false positives (of null-labelled)',
  );
  for (const [name, m] of Object.entries(metrics.fields) as [string, FieldMetric][]) {
    out.push(
      `${name.padEnd(18)} ${pct(m.accuracy)}   ${`${m.correct}/${m.labelled}`.padEnd(18)} ` +
        (m.nullLabelled ? `${pct(m.falsePositiveRate)}  (${m.falsePositives}/${m.nullLabelled})` : ''),
    );
  }
  out.push(
    '',
    `escalated when urgent, complaint or cancellation: ${pct(metrics.escalation.share)} (${metrics.escalation.escalated}/${metrics.escalation.expected})`,
    `replies entirely in the visitor's language:       ${pct(metrics.replies.share)} (${metrics.replies.pure}/${metrics.replies.judged}; ${metrics.replies.mixed} mixed)`,
    `KB-answerable questions answered correctly:        ${pct(metrics.kb.share)} (${metrics.kb.answered}/${metrics.kb.answerable})`,
    `unanswerable questions given an invented answer:   ${metrics.kb.invented} of ${metrics.kb.unanswerable}`,
    '',
    'targets',
  );
  for (const t of metrics.targets) {
    const value = t.target === '= 0' ? String(t.value).padStart(6) : pct(t.value);
    out.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name.padEnd(48)} ${value}  (target ${t.target})`);
  }
  out.push('', `overall: ${metrics.passed ? 'PASS' : 'FAIL'}`, '');

  for (const field of ['intent', 'urgency'] as const) {
    out.push(`${field} confusion (expected → what the server stored)`);
    for (const [expected, row] of Object.entries(metrics.confusion[field])) {
      const cells = Object.entries(row)
        .sort((a, b) => b[1] - a[1])
        .map(([actual, count]) => `${actual === expected ? '✓' : ''}${actual} ${count}`);
      out.push(`  ${expected.padEnd(14)} → ${cells.join(', ')}`);
    }
    out.push('');
  }

  out.push(`first ${n} misses per field`);
  for (const [field, list] of Object.entries(metrics.misses)) {
    if (!list.length) continue;
    out.push(`  ${field} (${list.length})`);
    for (const m of list.slice(0, n)) {
      out.push(
        `    ${m.id.padEnd(8)} expected ${m.expected ?? 'null'} | got ${m.actual ?? 'null'} | ${clip(m.text, 70)}`,
      );
    }
  }
  const mixed = scores.filter((s) => s.replyPure === false);
  if (mixed.length) {
    out.push(`  mixed-language replies (${mixed.length})`);
    for (const s of mixed.slice(0, n)) {
      const foreign = s.sentences.filter((v) => v.foreign).map((v) => `[${v.detected}] ${clip(v.sentence, 60)}`);
      out.push(`    ${s.id.padEnd(8)} ${foreign.join(' / ')}`);
    }
  }
  const unanswered = scores.filter((s) => s.kb?.answerable && !s.kb.answered);
  if (unanswered.length) {
    out.push(`  KB-answerable questions not answered (${unanswered.length})`);
    for (const s of unanswered.slice(0, n))
      out.push(`    ${s.id.padEnd(8)} ${clip(s.text, 50)} → ${clip(s.replyText, 80)}`);
  }
  const invented = scores.filter((s) => s.kb?.invented);
  if (invented.length) {
    out.push(`  invented answers (${invented.length})`);
    for (const s of invented.slice(0, n))
      out.push(`    ${s.id.padEnd(8)} ${clip(s.text, 50)} → ${clip(s.replyText, 80)}`);
  }
  const silent = scores.filter((s) => s.shouldEscalate && !s.escalated);
  if (silent.length) {
    out.push(`  not escalated (${silent.length})`);
    for (const s of silent.slice(0, n)) out.push(`    ${s.id.padEnd(8)} ${clip(s.text, 90)}`);
  }
  const errors = scores.filter((s) => s.error);
  if (errors.length) {
    out.push(`  errors (${errors.length})`);
    for (const s of errors.slice(0, n)) out.push(`    ${s.id.padEnd(8)} ${s.error}`);
  }
  return out.join('\n');
}
