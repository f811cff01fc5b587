import type { ContentLanguage } from '@leaddesk/shared';
import { fold } from '../../replies/structured/extract.js';
import { detectLanguage } from '../../replies/structured/language.js';
import { conceptKind } from '../../understanding/concepts.js';
import { conceptLabel, conceptRole, findConcepts, isBrand } from './concept-labels.js';
import { parseOpeningHours, renderOpeningHours, renderTimes, weekdaysAsked } from './opening-hours.js';
import { questionParts, questionSentences } from './question-parts.js';
import { pricedQuantity, renderFact } from './render-fact.js';
import { addressIn, amountsIn, isFree, isPlainlyFree, splitSentences } from './sentences.js';

/**
 * Answer extraction for the structured mode: given a visitor's question and
 * candidate passages (the tenant's FAQ entries, knowledge-base chunks), the
 * sentence or two that answer it, or nothing.
 *
 * A passage answers only if it names the question's subject (the service or
 * topic: cleaning, insurance, parking; and any proper name such as "Cigna"),
 * and, when a price is asked, states an amount. So a whitening price never
 * answers a cleaning question. Subjects are compared as concepts, in every
 * language, so a document in one language still answers a question in
 * another; the answer is then given in the visitor's language: a passage in
 * that language when there is one, else the fact rendered in it ("Limpieza
 * dental: $95"), else nothing (never foreign text pasted into the reply).
 */
export interface AnswerCandidate {
  /** The passage: an FAQ answer or a document chunk. */
  text: string;
  /** "price-list.pdf › Cleaning" or the FAQ's question: recorded as the answer's source. */
  citation: string;
  /** A heading the passage sits under: its subject counts for lines that name none. */
  heading?: string | null;
  /** The passage's language, when known (detected otherwise). */
  language?: ContentLanguage;
  /** An FAQ entry: matched on its question, in each language it has. */
  faq?: {
    question: string;
    translations?: Partial<Record<ContentLanguage, { question: string; answer: string }>>;
  };
}

export interface FoundAnswer {
  /** In the visitor's language. */
  text: string;
  citation: string;
  /** The FAQ question it answers with, for FAQ entries. */
  faqQuestion?: string;
  /** Built from a passage in another language (a price fact), not quoted. */
  rendered: boolean;
  subjects: string[];
  /** Every source used, when the message asked several things. */
  citations?: string[];
  /** The message asked several things and some found no answer. */
  partial?: boolean;
}

export interface AnswerOptions {
  /** Words that are not a subject even when capitalised (the business's own name). */
  ignoreNames?: string[];
  /** @default 320 */
  maxChars?: number;
}

export interface QuestionSubject {
  subjects: string[];
  aspects: string[];
  /** Proper names the passage must contain ("Cigna", "AXA"). */
  names: string[];
  /** Places named after "in/en/à/in/em/a" ("in Lisbon"): where, not what; a passage naming one ranks higher. */
  places: string[];
  /** Content words, used only when the question names no known subject. */
  words: string[];
  /** The subjects come from the question sentences themselves, not from the statements around them. */
  focused?: boolean;
}

const GENERIC = new Set(
  (
    'hello hi hey good morning afternoon evening thanks thank please could would should about there their ' +
    'which where what when whose wondering question know want wanted like looking need needs help tell ' +
    'hola buenas buenos dias tardes gracias quisiera queria saber favor pregunta ustedes tienen hacen ' +
    'bonjour bonsoir merci voudrais savoir question avez faites ' +
    'hallo guten morgen abend danke bitte mochte wissen frage haben ihnen konnen ' +
    'bom olá obrigado obrigada gostaria saber pergunta voces fazem ' +
    'ciao buongiorno buonasera grazie vorrei sapere domanda avete fate'
  ).split(' '),
);
const PRICE_WORDS =
  /\b(fee|fees|charge[sd]?|cost|costs|how much|cuanto|cuesta|precio|tarifa|cobran|prix|combien|frais|tarif|kostet|kosten|gebuhr|preis|quanto|custa|preco|taxa|costa|prezzo|devis|quote|preventivo|orcamento de)\b/;
