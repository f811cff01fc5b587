/**
 * BENCHMARK BASELINE, not used by the server: the structured engine as it was on main (0bfb032)
 * before the understanding module (with its extract, faq-index, language, scoring and templates
 * files beside it), kept so bench/understanding.bench.ts can print today's compose() against it.
 */
import type { Qualification, QualificationQuestion, QuickReply } from '@leaddesk/shared';
import type { LeadPatch } from '../../../src/conversation/conversation-core.js';
import { countryFromLocale } from '../../../src/leads/normalize-contact.js';
import type { ReplyContext, ReplyEngine, ReplyEvent, ReplyResult } from '../../../src/replies/reply-engine.js';
import {
  asksForHuman,
  extractBudget,
  extractDates,
  extractEmail,
  extractName,
  extractPartySize,
  extractPhone,
  fold,
  formatBudget,
  matchOption,
  parseSmallNumber,
  parseYesNo,
} from './extract.js';
import { matchFaq } from './faq-index.js';
import { detectLanguage, type SupportedLanguage } from './language.js';
import { scoreLead } from './scoring.js';
import { TEMPLATES } from './templates.js';

export interface StructuredEngineOptions {
  /**
   * Pause between streamed chunks, so replies arrive like an AI's do.
   * @default 20
   */
  chunkDelayMs?: number;
  /** Words per streamed chunk (each chunk is one socket frame per recipient). @default 6 */
  wordsPerChunk?: number;
  /**
   * The tenant's knowledge bases (FAQ entries, documents), searched when the
   * configured FAQ entries have no answer. Without it only those entries are used.
   */
  knowledge?: StructuredKnowledgeSource;
}

/** What the structured mode needs from the knowledge module (its `KnowledgeRetriever`, structurally). */
export interface StructuredKnowledgeSource {
  retrieveForConversation(input: {
    clientId: string;
    recentVisitorMessages: string[];
    k?: number;
    conversationId?: string;
  }): Promise<{
    answered: boolean;
    chunks: Array<{ content: string; citation: string; faq: { question: string; answer: string } | null }>;
  }>;
}

/** An answer found in the knowledge bases, sent as is with its source. */
export interface KnowledgeAnswer {
  question: string;
  answer: string;
  citation: string;
}

const TOP_LEVEL_FIELDS = new Set([
  'serviceInterest',
  'urgency',
  'budgetRange',
  'location',
  'decisionMaker',
  'timeline',
]);
const CONTACT_STEP = 'contact';

/**
 * The structured mode: a reply engine with no AI provider. For each visitor
 * message it detects the language, extracts contact details, dates, budgets
 * and party sizes, records the answer to the question it asked last, answers
 * FAQs, asks the tenant's next qualification question (with quick replies),
 * asks for contact details, scores the lead, and escalates when the visitor
 * asks for a person or uses one of the tenant's escalation keywords.
 *
 * It keeps no state of its own: which question was asked last is read from
 * the previous AI message's `ai.intent` (`ask:<questionId>`).
 */
export class StructuredEngine implements ReplyEngine {
  readonly name = 'structured';
  private readonly chunkDelayMs: number;
  private readonly wordsPerChunk: number;

  private readonly knowledge: StructuredKnowledgeSource | undefined;

  constructor(options: StructuredEngineOptions = {}) {
    this.chunkDelayMs = options.chunkDelayMs ?? 20;
    this.wordsPerChunk = options.wordsPerChunk ?? 6;
    this.knowledge = options.knowledge;
  }

  async *reply(context: ReplyContext, signal: AbortSignal): AsyncIterable<ReplyEvent> {
    if (context.client.config.faqs.length || this.knowledge) yield { type: 'status', status: 'looking_up' };
    const found = await this.lookUp(context);
    const { text, result } = compose(context, found);
    yield* this.stream(text, signal);
    if (!signal.aborted) yield { type: 'done', result };
  }

