import type { ContentLanguage, LeadIntent, Qualification, QualificationQuestion, QuickReply } from '@leaddesk/shared';
import { hoursContext } from '../../automation/business-hours/index.js';
import type { LeadPatch } from '../../conversation/conversation-core.js';
import {
  type AnswerCandidate,
  analyzeQuestion,
  answerQuestion,
  type FoundAnswer,
} from '../../knowledge/answer/index.js';
import { countryFromLocale } from '../../leads/normalize-contact.js';
import { type Understanding, understand } from '../../understanding/index.js';
import type { ReplyContext, ReplyEngine, ReplyEvent, ReplyResult } from '../reply-engine.js';
import { confirmUnderstood } from './confirm-understood.js';
import {
  asksForHuman,
  extractBudget,
  fold,
  formatBudget,
  matchOption,
  parseSmallNumber,
  parseYesNo,
} from './extract.js';
import { expandQuery } from './knowledge-query.js';
import { qualificationFacts } from './lead-facts.js';
import { localizeQuestion, serviceLabel } from './localize-question.js';
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
   * The tenant's knowledge bases (FAQ entries, documents), searched for the
   * visitor's questions. Without it only the configured FAQ entries answer.
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
    languages?: string[];
    recordUnanswered?: boolean | 'background';
  }): Promise<{
    answered: boolean;
    chunks: Array<{
      content: string;
      citation: string;
      faq: { question: string; answer: string } | null;
      source?: { heading: string | null };
    }>;
  }>;
}