/** "Is the consultation free?", "C'est payant ?", "a consulta é paga?": whether it costs is a price question. */
const FREE_ASKED =
  /\b(free|free of charge|gratis|gratuit[aoe]?s?|kostenlos|kostenfrei|kostenpflichtig|payant[e]?|de pago|e paga|e pago|a pagamento|si paga|se paga)\b/;
const TIME_WORDS =
  /\b(what time|until when|how late|how early|a que horas?|que horas|hasta que hora|a quelle heure|quelle heure|jusqu'?a quelle heure|um wie viel uhr|wie spat|bis wann|ab wann|ate que horas|a che ora|che ora|fino a che ora|orari?o)\b/;
/** "Is breakfast included?": whether something comes with the price, asked and stated in six languages. */
const INCLUDED =
  /\b(included|including|incluid[oa]s?|incluye|inclus[ea]?s?|compris[e]?|inklusive|inbegriffen|enthalten|incluid[oa]|inclus[oa]|incluse|compres[oa])\b/;
const NOT_INCLUDED =
  /\b(not included|no incluid[oa]|non inclus[ea]?|non compris[e]?|nicht inbegriffen|nicht enthalten|nicht inklusive|nao incluid[oa]|non inclus[oa]|non compres[oa])\b/;
const INCLUDED_WORD: Record<ContentLanguage, [string, string]> = {
  en: ['included', 'not included'],
  es: ['incluido', 'no incluido'],
  fr: ['inclus', 'non inclus'],
  de: ['inklusive', 'nicht inklusive'],
  pt: ['incluído', 'não incluído'],
  it: ['incluso', 'non incluso'],
};
/** Words before a place name: in, at, en, à, em, no, na, a, nel, im, bei… */
const LOCATIVE = /(?:^|\s)(?:in|at|near|en|a|au|aux|em|no|na|nel|nella|im|bei|zu|nach)\s+$/;
const NOT_NAMES = new Set(
  (
    'i hi hello hey dear dr mr mrs ms monday tuesday wednesday thursday friday january february march april may june ' +
    'july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'ok okay yes no english'
  ).split(' '),
);

/** What a question is about: the subjects a passage must name, and what is asked about them. */
export function analyzeQuestion(
  question: string,
  language: ContentLanguage,
  options: AnswerOptions = {},
): QuestionSubject {
  // What the question sentences name decides; the statements around them only when the questions name
  // nothing ("I'd like my house valued. Is it free?"). "A double room for 2 (a cot possible?)" asks about the cot.
  const asking = questionSentences(question);
  const askedText = asking.join(' ');
  const inQuestions = asking.length ? findConcepts(askedText, language) : [];
  const focused = inQuestions.some((c) => conceptRole(c.concept) === 'subject');
  const found = focused ? inQuestions : findConcepts(question, language);
  const about = focused ? askedText : question;
  const named = found
    .filter((c) => conceptRole(c.concept) === 'subject')
    // "2 adults and 2 children" says who comes, it asks nothing about children.
    .filter((c) => c.concept !== 'children' || !COUNTED.test(fold(about).split(c.text)[0] ?? ''))
    .map((c) => c.concept);
  // "I want to cancel my booking. Do I get the deposit back?": the refund is the cancellation policy's.
  if (
    focused &&
    !named.includes('cancellation_policy') &&
    findConcepts(question, language).some((c) => c.concept === 'cancellation_policy')
  ) {
    named.push('cancellation_policy');
  }
  // "Keep the room until 4 pm on departure day": a late check-out, not also the check-out itself.
  const subjects = named.filter((c) => !named.some((o) => IMPLIES[o]?.includes(c)));
  const aspects = found.filter((c) => conceptRole(c.concept) === 'aspect').map((c) => c.concept);
  // "cancellation fee": the fee is inside another concept's words, but a price is still asked.
  if (
    !aspects.includes('price') &&
    (PRICE_WORDS.test(fold(about)) || FREE_ASKED.test(fold(about)) || subjects.includes('commission'))
  ) {
    aspects.push('price');
  }
  if (FREE_ASKED.test(fold(about))) aspects.push('free');
  if (INCLUDED.test(fold(about))) aspects.push('included');
  // "breakfast hours", "what time is check-out?": a time is asked about the other subject.
  if (TIME_WORDS.test(fold(about))) aspects.push('time');
  if (
    subjects.includes('hours') &&
    subjects.some((s) => s !== 'hours' && (TIMED.has(s) || conceptKind(s) === 'service'))
  ) {
    subjects.splice(subjects.indexOf('hours'), 1);
    aspects.push('time');
  }
  const covered = found.map((c) => c.text);
  const ignore = new Set((options.ignoreNames ?? []).flatMap((n) => fold(n).split(/\s+/)));
  const names: string[] = [];
  const places: string[] = [];
  // Names count where something is asked: "rent in Lisbon. We have a cat, is that a problem?" asks about the cat.
  const scope = asking.length ? askedText : question.trim();
  // German capitalises every noun: there only acronyms count as names.
  const namePattern = language === 'de' ? /\b\p{Lu}{2,}\b/gu : /(?<![.!?¿¡]\s*|^)\b\p{Lu}[\p{L}&-]+/gu;
  for (const m of scope.matchAll(namePattern)) {
    const word = fold(m[0]);
    if (NOT_NAMES.has(word) || ignore.has(word) || weekdaysAsked(word).length) continue;
    if (!isBrand(word) && covered.some((c) => c.includes(word) || word.includes(c))) continue;
    // "an office in Lisbon", "vendere a Cascais": a place says where; the answer need not repeat it.
    if (LOCATIVE.test(fold(scope.slice(Math.max(0, m.index - 6), m.index)))) places.push(m[0]);
    else names.push(m[0]);
  }
  const words = fold(question)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 5 && !GENERIC.has(w) && !covered.some((c) => c.includes(w)));
  return { subjects: [...new Set(subjects)], aspects: [...new Set(aspects)], names, places, words, focused };
}