  /** Searches the knowledge bases when the configured FAQ entries do not answer the message. */
  private async lookUp(context: ReplyContext): Promise<KnowledgeAnswer | undefined> {
    if (!this.knowledge) return undefined;
    const content = context.trigger.content;
    if (matchFaq(context.client.id, context.client.config.faqs, content)) return undefined;
    try {
      const result = await this.knowledge.retrieveForConversation({
        clientId: context.client.id,
        conversationId: context.conversation.id,
        recentVisitorMessages: [content],
        k: 3,
      });
      const best = result.chunks[0];
      if (!result.answered || !best) return undefined;
      if (best.faq) return { ...best.faq, citation: best.citation };
      return { question: content, answer: leadingSentences(best.content), citation: best.citation };
    } catch {
      // Retrieval is a bonus here: without it the structured mode still qualifies the lead.
      return undefined;
    }
  }

  private async *stream(text: string, signal: AbortSignal): AsyncIterable<ReplyEvent> {
    const parts = text.split(/(\s+)/);
    let chunk = '';
    let words = 0;
    for (const part of parts) {
      chunk += part;
      if (part.trim()) words++;
      if (words >= this.wordsPerChunk && /\s$/.test(part) === false) {
        if (signal.aborted) return;
        yield { type: 'delta', text: chunk };
        chunk = '';
        words = 0;
        if (this.chunkDelayMs > 0) await abortableSleep(this.chunkDelayMs, signal);
      }
    }
    if (chunk && !signal.aborted) yield { type: 'delta', text: chunk };
  }
}

