/** The figures of one run, each with its target from issue 13, and the misses behind them. */
import { type ItemScore, SCORED_FIELDS, type ScoredField, VALUE_FIELDS } from './score.js';

export interface FieldMetric {
  /** Items labelled with a value (for emergency: labelled true). */
  labelled: number;
  correct: number;
  accuracy: number | null;
  /** Items labelled null (for emergency: false), and how many of them got a value anyway. */
  nullLabelled: number;
  falsePositives: number;
  falsePositiveRate: number | null;
}

export interface TargetResult {
  name: string;
  value: number | null;
  /** e.g. ">= 90%", "= 0". */
  target: string;
  pass: boolean;
}

export interface Miss {
  id: string;
  text: string;
  expected: string | null;
  actual: string | null;
}

export interface EvalMetrics {
  items: number;
  errors: number;
  fields: Record<ScoredField, FieldMetric>;
  escalation: { expected: number; escalated: number; share: number | null };
  replies: { judged: number; pure: number; mixed: number; share: number | null };
  kb: { answerable: number; answered: number; share: number | null; unanswerable: number; invented: number };
  confusion: { intent: Record<string, Record<string, number>>; urgency: Record<string, Record<string, number>> };
  misses: Record<ScoredField, Miss[]>;
  targets: TargetResult[];
  passed: boolean;
}

const share = (part: number, whole: number) => (whole ? part / whole : null);

export function computeMetrics(scores: ItemScore[]): EvalMetrics {
  const fields = {} as Record<ScoredField, FieldMetric>;
  const misses = {} as Record<ScoredField, Miss[]>;
  for (const field of SCORED_FIELDS) {
    const m: FieldMetric = {
      labelled: 0,
      correct: 0,
      accuracy: null,
      nullLabelled: 0,
      falsePositives: 0,
      falsePositiveRate: null,
    };
    misses[field] = [];
    for (const s of scores) {
      const v = s.fields[field];
      if (!v) continue;
      if (v.expected === null) {
        m.nullLabelled++;
        if (v.actual !== null) m.falsePositives++;
      } else {
        m.labelled++;
        if (v.correct) m.correct++;
      }
      if (!v.correct) misses[field].push({ id: s.id, text: s.text, expected: v.expected, actual: v.actual });
    }
    m.accuracy = share(m.correct, m.labelled);
    m.falsePositiveRate = share(m.falsePositives, m.nullLabelled);
    fields[field] = m;
  }

  const shouldEscalate = scores.filter((s) => s.shouldEscalate);
  const escalated = shouldEscalate.filter((s) => s.escalated).length;
  const judged = scores.filter((s) => s.replyPure !== null);
  const pure = judged.filter((s) => s.replyPure).length;
  const answerable = scores.filter((s) => s.kb?.answerable);
  const answered = answerable.filter((s) => s.kb?.answered).length;
  const unanswerable = scores.filter((s) => s.kb && !s.kb.answerable);
  const invented = unanswerable.filter((s) => s.kb?.invented).length;

  const confusion = { intent: confusionOf(scores, 'intent'), urgency: confusionOf(scores, 'urgency') };
  const escalation = { expected: shouldEscalate.length, escalated, share: share(escalated, shouldEscalate.length) };
  const replies = { judged: judged.length, pure, mixed: judged.length - pure, share: share(pure, judged.length) };
  const kb = {
    answerable: answerable.length,
    answered,
    share: share(answered, answerable.length),
    unanswerable: unanswerable.length,
    invented,
  };

  const targets: TargetResult[] = [];
  const atLeast = (name: string, value: number | null, min: number) =>
    targets.push({ name, value, target: `>= ${Math.round(min * 100)}%`, pass: value === null || value >= min });
  const atMost = (name: string, value: number | null, max: number) =>
    targets.push({ name, value, target: `<= ${Math.round(max * 100)}%`, pass: value === null || value <= max });
  const none = (name: string, value: number) => targets.push({ name, value, target: '= 0', pass: value === 0 });
  atLeast('language', fields.language.accuracy, 0.98);
  atLeast('intent', fields.intent.accuracy, 0.9);
  atLeast('urgency', fields.urgency.accuracy, 0.9);
  for (const field of [...VALUE_FIELDS, 'emergency'] as const) {
    atLeast(field === 'emergency' ? 'emergency recall' : field, fields[field].accuracy, 0.9);
    atMost(`${field} false positives`, fields[field].falsePositiveRate, 0.03);
  }
  atLeast('budget ceiling vs approximate', fields.budgetApproximate.accuracy, 0.9);
  atLeast('escalated (urgent, complaint, cancellation)', escalation.share, 0.9);
  none('mixed-language replies', replies.mixed);
  atLeast('KB-answerable questions answered', kb.share, 0.9);
  none('unanswerable questions given an invented answer', invented);

  return {
    items: scores.length,
    errors: scores.filter((s) => s.error).length,
    fields,
    escalation,
    replies,
    kb,
    confusion,
    misses,
    targets,
    passed: targets.every((t) => t.pass),
  };
}

function confusionOf(scores: ItemScore[], field: 'intent' | 'urgency') {
  const table: Record<string, Record<string, number>> = {};
  for (const s of scores) {
    const v = s.fields[field];
    if (!v) continue;
    const key = v.expected ?? '(none)';
    table[key] ??= {};
    const row = table[key];
    const col = v.actual ?? '(none)';
    row[col] = (row[col] ?? 0) + 1;
  }
  return table;
}