/** Topics that are the whole business's policy, not a service's: a line on them answers for every service. */
const GENERAL_TOPICS = new Set([
  'payment',
  'financing',
  'insurance',
  'parking',
  'pets',
  'children',
  'languages_spoken',
  'tax_number',
  'wifi',
  'accessibility',
]);

/** A number just before a word: "2 crianças", "tres niños". */
const COUNTED =
  /(?:\b\d+|\b(?:two|three|four|dos|tres|cuatro|deux|trois|quatre|zwei|drei|vier|dois|duas|tres|quatro|due|tre|quattro))\s+(?:\p{L}+\s+)?$/u;

/** A subject that contains another: a passage on the first answers, one on the second alone does not. */
const IMPLIES: Record<string, string[]> = {
  late_checkout: ['check_out'],
  room_upgrade: ['room'],
  short_let: ['rent'],
  children_policy: ['children'],
};

/** Topics with a price of their own: a price line about one of them prices nothing else. */
const PRICED_TOPICS = new Set([
  'tourist_tax',
  'pets',
  'parking',
  'deposit',
  'commission',
  'cancellation_policy',
  'children_policy',
  'wifi',
  'tax_number',
]);

/** Subjects whose time a passage may state: check-in, breakfast, the spa. */
const TIMED = new Set(['check_in', 'check_out', 'late_checkout', 'breakfast', 'spa', 'pool', 'gym']);

const FREE_WORD: Record<ContentLanguage, string> = {
  en: 'free',
  es: 'gratis',
  fr: 'gratuit',
  de: 'kostenlos',
  pt: 'gratuito',
  it: 'gratuito',
};

interface Scored {
  score: number;
  language: ContentLanguage;
  text: string;
  /** For a foreign passage: what can be rendered of it. */
  facts: { subjects: string[]; amounts: string[]; free?: boolean; sentence?: string; direct?: boolean };
  /** Another line of the passage, on another subject of the question. */
  more?: { subjects: string[]; sentence: string; direct: boolean };
  citation: string;
  faqQuestion?: string;
  subjects: string[];
}