/** Builds the reply text and its metadata; pure, so it is unit-tested directly. */
export function compose(context: ReplyContext, knowledge?: KnowledgeAnswer): { text: string; result: ReplyResult } {
  const { client, lead, history, trigger } = context;
  const config = client.config;
  const content = trigger.content;
  const lang = detectLanguage(content, lead?.language, client.locale.split(/[-_]/)[0] ?? 'en');
  const t = TEMPLATES[lang];
  const folded = fold(content);

  const qualification: Qualification = {
    ...(lead?.qualification ?? {}),
    custom: { ...(lead?.qualification.custom ?? {}) },
  };
  const patch: LeadPatch = {};
  const qualificationPatch: Partial<Qualification> & { custom: Record<string, string> } = { custom: {} };
  const contact = { name: lead?.name ?? null, email: lead?.email ?? null, phone: lead?.phone ?? null };
  const entities: Record<string, unknown> = {};

  const setField = (field: string, value: string | boolean) => {
    if (TOP_LEVEL_FIELDS.has(field)) {
      (qualification as Record<string, unknown>)[field] = value;
      (qualificationPatch as Record<string, unknown>)[field] = value;
    } else {
      qualification.custom[field] = String(value);
      qualificationPatch.custom[field] = String(value);
    }
  };

  // Contact details, anywhere in any message.
  const email = extractEmail(content);
  const phone = extractPhone(content, countryFromLocale(client.locale));
  const name = extractName(content);
  if (email) {
    entities.email = email;
    if (!contact.email) patch.email = contact.email = email;
  }
  if (phone) {
    entities.phone = phone;
    if (!contact.phone) patch.phone = contact.phone = phone;
  }
  if (name) {
    entities.name = name;
    if (!contact.name) patch.name = contact.name = name;
  }
  const dates = extractDates(content, lang);
  if (dates) entities.dates = dates;
  const partySize = extractPartySize(content, lang);
  if (partySize) entities.partySize = partySize;
  const budget = extractBudget(content);
  if (budget) entities.budget = budget;

  const previousAi = [...history].reverse().find((m) => m.role === 'ai' && m.id !== trigger.id);
  const pendingStep = previousAi?.ai?.intent?.startsWith('ask:') ? previousAi.ai.intent.slice(4) : undefined;
  const questions = config.qualificationQuestions;
  const isAnswered = (q: QualificationQuestion) =>
    TOP_LEVEL_FIELDS.has(q.field)
      ? (qualification as Record<string, unknown>)[q.field] !== undefined
      : qualification.custom[q.field] !== undefined;

  let understoodPending = pendingStep === undefined;
  let answeredSomething = false;
  if (pendingStep === CONTACT_STEP) {
    understoodPending = Boolean(email || phone);
  } else if (pendingStep) {
    const q = questions.find((x) => x.id === pendingStep);
    if (q && !isAnswered(q)) {
      const answer = interpretAnswer(q, content, lang, context.quickReplyId, { dates, partySize });
      if (answer !== undefined) {
        setField(q.field, answer);
        understoodPending = true;
        answeredSomething = true;
      }
    } else {
      understoodPending = true;
    }
  }
  // Opportunistic: details given before we asked for them.
  for (const q of questions) {
    if (isAnswered(q)) continue;
    if (q.type === 'date' && dates) setField(q.field, dates.end ? `${dates.start} to ${dates.end}` : dates.start);
    else if (q.field === 'partySize' && partySize) setField(q.field, String(partySize));
    else if (q.field === 'budgetRange' && budget) setField(q.field, formatBudget(budget));
    else continue;
    answeredSomething = true;
  }

  const parts: string[] = [];
  let intent = 'answer';
  let quickReplies: QuickReply[] = [];
  let escalation: ReplyResult['escalation'];
  let confidence = 0.6;
  const firstReply = !history.some((m) => m.role === 'ai' || m.role === 'staff');
  if (firstReply) parts.push(t.greeting(client.name));

  const keyword = config.escalation.keywords.find((k) => folded.includes(fold(k)));
  const wantsHuman = asksForHuman(content);
  const faq =
    matchFaq(client.id, config.faqs, content) ??
    (knowledge ? { entry: { question: knowledge.question, answer: knowledge.answer }, coverage: 0.8 } : null);
  if (knowledge && faq?.entry.answer === knowledge.answer) entities.source = knowledge.citation;

  if (wantsHuman && config.escalation.onHumanRequest) {
    escalation = {
      reason: 'visitor_request',
      priority: 'high',
      detail: `Visitor asked for a person: "${content.slice(0, 300)}"`,
    };
    intent = 'escalate';
    confidence = 0.9;
    parts.push(t.escalate);
    if (!contact.email && !contact.phone) {
      parts.push(t.escalateAskContact);
      intent = `ask:${CONTACT_STEP}`;
    }
  } else {
    if (keyword) {
      escalation = {
        reason: 'keyword',
        priority: 'high',
        detail: `Escalation keyword "${keyword}" in: "${content.slice(0, 300)}"`,
      };
    }
    if (faq) {
      parts.push(faq.entry.answer);
      intent = 'faq';
      confidence = Math.min(0.95, 0.5 + faq.coverage / 2);
      entities.faq = faq.entry.question;
    } else if (answeredSomething || (pendingStep === CONTACT_STEP && understoodPending)) {
      parts.push(pendingStep === CONTACT_STEP ? t.contactThanks : t.thanks);
    } else if (!understoodPending) {
      parts.push(t.notUnderstood);
      confidence = 0.3;
    }

    const next = questions.find((q) => !isAnswered(q));
    if (next) {
      parts.push(next.question);
      intent = `ask:${next.id}`;
      quickReplies = quickRepliesFor(next, lang);
    } else if (!contact.email && !contact.phone) {
      parts.push(t.askContact);
      intent = `ask:${CONTACT_STEP}`;
    } else if (previousAi?.ai?.intent !== 'complete' && previousAi?.ai?.intent !== 'escalate') {
      parts.push(t.complete(client.name));
      intent = 'complete';
    } else if (!faq) {
      parts.push(t.fallback);
      intent = 'fallback';
    }
  }

  const requiredDone = questions.filter((q) => q.required).every(isAnswered);
  const score = scoreLead({ ...contact, qualification }, context.scoringRules, config);
  patch.score = score.score;
  patch.temperature = score.temperature;
  patch.scoreEvidence = score.evidence;
  patch.language = lang;
  if (Object.keys(qualificationPatch).length > 1 || Object.keys(qualificationPatch.custom).length) {
    patch.qualification = qualificationPatch;
  }
  const anyAnswer = questions.some(isAnswered) || Boolean(contact.email || contact.phone);
  if (requiredDone && questions.length && (contact.email || contact.phone)) patch.status = 'qualified';
  else if (anyAnswer) patch.status = 'qualifying';
  if (score.temperature === 'hot' && lead?.temperature !== 'hot' && config.hotLead.notify && !escalation) {
    escalation = { reason: 'hot_lead', priority: 'normal', detail: `Lead scored ${score.score}` };
  }

  return {
    text: parts.join(' '),
    result: {
      quickReplies,
      leadUpdates: patch,
      escalation,
      metadata: {
        provider: 'structured',
        model: 'structured-v1',
        intent,
        language: lang,
        confidence,
        entities,
        inputTokens: 0,
        outputTokens: 0,
      },
    },
  };
}