/** What `compose` is given besides the conversation: the message read, and the answer found for it. */
export interface ComposeInput {
  /** Defaults to `understand()` on the trigger. */
  understanding?: Understanding;
  /** The answer to the visitor's question, when one was found (null: looked, none). */
  answer?: FoundAnswer | null;
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
/** Intents that are not a sale: acknowledged and handed over, never followed by a sales question. */
const HAND_OVER_INTENTS: ReadonlySet<string> = new Set(['complaint', 'cancellation']);

/**
 * The structured mode: a reply engine with no AI provider, written as a good
 * receptionist would answer, entirely in the visitor's language:
 * 1. it answers what was asked (the tenant's FAQs and knowledge base; only a
 *    passage that really answers that question, else "the team will confirm");
 * 2. it says back what it understood ("Tuesday afternoon for 2 people — noted.");
 * 3. it asks the most useful question still open for that intent (never one
 *    already answered, with quick replies in the visitor's language);
 * cancellations, complaints and urgent messages are acknowledged and handed
 * to staff by the tenant's rules instead. Everything understood is stored on
 * the lead and scored.
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
    const understanding = understandTrigger(context);
    let answer: FoundAnswer | null | undefined;
    if (asksSomething(understanding, context.trigger.content)) {
      if (context.client.config.faqs.length || this.knowledge) yield { type: 'status', status: 'looking_up' };
      answer = await this.lookUp(context, understanding);
    }
    const { text, result } = compose(context, { understanding, answer });
    yield* this.stream(text, signal);
    if (!signal.aborted) yield { type: 'done', result };
  }

  /** The tenant's FAQ entries and knowledge-base passages that answer the question, if any does. */
  private async lookUp(context: ReplyContext, u: Understanding): Promise<FoundAnswer | null> {
    const { client, trigger, conversation } = context;
    const question = trigger.content;
    const candidates = faqCandidates(context);
    const options = { ignoreNames: [client.name] };
    const fromFaqs = answerQuestion(question, u.language, candidates, options);
    if (fromFaqs && !fromFaqs.rendered) return fromFaqs;
    if (!this.knowledge || context.turn?.kb_languages?.length === 0) return fromFaqs;
    try {
      const kbLanguages = context.turn?.kb_languages;
      // One ranked search over every knowledge base: the question plus its topics' words in the bases'
      // languages (a Spanish question finds an English price list). A passage in the visitor's own language
      // wins in answerQuestion, so a base in that language needs no search of its own; a few more passages
      // than an AI prompt takes leave room for both languages' best.
      const result = await this.knowledge.retrieveForConversation({
        clientId: client.id,
        conversationId: conversation.id,
        recentVisitorMessages: [expandQuery(question, kbLanguages)],
        k: kbLanguages && kbLanguages.length > 1 ? 8 : 5,
        ...(kbLanguages ? { languages: kbLanguages } : {}),
        recordUnanswered: false,
      });
      candidates.push(...candidatesOf(result.chunks));
      const found = answerQuestion(question, u.language, candidates, options);
      if (!found) {
        // Nothing answers it: the question goes on the tenant's list of unanswered ones.
        await this.knowledge.retrieveForConversation({
          clientId: client.id,
          conversationId: conversation.id,
          recentVisitorMessages: [question],
          k: 1,
          recordUnanswered: true,
        });
      }
      return found;
    } catch {
      // Retrieval is a bonus here: without it the structured mode still answers from FAQs and qualifies.
      return fromFaqs;
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

function faqCandidates(context: ReplyContext): AnswerCandidate[] {
  return context.client.config.faqs.map((f) => ({
    text: f.answer,
    citation: f.question,
    faq: { question: f.question, translations: f.translations },
  }));
}

/** The configured FAQ entry that answers the trigger, in the visitor's language. */
export function answerFromFaqs(context: ReplyContext, u: Understanding): FoundAnswer | null {
  return answerQuestion(context.trigger.content, u.language, faqCandidates(context), {
    ignoreNames: [context.client.name],
  });
}

function tenantLanguageOf(locale: string): string {
  return locale.split(/[-_]/)[0] ?? 'en';
}

/** The trigger message read by the understanding module, with the tenant's calendar, region and services. */
export function understandTrigger(context: ReplyContext): Understanding {
  const { client, trigger, lead } = context;
  return understand({
    text: trigger.content,
    now: context.now ?? new Date(trigger.createdAt),
    timeZone: client.timezone,
    region: countryFromLocale(client.locale),
    knownLanguage: lead?.language ?? null,
    fallbackLanguage: tenantLanguageOf(client.locale),
    services: client.config.services,
    industry: client.industry,
  });
}

/** Whether the message asks something a FAQ or document might answer. */
export function asksSomething(u: Understanding, text?: string): boolean {
  return (
    u.asksQuestion ||
    u.intent === 'pricing' ||
    u.intent === 'information' ||
    u.intents.includes('pricing') ||
    // A question mark anywhere: "Do you offer sedation? I am an anxious patient".
    Boolean(text?.includes('?'))
  );
}

type HandOver = 'emergency' | 'complaint' | 'cancellation' | 'urgent';

/** Builds the reply text and its metadata; pure, so it is unit-tested directly. */
export function compose(context: ReplyContext, input: ComposeInput = {}): { text: string; result: ReplyResult } {
  const { client, lead, history, trigger } = context;
  const config = client.config;
  const content = trigger.content;
  const u = input.understanding ?? understandTrigger(context);
  const lang: ContentLanguage = u.language;
  const t = TEMPLATES[lang];
  const tenantLanguage = tenantLanguageOf(client.locale);

  const qualification: Qualification = {
    ...(lead?.qualification ?? {}),
    custom: { ...(lead?.qualification.custom ?? {}) },
  };
  const patch: LeadPatch = {};
  const qualificationPatch: Partial<Qualification> & { custom: Record<string, string> } = { custom: {} };
  const contact = { name: lead?.name ?? null, email: lead?.email ?? null, phone: lead?.phone ?? null };
  const entities: Record<string, unknown> = { intents: u.intents };
  if (u.evidence.length) entities.evidence = u.evidence;

  const setField = (field: string, value: string | boolean) => {
    if (TOP_LEVEL_FIELDS.has(field)) {
      (qualification as Record<string, unknown>)[field] = value;
      (qualificationPatch as Record<string, unknown>)[field] = value;
    } else {
      qualification.custom[field] = String(value);
      qualificationPatch.custom[field] = String(value);
    }
  };
  const fieldValue = (field: string): unknown =>
    TOP_LEVEL_FIELDS.has(field) ? (qualification as Record<string, unknown>)[field] : qualification.custom[field];

  // Contact details fill gaps; what the lead already gave is kept.
  if (u.email) {
    entities.email = u.email;
    if (!contact.email) patch.email = contact.email = u.email;
  }
  if (u.phone) {
    entities.phone = u.phone;
    if (!contact.phone) patch.phone = contact.phone = u.phone;
  }
  if (u.name) {
    entities.name = u.name;
    if (!contact.name) patch.name = contact.name = u.name;
  }
  if (u.date) entities.dates = u.date;
  if (u.party) entities.partySize = u.party.total;
  if (u.budget) entities.budget = u.budget;
  if (u.bedrooms !== undefined) entities.bedrooms = u.bedrooms;
  if (u.service) entities.service = u.service.name;

  // Everything the message says goes on the lead, asked for or not.
  const facts = qualificationFacts(u, qualification);
  for (const [field, value] of Object.entries(facts)) {
    if (field !== 'custom' && typeof value === 'string') setField(field, value);
  }
  for (const [field, value] of Object.entries(facts.custom)) setField(field, value);

  // The answer to the question asked last (a chip, a number, a word).
  const previousAi = [...history].reverse().find((m) => m.role === 'ai' && m.id !== trigger.id);
  const pendingStep = previousAi?.ai?.intent?.startsWith('ask:') ? previousAi.ai.intent.slice(4) : undefined;
  const questions = config.qualificationQuestions;
  const isAnswered = (q: QualificationQuestion) => {
    const v = fieldValue(q.field);
    return v !== undefined && v !== null && v !== '';
  };
  let answeredPending = false;
  if (pendingStep && pendingStep !== CONTACT_STEP) {
    const q = questions.find((x) => x.id === pendingStep);
    const localized = q ? localizeQuestion(q, lang, config, tenantLanguage) : null;
    const alreadyBefore = q ? lead && valueOfLead(lead.qualification, q.field) !== undefined : true;
    if (q && !alreadyBefore) {
      const answer = interpretAnswer(q, content, u, context.quickReplyId, localized?.options ?? [], config.services);
      if (answer !== undefined) {
        setField(q.field, answer);
        answeredPending = true;
      }
    }
  }
  const contactGiven = pendingStep === CONTACT_STEP && Boolean(u.email || u.phone);

  const parts: string[] = [];
  let intent = 'answer';
  let quickReplies: QuickReply[] = [];
  let escalation: ReplyResult['escalation'];
  let confidence = 0.6;
  const firstReply = !history.some((m) => m.role === 'ai' || m.role === 'staff');
  if (firstReply) parts.push(t.greeting(client.name));

  const rules = config.escalation;
  const wantsHuman = u.intent === 'human_request' || asksForHuman(content);
  // "Yes, urgent" answering the tenant's own urgency question qualifies the lead; it is not a plea for help.
  const answeringUrgency = questions.find((q) => q.id === pendingStep)?.field === 'urgency';
  const handOver: HandOver | undefined = u.emergency
    ? 'emergency'
    : u.intent === 'complaint'
      ? 'complaint'
      : u.intent === 'cancellation'
        ? 'cancellation'
        : u.urgency === 'high' && !answeringUrgency && urgencyInWords(u)
          ? 'urgent'
          : undefined;
  const folded = fold(content);
  const keyword = rules.keywords.find((k) => folded.includes(fold(k)));
  const needsContact = !contact.email && !contact.phone;

  if (wantsHuman && rules.onHumanRequest) {
    escalation = {
      reason: 'visitor_request',
      priority: 'high',
      detail: `Visitor asked for a person: "${clip(content)}"`,
    };
    intent = 'escalate';
    confidence = 0.9;
    parts.push(t.escalate);
    if (needsContact) {
      parts.push(t.escalateAskContact);
      intent = `ask:${CONTACT_STEP}`;
    }
  } else if (handOver) {
    // Acknowledge, hand over by the tenant's rules, and ask nothing but a way to reach them.
    const escalate =
      handOver === 'complaint'
        ? rules.onComplaint
        : handOver === 'cancellation'
          ? rules.onCancellation
          : rules.onUrgent;
    parts.push(
      { emergency: t.emergencyAck, complaint: t.complaintAck, cancellation: t.cancellationAck, urgent: t.urgentAck }[
        handOver
      ],
    );
    // "I need to cancel. Is there a fee?": what the policy says, before the hand-over.
    if (input.answer && handOver === 'cancellation') {
      parts.push(input.answer.text);
      entities.source = input.answer.citation;
      if (input.answer.faqQuestion) entities.faq = input.answer.faqQuestion;
    }
    if (escalate) {
      escalation = {
        reason: handOver === 'cancellation' ? 'other' : handOver === 'complaint' ? 'complaint' : 'urgent',
        priority: handOver === 'emergency' ? 'urgent' : handOver === 'cancellation' ? 'normal' : 'high',
        detail: `${handOverLabel(handOver)}: "${clip(content)}"`,
      };
      parts.push(handOver === 'cancellation' ? t.cancellationHandedOver : t.handedOver);
    } else {
      parts.push(t.teamWillFollowUp);
    }
    intent = 'escalate';
    confidence = 0.85;
    if (needsContact) {
      parts.push(t.escalateAskContact);
      intent = `ask:${CONTACT_STEP}`;
    }
  } else {
    // Urgent only by its date ("tomorrow"): staff are told, and the visitor is served as usual.
    if (u.urgency === 'high' && !answeringUrgency && rules.onUrgent) {
      escalation = { reason: 'urgent', priority: 'high', detail: `Urgent request: "${clip(content)}"` };
    }
    if (keyword) {
      escalation = {
        reason: 'keyword',
        priority: 'high',
        detail: `Escalation keyword "${keyword}" in: "${clip(content)}"`,
      };
    }
    // 1. What was asked (without a knowledge lookup, from the configured FAQ entries).
    const asked = asksSomething(u, content);
    const answer = input.answer !== undefined ? input.answer : asked ? answerFromFaqs(context, u) : null;
    if (answer) {
      parts.push(answer.text);
      // "Are you open on Sundays? And do you do veneers?": what no passage answers, the team confirms.
      if (answer.partial) parts.push(t.willConfirm);
      intent = 'faq';
      confidence = answer.rendered ? 0.75 : 0.85;
      entities.source = answer.citation;
      if (answer.faqQuestion) entities.faq = answer.faqQuestion;
    } else if (asked && (content.includes('?') || isSpecificQuestion(content, lang))) {
      // Something specific was asked and nothing answers it for sure: the team confirms (never a guess).
      parts.push(t.willConfirm);
      entities.unanswered = true;
      confidence = 0.5;
    }
    // 2. What was understood.
    const confirmation = confirmUnderstood(
      {
        // A service named in a question ("how much is whitening?") was asked about, not chosen.
        service:
          u.service && (!asked || u.intent === 'booking' || u.intent === 'reschedule')
            ? serviceLabel(config, u.service.name, lang, tenantLanguage)
            : undefined,
        date: u.date,
        party: u.party,
        bedrooms: u.bedrooms,
        budget: u.budget,
      },
      lang,
    );
    if (confirmation) parts.push(t.noted(confirmation));
    else if (contactGiven) parts.push(t.contactThanks);
    else if (answeredPending) parts.push(t.thanks);
    else if (pendingStep && pendingStep !== CONTACT_STEP && !asked && !understoodAnything(u)) {
      parts.push(t.notUnderstood);
      confidence = 0.3;
    }
    // 3. The most useful question still open; none after a complaint, a cancellation or an emergency.
    const handedOverBefore =
      HAND_OVER_INTENTS.has(lead?.qualification.custom?.intent ?? '') ||
      lead?.qualification.custom?.emergency === 'yes';
    const next = handedOverBefore
      ? undefined
      : nextQuestion(questions, isAnswered, u.intent, (q) => localizeQuestion(q, lang, config, tenantLanguage));
    if (next) {
      parts.push(next.localized.question);
      intent = `ask:${next.q.id}`;
      quickReplies = next.localized.quickReplies;
    } else if (needsContact) {
      parts.push(t.askContact);
      intent = `ask:${CONTACT_STEP}`;
    } else if (handedOverBefore) {
      parts.push(t.teamWillFollowUp);
      intent = 'escalate';
    } else if (previousAi?.ai?.intent !== 'complete' && previousAi?.ai?.intent !== 'escalate') {
      parts.push(t.complete(client.name));
      intent = 'complete';
    } else if (!answer && !asked) {
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

  // Closed now: say when someone will call back, once per opening (the call-back task names the same time).
  const hours = hoursContext(client, context.now ?? new Date(trigger.createdAt), lang);
  entities.hoursMode = hours.mode;
  if (hours.expectation && !history.some((m) => m.role === 'ai' && m.ai?.entities?.callbackAt === hours.nextOpenAt)) {
    parts.push(hours.expectation);
    entities.callbackAt = hours.nextOpenAt;
  }

  return {
    text: parts.join(' '),
    result: {
      quickReplies,
      leadUpdates: patch,
      escalation,
      metadata: {
        provider: 'structured',
        model: 'structured-v2',
        intent,
        language: lang,
        confidence,
        entities: { ...entities, leadIntent: u.intent },
        inputTokens: 0,
        outputTokens: 0,
      },
    },
  };
}

/** Whether the message names something to answer (a service, a topic, a brand), not just "information please". */
function isSpecificQuestion(text: string, language: ContentLanguage): boolean {
  const q = analyzeQuestion(text, language);
  return q.subjects.length > 0 || q.names.length > 0;
}

function valueOfLead(q: Qualification, field: string): unknown {
  const v = TOP_LEVEL_FIELDS.has(field) ? (q as Record<string, unknown>)[field] : q.custom?.[field];
  return v === '' || v === null ? undefined : v;
}

function clip(text: string): string {
  return text.slice(0, 300);
}

function handOverLabel(kind: HandOver): string {
  return { emergency: 'Emergency', complaint: 'Complaint', cancellation: 'Cancellation', urgent: 'Urgent request' }[
    kind
  ];
}

/** Urgency the visitor expressed ("asap", "it hurts"), not only read from a date that is close. */
function urgencyInWords(u: Understanding): boolean {
  const said = u.evidence.filter((e) => e.field === 'urgency');
  return said.length === 0 || said.some((e) => e.text !== u.date?.text);
}

function understoodAnything(u: Understanding): boolean {
  return Boolean(u.email || u.phone || u.date || u.budget || u.party || u.bedrooms || u.service || u.urgency);
}

/**
 * The first open question that fits the intent and can be asked in the
 * visitor's language: a reschedule only needs the new date; everything else
 * follows the tenant's order.
 */
function nextQuestion(
  questions: QualificationQuestion[],
  isAnswered: (q: QualificationQuestion) => boolean,
  intent: LeadIntent,
  localize: (q: QualificationQuestion) => ReturnType<typeof localizeQuestion>,
) {
  for (const q of questions) {
    if (isAnswered(q)) continue;
    if (intent === 'reschedule' && q.field !== 'timeline') continue;
    const localized = localize(q);
    if (localized) return { q, localized };
  }
  return undefined;
}

function interpretAnswer(
  q: QualificationQuestion,
  content: string,
  u: Understanding,
  quickReplyId: string | undefined,
  shownOptions: string[],
  services: string[],
): string | boolean | undefined {
  const chip = quickReplyId?.startsWith(`q:${q.id}:`) ? Number(quickReplyId.split(':')[2]) : undefined;
  switch (q.type) {
    case 'multiple_choice': {
      const i = matchOption(content, q.options, chip) ?? matchOption(content, shownOptions);
      if (i === undefined) return undefined;
      if (q.field === 'urgency') return urgencyFromOption(i, q.options.length);
      const option = q.options[i]!;
      if (q.field === 'serviceInterest') return serviceFor(option, services);
      return option;
    }
    case 'yes_no': {
      const yes = chip !== undefined ? chip === 0 : parseYesNo(content);
      if (yes === undefined) return undefined;
      if (q.field === 'urgency') return yes ? 'high' : 'low';
      if (q.field === 'decisionMaker') return yes;
      return yes ? 'yes' : 'no';
    }
    case 'date':
      return u.date ? (u.date.end ? `${u.date.start} to ${u.date.end}` : u.date.start) : undefined;
    case 'free_text': {
      if (q.field === 'partySize') {
        const n = u.party?.total ?? parseSmallNumber(content, u.language);
        return n && n > 0 ? String(n) : undefined;
      }
      if (q.field === 'bedrooms') {
        const n = u.bedrooms ?? parseSmallNumber(content, u.language);
        return n && n > 0 ? String(n) : undefined;
      }
      if (q.field === 'budgetRange') {
        const b = extractBudget(content, { bareNumber: true });
        return b ? formatBudget(b) : undefined;
      }
      // A question in reply is not an answer ("Which area?" → "How much is a valuation?").
      if (u.asksQuestion || u.intent === 'pricing' || u.intent === 'complaint' || u.intent === 'cancellation') {
        return undefined;
      }
      return content.trim().slice(0, 500) || undefined;
    }
  }
}

/** An option of the service question as one of the tenant's services (the lead stores the service). */
function serviceFor(option: string, services: string[]): string {
  const o = fold(option);
  return (
    services.find((s) => fold(s) === o) ?? services.find((s) => fold(s).includes(o) || o.includes(fold(s))) ?? option
  );
}

/** The first option is the most urgent, the last the least (as the templates order them). */
function urgencyFromOption(i: number, count: number): 'high' | 'medium' | 'low' {
  if (i === 0) return 'high';
  if (i === count - 1 && count > 2) return 'low';
  return 'medium';
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

type RetrievedChunks = Awaited<ReturnType<StructuredKnowledgeSource['retrieveForConversation']>>['chunks'];

function candidatesOf(chunks: RetrievedChunks) {
  return chunks.map((c) =>
    c.faq
      ? { text: c.faq.answer, citation: c.citation, faq: { question: c.faq.question } }
      : { text: c.content, citation: c.citation, heading: c.source?.heading ?? null },
  );
}