/** The answer to `question` in `language`, or null when no passage really answers it. */
export function answerQuestion(
  question: string,
  language: ContentLanguage,
  candidates: AnswerCandidate[],
  options: AnswerOptions = {},
): FoundAnswer | null {
  const parts = questionParts(question);
  if (parts.length < 2) return answerOne(question, language, candidates, options);
  // Two questions, two answers ("Are you open on Saturdays? And how much is parking?").
  const found: FoundAnswer[] = [];
  let missing = 0;
  for (const part of parts) {
    const a = answerOne(part, language, candidates, options);
    if (!a) missing++;
    else if (!found.some((f) => f.text === a.text)) found.push(a);
  }
  if (!found.length) return null;
  const first = found[0]!;
  return {
    ...first,
    text: found.map((f) => f.text).join(' '),
    rendered: found.some((f) => f.rendered),
    subjects: [...new Set(found.flatMap((f) => f.subjects))],
    citations: [...new Set(found.map((f) => f.citation))],
    partial: missing > 0,
  };
}

function answerOne(
  question: string,
  language: ContentLanguage,
  candidates: AnswerCandidate[],
  options: AnswerOptions,
): FoundAnswer | null {
  const q = analyzeQuestion(question, language, options);
  if (!q.subjects.length && !q.names.length && !q.words.length) return null;
  // Opening hours are facts said in any language: "Saturday: 9:00–14:00", never a foreign sentence.
  const hours = q.subjects.includes('hours') ? answerHours(question, q, language, candidates) : null;
  if (hours) {
    const rest = q.subjects.filter((s) => s !== 'hours');
    // "What are your hours on Saturday? Also is there parking?": the other topic is answered too.
    const other = rest.length ? answerAnalyzed({ ...q, subjects: rest }, language, candidates, options) : null;
    if (!other) return hours;
    return {
      ...hours,
      text: `${hours.text} ${other.text}`,
      rendered: hours.rendered || other.rendered,
      subjects: [...hours.subjects, ...other.subjects],
    };
  }
  return answerAnalyzed(q, language, candidates, options);
}

/** Opening hours from the passages that state them, rendered in the visitor's language. */
function answerHours(
  question: string,
  q: QuestionSubject,
  language: ContentLanguage,
  candidates: AnswerCandidate[],
): FoundAnswer | null {
  // "When does the spa open?": the business's hours would answer another subject.
  if (q.subjects.some((s) => s !== 'hours' && conceptKind(s) === 'service') || q.names.length) return null;
  const asked = weekdaysAsked(question);
  for (const candidate of candidates) {
    if (candidate.faq) continue;
    const headingConcepts = candidate.heading ? conceptsOf(candidate.heading) : new Set<string>();
    const sentences = splitSentences(withoutHeading(candidate.text, candidate.heading)).filter((sentence) => {
      // A line about another subject ("the spa is open daily 9–20") is not the business's hours.
      const own = [...conceptsOf(sentence)].filter((c) => conceptRole(c) === 'subject' && c !== 'hours');
      return !own.length;
    });
    const facts = parseOpeningHours(sentences);
    if (!facts.length) continue;
    // The passage must be about hours (its heading or one of its lines), not a timetable of something else.
    if (!headingConcepts.has('hours') && !findConcepts(candidate.text).some((c) => c.concept === 'hours')) continue;
    const text = renderOpeningHours(facts, language, asked);
    if (!text) continue;
    return { text, citation: candidate.citation, rendered: true, subjects: ['hours'] };
  }
  return null;
}