function interpretAnswer(
  q: QualificationQuestion,
  content: string,
  lang: SupportedLanguage,
  quickReplyId: string | undefined,
  found: { dates?: { start: string; end?: string }; partySize?: number },
): string | boolean | undefined {
  const chip = quickReplyId?.startsWith(`q:${q.id}:`) ? Number(quickReplyId.split(':')[2]) : undefined;
  switch (q.type) {
    case 'multiple_choice': {
      const i = matchOption(content, q.options, chip);
      if (i === undefined) return undefined;
      if (q.field === 'urgency') return urgencyFromOption(i, q.options.length);
      return q.options[i];
    }
    case 'yes_no': {
      const yes = chip !== undefined ? chip === 0 : parseYesNo(content);
      if (yes === undefined) return undefined;
      if (q.field === 'urgency') return yes ? 'high' : 'low';
      if (q.field === 'decisionMaker') return yes;
      return TOP_LEVEL_FIELDS.has(q.field) ? (yes ? 'yes' : 'no') : yes ? 'yes' : 'no';
    }
    case 'date':
      return found.dates
        ? found.dates.end
          ? `${found.dates.start} to ${found.dates.end}`
          : found.dates.start
        : undefined;
    case 'free_text': {
      if (q.field === 'partySize') {
        const n = found.partySize ?? parseSmallNumber(content, lang);
        return n && n > 0 ? String(n) : undefined;
      }
      if (q.field === 'budgetRange') {
        const b = extractBudget(content, { bareNumber: true });
        return b ? formatBudget(b) : content.trim().slice(0, 200) || undefined;
      }
      return content.trim().slice(0, 500) || undefined;
    }
  }
}

/** The first option is the most urgent, the last the least (as the templates order them). */
function urgencyFromOption(i: number, count: number): 'high' | 'medium' | 'low' {
  if (i === 0) return 'high';
  if (i === count - 1 && count > 2) return 'low';
  return 'medium';
}

function quickRepliesFor(q: QualificationQuestion, lang: SupportedLanguage): QuickReply[] {
  if (q.type === 'multiple_choice') return q.options.map((label, i) => ({ id: `q:${q.id}:${i}`, label }));
  if (q.type === 'yes_no') {
    const t = TEMPLATES[lang];
    return [
      { id: `q:${q.id}:0`, label: t.yes },
      { id: `q:${q.id}:1`, label: t.no },
    ];
  }
  return [];
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The first sentences of a document chunk, enough to answer without pasting the page. */
export function leadingSentences(text: string, maxChars = 320): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const sentences = flat.match(/[^.!?]+[.!?]+(\s|$)/g) ?? [];
  let out = '';
  for (const sentence of sentences) {
    if ((out + sentence).length > maxChars) break;
    out += sentence;
  }
  return (out || `${flat.slice(0, maxChars).replace(/\s+\S*$/, '')}…`).trim();
}
