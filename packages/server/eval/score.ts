/**
 * Compares what the server stored and answered with the labels: one verdict
 * per field per item (pure, so the scoring itself is tested), then the
 * figures `pnpm eval` prints against the targets of issue 13.
 */
import { LEAD_INTENTS, type LeadDto, type MessageDto } from '@leaddesk/shared';
import type { EvalItem, Fact } from './dataset.js';
import { judgeReplyLanguage, type SentenceVerdict } from './reply-language.js';

/** Fields with a value or null: accuracy on labelled items, false positives on null-labelled ones. */
export const VALUE_FIELDS = ['email', 'phone', 'date', 'budget', 'party', 'bedrooms', 'service'] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];
export const SCORED_FIELDS = [
  ...VALUE_FIELDS,
  'budgetApproximate',
  'intent',
  'urgency',
  'emergency',
  'language',
] as const;
export type ScoredField = (typeof SCORED_FIELDS)[number];

export interface FieldVerdict {
  expected: string | null;
  actual: string | null;
  correct: boolean;
}

export interface ItemScore {
  id: string;
  language: string;
  vertical: string;
  text: string;
  fields: Partial<Record<ScoredField, FieldVerdict>>;
  /** Labelled urgent, emergency, complaint or cancellation: staff should have an escalation. */
  shouldEscalate: boolean;
  escalated: boolean;
  replyText: string;
  sentences: SentenceVerdict[];
  /** null when the item has no reply to judge. */
  replyPure: boolean | null;
  kb: { answerable: boolean; answered: boolean; invented: boolean; cited: boolean } | null;
  /** From connecting the visitor to reading the lead back. */
  ms: number;
  error?: string;
}

export interface ObservedItem {
  lead: LeadDto | null;
  replies: MessageDto[];
  escalated: boolean;
  ms: number;
  error?: string;
}

export interface TenantFacts {
  currency: string;
  properNames: string[];
}

const normal = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\u00a0\u202f\u2009]/g, ' ')
    .toLowerCase();

/** "2026-12-28" or "2026-12-28..2027-01-03" from the stored timeline; anything else is returned as is. */
export function canonicalTimeline(timeline: string | undefined): string | null {
  if (!timeline) return null;
  const m = /^(\d{4}-\d{2}-\d{2})(?:\s*(?:to|\.\.|–)\s*(\d{4}-\d{2}-\d{2}))?$/.exec(timeline.trim());
  if (!m) return timeline.trim();
  return m[2] && m[2] !== m[1] ? `${m[1]}..${m[2]}` : m[1]!;
}

/** "EUR 500000-600000" from the stored budgetRange (a missing currency is the tenant's). */
export function canonicalBudget(range: string | undefined, tenantCurrency: string): string | null {
  if (!range) return null;
  const m = /^(?:([A-Z]{3})\s+)?(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?$/.exec(range.trim());
  if (!m) return range.trim();
  const currency = m[1] ?? tenantCurrency;
  return m[3] ? `${currency} ${Number(m[2])}-${Number(m[3])}` : `${currency} ${Number(m[2])}`;
}

const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));

function verdict(expected: string | null, actual: string | null): FieldVerdict {
  return { expected, actual, correct: expected === actual };
}

/** A fact is in the text when one of its spellings is (case and spacing of numbers aside). */
export function containsFact(text: string, fact: Fact): boolean {
  const t = normal(text);
  return (Array.isArray(fact) ? fact : [fact]).some((f) => t.includes(normal(f)));
}

export function scoreItem(item: EvalItem, seen: ObservedItem, tenant: TenantFacts): ItemScore {
  const e = item.expected;
  const lead = seen.lead;
  const q = lead?.qualification;
  const custom = q?.custom ?? {};
  const replyText = seen.replies.map((m) => m.content).join('\n');
  const fields: ItemScore['fields'] = {};

  fields.email = verdict(e.email?.toLowerCase() ?? null, lead?.email?.toLowerCase() ?? null);
  fields.phone = verdict(e.phone, lead?.phone ?? null);
  fields.date = verdict(
    e.date ? (e.date.end ? `${e.date.start}..${e.date.end}` : e.date.start) : null,
    canonicalTimeline(q?.timeline),
  );
  fields.budget = verdict(
    e.budget ? `${e.budget.currency} ${e.budget.min !== undefined ? `${e.budget.min}-` : ''}${e.budget.max}` : null,
    canonicalBudget(q?.budgetRange, tenant.currency),
  );
  if (e.budget?.approximate !== undefined) {
    fields.budgetApproximate = verdict(e.budget.approximate ? 'yes' : 'no', custom.budgetApproximate ?? null);
  }
  // Only the parts of a party the label states are compared ("somos 4" says nothing of children).
  const total = num(custom.partySize);
  if (e.party) {
    const parts = [`${e.party.total}`];
    const got = [`${total ?? '?'}`];
    if (e.party.adults !== undefined) {
      parts.push(`adults ${e.party.adults}`);
      got.push(`adults ${num(custom.adults) ?? '?'}`);
    }
    if (e.party.children !== undefined) {
      parts.push(`children ${e.party.children}`);
      got.push(`children ${num(custom.children) ?? '?'}`);
    }
    fields.party = verdict(parts.join(', '), total === undefined ? null : got.join(', '));
  } else {
    fields.party = verdict(null, total === undefined ? null : `${total}`);
  }
  const bedrooms = num(custom.bedrooms);
  fields.bedrooms = verdict(
    e.bedrooms === null ? null : `${e.bedrooms}`,
    bedrooms === undefined ? null : `${bedrooms}`,
  );
  fields.service = verdict(e.service, q?.serviceInterest ?? null);

  const replyIntent = seen.replies
    .map((m) => m.ai?.intent)
    .find((i) => (LEAD_INTENTS as readonly string[]).includes(i ?? ''));
  fields.intent = verdict(e.intent, custom.intent ?? replyIntent ?? null);
  fields.urgency = verdict(e.urgency, q?.urgency ?? null);
  fields.emergency = verdict(e.emergency ? 'yes' : null, custom.emergency === 'yes' ? 'yes' : null);
  const language = lead?.language ?? seen.replies.find((m) => m.ai?.language)?.ai?.language ?? null;
  fields.language = verdict(item.language, language ? language.slice(0, 2).toLowerCase() : null);

  const sentences = seen.replies.length
    ? judgeReplyLanguage(
        replyText,
        item.language,
        [...tenant.properNames].sort((a, b) => b.length - a.length),
      )
    : [];
  const cited = seen.replies.some((m) => Boolean(m.ai?.entities?.source));
  let kb: ItemScore['kb'] = null;
  if (e.kbAnswerable !== undefined) {
    const mustNot = (e.answerMustNotContain ?? []).some((f) => containsFact(replyText, f));
    kb = {
      answerable: e.kbAnswerable,
      answered: e.kbAnswerable && (e.answerMustContain ?? []).every((f) => containsFact(replyText, f)) && !mustNot,
      invented: !e.kbAnswerable && (cited || mustNot),
      cited,
    };
  }
  return {
    id: item.id,
    language: item.language,
    vertical: item.vertical,
    text: item.text,
    fields,
    shouldEscalate: e.urgency === 'high' || e.emergency || e.intent === 'complaint' || e.intent === 'cancellation',
    escalated: seen.escalated,
    replyText,
    sentences,
    replyPure: seen.replies.length ? !sentences.some((s) => s.foreign) : null,
    kb,
    ms: seen.ms,
    error: seen.error,
  };
}