function answerAnalyzed(
  q: QuestionSubject,
  language: ContentLanguage,
  candidates: AnswerCandidate[],
  options: AnswerOptions,
): FoundAnswer | null {
  const scored: Scored[] = [];
  for (const candidate of candidates) {
    const hit = candidate.faq ? scoreFaq(q, candidate, language) : scorePassage(q, candidate, options.maxChars ?? 320);
    if (hit) scored.push(hit);
  }
  if (!scored.length) return null;
  // Best first; a passage in the visitor's language wins over a better one that would have to be rendered.
  scored.sort((a, b) => Number(b.language === language) - Number(a.language === language) || b.score - a.score);
  const best = scored[0]!;
  if (best.language === language) {
    return {
      text: best.text,
      citation: best.citation,
      faqQuestion: best.faqQuestion,
      rendered: false,
      subjects: best.subjects,
    };
  }
  // Another language: only a fact that can be said in the visitor's words (a price), never the foreign text.
  const wantsPrice = q.aspects.includes('price');
  for (const s of scored) {
    if (!s.facts.subjects.length) continue;
    // A time said about the subject ("Check-out is by 11 am" → "Check-out: até às 11:00").
    const times = !wantsPrice && s.facts.sentence ? renderTimes(s.facts.sentence, language) : null;
    if (
      times &&
      s.facts.subjects.every((c) => TIMED.has(c)) &&
      (q.aspects.includes('time') || !s.facts.amounts.length)
    ) {
      const labels = s.facts.subjects.map((c) => conceptLabel(c, language));
      if (labels.every(Boolean)) {
        return {
          text: `${labels.join(' / ')}: ${times}.`,
          citation: s.citation,
          faqQuestion: s.faqQuestion,
          rendered: true,
          subjects: s.subjects,
        };
      }
    }
    // "Is breakfast included?" → "Petit-déjeuner: inclus".
    if (q.aspects.includes('included') && s.facts.sentence && INCLUDED.test(fold(s.facts.sentence))) {
      const labels = s.facts.subjects.map((c) => conceptLabel(c, language));
      if (labels.every(Boolean)) {
        const [yes, no] = INCLUDED_WORD[language];
        return {
          text: `${labels.join(' / ')}: ${NOT_INCLUDED.test(fold(s.facts.sentence)) ? no : yes}.`,
          citation: s.citation,
          faqQuestion: s.faqQuestion,
          rendered: true,
          subjects: s.subjects,
        };
      }
    }
    // An address is names and numbers: "Morada: 350 West 57th Street, Suite 4B".
    const address = s.facts.sentence && s.facts.subjects.includes('location') ? addressIn(s.facts.sentence) : null;
    if (address && !wantsPrice) {
      return {
        text: `${conceptLabel('location', language)}: ${address}.`,
        citation: s.citation,
        faqQuestion: s.faqQuestion,
        rendered: true,
        subjects: s.subjects,
      };
    }
    const labels = s.facts.subjects.map((c) => conceptLabel(c, language));
    if (labels.some((x) => !x)) continue;
    const label = labels.join(' / ');
    if (wantsPrice && (s.facts.amounts.length || s.facts.free)) {
      // The amounts with what they are per ("$8, 2 hours"), else the bare amounts.
      const value = s.facts.amounts.length ? [...new Set(s.facts.amounts)].join(' / ') : FREE_WORD[language];
      const fact =
        s.facts.amounts.length && s.facts.sentence
          ? renderFact(s.facts.sentence, language, {
              label,
              askedNames: q.names,
              ignoreNames: options.ignoreNames,
              priceAsked: true,
              direct: s.facts.direct ?? false,
              sourceLanguage: s.language,
            })
          : null;
      return {
        text: fact ?? `${label}: ${value}.`,
        citation: s.citation,
        faqQuestion: s.faqQuestion,
        rendered: true,
        subjects: s.subjects,
      };
    }
    // Any other fact the sentence states in numbers and names ("Haustiere: 15 kg, 25 € pro Nacht").
    // "Can we rent just for January?" names only a service: some fact about renting is no answer to it.
    if (!q.focused && !q.names.length && !q.aspects.length && q.subjects.every((c) => conceptKind(c) === 'service')) {
      continue;
    }
    // Hours and addresses have their own renderers above.
    const render = (f: { subjects: string[]; sentence?: string; direct?: boolean }) => {
      const labels = f.subjects.map((c) => conceptLabel(c, language));
      if (!f.sentence || labels.some((x) => !x) || f.subjects.some((c) => c === 'hours' || c === 'location'))
        return null;
      return renderFact(f.sentence, language, {
        label: labels.join(' / '),
        askedNames: q.names,
        ignoreNames: options.ignoreNames,
        priceAsked: wantsPrice,
        direct: f.direct ?? false,
        sourceLanguage: s.language,
      });
    };
    const first = render(s.facts);
    const second = first && s.more ? render(s.more) : null;
    const rendered = first && second ? `${first} ${second}` : first;
    if (rendered) {
      return { text: rendered, citation: s.citation, faqQuestion: s.faqQuestion, rendered: true, subjects: s.subjects };
    }
  }
  return null;
}

/**
 * FAQ entries and popular chunks are read again on every question: their
 * concepts and language are kept (bounded, cleared when full).
 */
const conceptCache = new Map<string, Set<string>>();
const languageCache = new Map<string, ContentLanguage>();
const CACHE_LIMIT = 20_000;

function conceptsOf(text: string): Set<string> {
  let concepts = conceptCache.get(text);
  if (!concepts) {
    concepts = new Set(findConcepts(text).map((c) => c.concept));
    if (conceptCache.size >= CACHE_LIMIT) conceptCache.clear();
    conceptCache.set(text, concepts);
  }
  return concepts;
}

function containsName(text: string, name: string): boolean {
  return fold(text).includes(fold(name));
}

function containsWord(folded: string, word: string): boolean {
  return folded.includes(word.slice(0, Math.max(5, word.length - 2)));
}

/** Whether a text covers the question's subject: one of its subjects (or half its words), and every name. */
function covers(q: QuestionSubject, text: string, concepts: Set<string>): string[] | null {
  if (!q.names.every((n) => containsName(text, n))) return null;
  if (q.subjects.length) {
    const hit = q.subjects.filter((s) => concepts.has(s));
    return hit.length ? hit : null;
  }
  if (q.names.length) return [];
  const folded = fold(text);
  const present = q.words.filter((w) => containsWord(folded, w)).length;
  return present * 2 >= q.words.length && present > 0 ? [] : null;
}

function passageLanguage(candidate: AnswerCandidate): ContentLanguage {
  if (candidate.language) return candidate.language;
  let language = languageCache.get(candidate.text);
  if (!language) {
    language = detectLanguage(candidate.text, null, 'en');
    if (languageCache.size >= CACHE_LIMIT) languageCache.clear();
    languageCache.set(candidate.text, language);
  }
  return language;
}

function scoreFaq(q: QuestionSubject, candidate: AnswerCandidate, language: ContentLanguage): Scored | null {
  const faq = candidate.faq!;
  const own = passageLanguage({ ...candidate, text: `${faq.question} ${candidate.text}` });
  const variants: Array<{ language: ContentLanguage; question: string; answer: string }> = [
    { language: own, question: faq.question, answer: candidate.text },
    ...Object.entries(faq.translations ?? {}).map(([l, t]) => ({
      language: l as ContentLanguage,
      question: t!.question,
      answer: t!.answer,
    })),
  ];
  let best: { hit: string[]; score: number } | null = null;
  for (const v of variants) {
    const concepts = conceptsOf(v.question);
    // Names may be in the answer ("We accept Cigna…"); subjects must be what the entry's question is about.
    if (!q.names.every((n) => containsName(`${v.question} ${v.answer}`, n))) continue;
    const hit =
      covers({ ...q, names: [] }, v.question, concepts) ??
      covers({ ...q, names: [] }, `${v.question} ${v.answer}`, conceptsOf(`${v.question} ${v.answer}`));
    if (!hit) continue;
    if (q.subjects.length && !q.subjects.some((s) => concepts.has(s))) continue;
    if (q.aspects.includes('price') && !concepts.has('price') && !amountsIn(v.answer).length) continue;
    const extra = [...concepts].filter((c) => conceptRole(c) === 'subject' && !q.subjects.includes(c)).length;
    const score = 10 + hit.length * 3 + q.aspects.filter((a) => concepts.has(a)).length - extra * 0.5;
    if (!best || score > best.score) best = { hit, score };
  }
  if (!best) return null;
  const inLanguage = variants.find((v) => v.language === language);
  const chosen = inLanguage ?? variants[0]!;
  return {
    score: best.score,
    language: chosen.language,
    text: chosen.answer.trim(),
    facts: { subjects: best.hit, amounts: amountsIn(chosen.answer) },
    citation: candidate.citation,
    faqQuestion: chosen.question,
    subjects: best.hit,
  };
}

/** The last part of a heading path: the section a passage sits in. */
function ownHeading(heading: string): string {
  return heading.split(' › ').at(-1) ?? heading;
}

/** A chunk starts with its heading path ("price-list › Insurance"): a heading, not a sentence to quote. */
function withoutHeading(text: string, heading: string | null | undefined): string {
  const [first, ...rest] = text.split(/\n\s*\n/);
  if (rest.length && first && (first.includes(' › ') || (heading && first.trim() === heading.trim()))) {
    return rest.join('\n\n');
  }
  return text;
}

function scorePassage(q: QuestionSubject, candidate: AnswerCandidate, maxChars: number): Scored | null {
  const units = withoutHeading(candidate.text, candidate.heading)
    .split(/\r?\n/)
    .flatMap((line, n) => splitSentences(line).map((text) => ({ text, line: n })));
  const sentences = units.map((u) => u.text);
  // The section's own heading, not the document title above it ("… renting policies › Buyers from abroad").
  const headingConcepts = candidate.heading ? conceptsOf(ownHeading(candidate.heading)) : new Set<string>();
  const wantsPrice = q.aspects.includes('price');
  const wantsTime = q.aspects.includes('time') && !wantsPrice;
  const wantsIncluded = q.aspects.includes('included');
  const askedServices = q.subjects.filter((c) => conceptKind(c) === 'service');
  const askedTopics = q.subjects.filter((c) => conceptKind(c) === 'topic');
  const ranked: Array<{
    i: number;
    score: number;
    hit: string[];
    amounts: string[];
    free: boolean;
    sentence: string;
    /** The line names the subject itself (not only its heading or the line before). */
    direct: boolean;
  }> = [];
  sentences.forEach((sentence, i) => {
    let concepts = conceptsOf(sentence);
    const ownSubjects = [...concepts].some((c) => conceptRole(c) === 'subject');
    // A price line under a "Cleaning" heading is about cleaning; "Da Linate: 120 €" after
    // "Transfer da Malpensa: 150 €" on the same line is about the transfer too.
    if (!ownSubjects) {
      const previous =
        i > 0 && units[i - 1]!.line === units[i]!.line ? conceptsOf(sentences[i - 1]!) : new Set<string>();
      const inherited = [...previous].filter((c) => conceptRole(c) === 'subject');
      concepts = new Set([...concepts, ...headingConcepts, ...inherited]);
    }
    // Under an "Address" heading every line is about it: an address names places that read as services ("Suite 4B").
    else if (headingConcepts.has('location') && addressIn(sentence)) concepts = new Set([...concepts, 'location']);
    const hit = covers(q, sentence, concepts);
    if (!hit) return;
    // "Commission for renting?" is not answered by the line on selling: a line naming another service does not answer.
    const ownServices = [...concepts].filter((c) => conceptKind(c) === 'service');
    if (askedServices.length && ownServices.length && !ownServices.some((c) => askedServices.includes(c))) return;
    // "Commission for renting?": a line on the commission that does not say renting may be about selling.
    // A policy of the whole business ("we accept cards", "instalments over $1,000") still answers
    // "can I pay the implants by card?" when it names no other service.
    const general = !ownServices.length && hit.some((c) => GENERAL_TOPICS.has(c));
    if (askedServices.length && !hit.some((c) => askedServices.includes(c)) && !general) return;
    // "Deposit for renting?": a renting line that says nothing of a deposit does not answer either.
    if (askedServices.length && askedTopics.length && !hit.some((c) => askedTopics.includes(c))) return;
    const amounts = amountsIn(sentence);
    // "Is the consultation free?", "what does a valuation cost?" → "free" is the price.
    const free = isFree(sentence);
    const included = wantsIncluded && INCLUDED.test(fold(sentence));
    // "How much is a room?" is not answered by "tourist tax: 3 € per person per night": a price line about
    // another topic prices that topic, whatever rate unit it shares with the question.
    const ownTopics = [...concepts].filter((c) => conceptKind(c) === 'topic' && conceptRole(c) === 'subject');
    if (wantsPrice && !askedTopics.length && ownTopics.some((c) => !q.subjects.includes(c) && PRICED_TOPICS.has(c))) {
      return;
    }
    // "two months' rent", "uma renda mensal": a price said as a number of rents.
    if (wantsPrice && !amounts.length && !free && !included && !pricedQuantity(sentence)) return;
    // A time is asked ("when does breakfast end?"): a line without one does not answer.
    if (wantsTime && !renderTimes(sentence, 'en')) return;
    // Ties go to the earlier line (a price list's main entry before its variants).
    const score =
      hit.length * 3 +
      q.aspects.filter((a) => concepts.has(a)).length +
      q.places.filter((p) => containsName(sentence, p)).length * 2 +
      // "Is the consultation free?": the line that says free.
      (q.aspects.includes('free') && free ? 1 : 0) +
      // Between lines on the same subject, the one that shares the question's own words ("junior suite").
      q.words.filter((w) => containsWord(fold(sentence), w)).length * 0.4 -
      // "Do you take children?" is better answered by the children's policy than by "cleaning for children: $80".
      (askedServices.length ? 0 : ownServices.length * 1.5) +
      (included ? 1 : wantsPrice && amounts.length ? 0.5 : wantsPrice && free ? 0.25 : 0);
    const direct = hit.some((c) => conceptsOf(sentence).has(c));
    ranked.push({ i, score, hit, amounts, free: !amounts.length && isPlainlyFree(sentence), sentence, direct });
  });
  if (!ranked.length) return null;
  ranked.sort((a, b) => b.score - a.score || a.i - b.i);
  const first = ranked[0]!;
  const picked = [first];
  // A second sentence when it covers another subject of the question, or directly follows the first.
  // The next line follows on when it continues the same line of the document, or is as good an answer
  // ("cleaning, adults: $120" then "cleaning, children: $80"); not a list's next item on something else.
  const second = ranked.find(
    (r) =>
      r !== first &&
      (r.hit.some((h) => !first.hit.includes(h)) ||
        (r.i === first.i + 1 && (units[r.i]!.line === units[first.i]!.line || r.score >= first.score - 0.2))),
  );
  if (second && sentences[first.i]!.length + sentences[second.i]!.length < maxChars) picked.push(second);
  picked.sort((a, b) => a.i - b.i);
  let text = picked.map((p) => sentences[p.i]!.replace(/^[-*•]\s+/, '').replace(/([^.!?…:])$/, '$1.')).join(' ');
  if (text.length > maxChars) text = `${text.slice(0, maxChars).replace(/\s+\S*$/, '')}…`;
  const subjects = [...new Set(picked.flatMap((p) => p.hit))];
  // What can be restated in another language: for a price, the best line that states an amount (or "free").
  const fact =
    (wantsIncluded ? ranked.find((r) => INCLUDED.test(fold(r.sentence))) : undefined) ??
    (q.aspects.includes('free') ? ranked.find((r) => r.free) : undefined) ??
    (wantsPrice ? (ranked.find((r) => r.amounts.length) ?? ranked.find((r) => r.free) ?? first) : first);
  // A second fact when another subject of the question is only in another line ("payment" and "instalments").
  const other = ranked.find((r) => r !== fact && r.hit.some((h) => !fact.hit.includes(h)));
  return {
    score: first.score,
    language: passageLanguage(candidate),
    text: /[.!?…]$/.test(text) ? text : `${text}.`,
    facts: { subjects: fact.hit, amounts: fact.amounts, free: fact.free, sentence: fact.sentence, direct: fact.direct },
    ...(other ? { more: { subjects: other.hit, sentence: other.sentence, direct: other.direct } } : {}),
    citation: candidate.citation,
    subjects,
  };
}
