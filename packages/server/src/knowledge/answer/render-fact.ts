import type { ContentLanguage } from '@leaddesk/shared';
import { findConcepts } from '../../understanding/concepts.js';
import { fold } from '../../understanding/fold.js';
import { isBrand } from './concept-labels.js';
import { weekdaysAsked } from './opening-hours.js';
import { isFree, isPlainlyFree } from './sentences.js';

/**
 * A sentence of a document in another language restated as facts the
 * visitor's language can show: amounts, percentages, quantities with their
 * unit ("7 days" → "7 días"), "per night", proper names and acronyms
 * ("CareCredit", "NIF", "Delta Dental"), language names, "free", and a "no"
 * when the sentence denies what was asked ("We are not in network with Cigna"
 * → "Seguro Cigna: no."). Nothing else of the sentence is kept: its words would
 * be foreign text in the reply, and a guess at translating them could be wrong.
 * Returns null when the sentence holds no such fact.
 */
export interface RenderFactOptions {
  /** The subject's name in the visitor's language ("Seguro", "Haustiere"). */
  label: string;
  /** Proper names the question asked about ("Cigna"): a denial is said about them. */
  askedNames: string[];
  /** Proper names never shown as facts (the business's own). */
  ignoreNames?: string[];
  /** A price was asked: "free" is then the answer; otherwise it is no fact of its own. */
  priceAsked?: boolean;
  /** The sentence names the subject itself: only then may a "no" be said of it. */
  direct?: boolean;
  /** The sentence's own language (its denials are read in it). @default English */
  sourceLanguage?: ContentLanguage;
}

type Units = Record<ContentLanguage, [string, string]>;
const u = (en: string, es: string, fr: string, de: string, pt: string, it: string): Units => {
  const pair = (s: string): [string, string] => {
    const [one, many] = s.split('|');
    return [one!, many ?? one!];
  };
  return { en: pair(en), es: pair(es), fr: pair(fr), de: pair(de), pt: pair(pt), it: pair(it) };
};

/** Units a quantity may carry, in every language (folded stems) → their names per language (singular|plural). */
const UNITS: Array<{ re: RegExp; names: Units }> = [
  {
    re: /^(?:days?|dias?|jours?|tage?n?|giorn[oi])$/,
    names: u('day|days', 'día|días', 'jour|jours', 'Tag|Tage', 'dia|dias', 'giorno|giorni'),
  },
  {
    re: /^(?:hours?|horas?|heures?|stunden?|or[ae])$/,
    names: u('hour|hours', 'hora|horas', 'heure|heures', 'Stunde|Stunden', 'hora|horas', 'ora|ore'),
  },
  {
    re: /^(?:weeks?|semanas?|semaines?|wochen?|settiman[ae])$/,
    names: u(
      'week|weeks',
      'semana|semanas',
      'semaine|semaines',
      'Woche|Wochen',
      'semana|semanas',
      'settimana|settimane',
    ),
  },
  {
    re: /^(?:months?|months'|meses|mes|mois|monate?n?|mensilita|mes[ei])$/,
    names: u('month|months', 'mes|meses', 'mois|mois', 'Monat|Monate', 'mês|meses', 'mese|mesi'),
  },
  {
    re: /^(?:years?|anos?|años?|anos|ans?|annees?|jahre?n?|ann[oi])$/,
    names: u('year|years', 'año|años', 'an|ans', 'Jahr|Jahre', 'ano|anos', 'anno|anni'),
  },
  {
    re: /^(?:nights?|noches?|nuits?|nachte?|noites?|nott[ei])$/,
    names: u('night|nights', 'noche|noches', 'nuit|nuits', 'Nacht|Nächte', 'noite|noites', 'notte|notti'),
  },
  {
    re: /^(?:people|persons?|personas?|personnes?|personen|pessoas?|person[ae])$/,
    names: u(
      'person|people',
      'persona|personas',
      'personne|personnes',
      'Person|Personen',
      'pessoa|pessoas',
      'persona|persone',
    ),
  },
  {
    re: /^(?:minutes?|minutos?|minuten?|minut[io])$/,
    names: u('minute|minutes', 'minuto|minutos', 'minute|minutes', 'Minute|Minuten', 'minuto|minutos', 'minuto|minuti'),
  },
  {
    re: /^(?:instal+ments?|install?ments?|cuotas?|mensualites?|raten|prestacoes|parcelas|rate)$/,
    names: u(
      'instalment|instalments',
      'cuota|cuotas',
      'mensualité|mensualités',
      'Rate|Raten',
      'prestação|prestações',
      'rata|rate',
    ),
  },
  {
    re: /^(?:rent|rents|renda|rendas|mensualidad(?:es)?|mensilita|monatsmieten?|loyers?)$/,
    names: u(
      "month's rent|months' rent",
      'mensualidad|mensualidades',
      'mois de loyer|mois de loyer',
      'Monatsmiete|Monatsmieten',
      'renda mensal|rendas mensais',
      'mensilità|mensilità',
    ),
  },
  { re: /^kg$/, names: u('kg', 'kg', 'kg', 'kg', 'kg', 'kg') },
  {
    re: /^(?:spaces?|plazas?|places?|stellplatze?|lugares?|posti)$/,
    names: u('space|spaces', 'plaza|plazas', 'place|places', 'Stellplatz|Stellplätze', 'lugar|lugares', 'posto|posti'),
  },
];

/** "per night", "a notte", "pro Tag": a rate's unit, after an amount. */
const PER = /^\s*(?:per|a|al|por|par|pro|la|le|each|cada|ao|à|alla?)\s+(?:la\s+|el\s+|une?\s+|una?\s+)?([a-z']+)/;
const PER_WORD: Record<ContentLanguage, string> = { en: 'per', es: 'por', fr: 'par', de: 'pro', pt: 'por', it: 'a' };

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  diez: 10,
  doce: 12,
  un: 1,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  sept: 7,
  huit: 8,
  dix: 10,
  douze: 12,
  ein: 1,
  eine: 1,
  zwei: 2,
  drei: 3,
  vier: 4,
  funf: 5,
  sechs: 6,
  sieben: 7,
  acht: 8,
  zehn: 10,
  zwolf: 12,
  um: 1,
  uma: 1,
  dois: 2,
  duas: 2,
  quatro: 4,
  sete: 7,
  oito: 8,
  dez: 10,
  doze: 12,
  due: 2,
  tre: 3,
  sei: 6,
  sette: 7,
  otto: 8,
  dieci: 10,
  dodici: 12,
};

/** Language names, any language's spelling → each language's. */
const LANGUAGE_NAMES: Array<{ re: RegExp; names: Record<ContentLanguage, string> }> = [
  ['english|ingles|anglais|englisch|inglese', 'English', 'inglés', 'anglais', 'Englisch', 'inglês', 'inglese'],
  [
    'spanish|espanol|espagnol|spanisch|espanhol|spagnolo',
    'Spanish',
    'español',
    'espagnol',
    'Spanisch',
    'espanhol',
    'spagnolo',
  ],
  [
    'french|frances|francais|franzosisch|frances|francese',
    'French',
    'francés',
    'français',
    'Französisch',
    'francês',
    'francese',
  ],
  ['german|aleman|allemand|deutsch|alemao|tedesco', 'German', 'alemán', 'allemand', 'Deutsch', 'alemão', 'tedesco'],
  [
    'portuguese|portugues|portugais|portugiesisch|portoghese',
    'Portuguese',
    'portugués',
    'portugais',
    'Portugiesisch',
    'português',
    'portoghese',
  ],
  ['italian|italiano|italien|italienisch', 'Italian', 'italiano', 'italien', 'Italienisch', 'italiano', 'italiano'],
].map(([stems, en, es, fr, de, pt, it]) => ({
  re: new RegExp(`^(?:${stems})$`),
  names: { en: en!, es: es!, fr: fr!, de: de!, pt: pt!, it: it! },
}));

const OVER =
  /\b(?:over|above|more than|exceeding|mas de|superiores? a|plus de|superieurs? a|uber|mehr als|ab|acima de|mais de|oltre|sopra|superiori a)\s+$/;
const LESS = /\b(?:less than|under|fewer than|menos de|moins de|weniger als|unter|meno di)\s+$/;
const LESS_WORD: Record<ContentLanguage, string> = {
  en: 'less than',
  es: 'menos de',
  fr: 'moins de',
  de: 'weniger als',
  pt: 'menos de',
  it: 'meno di',
};
const OVER_WORD: Record<ContentLanguage, string> = {
  en: 'over',
  es: 'más de',
  fr: 'plus de',
  de: 'über',
  pt: 'mais de',
  it: 'oltre',
};
const TAX: Record<ContentLanguage, string> = { en: 'VAT', es: 'IVA', fr: 'TVA', de: 'MwSt.', pt: 'IVA', it: 'IVA' };
const TAX_WORD = /^(?:vat|iva|tva|mwst|ust|ttc|ht|inkl|incl)$/;
const FREE_WORD: Record<ContentLanguage, string> = {
  en: 'free',
  es: 'gratis',
  fr: 'gratuit',
  de: 'kostenlos',
  pt: 'gratuito',
  it: 'gratuito',
};
/** "up to 7 days before", "hasta 48 horas antes", "bis 7 Tage vor": a free period before a date. */
const UP_TO_BEFORE =
  /\b(?:up to|until|hasta|jusqu'?a|bis zu|bis|ate|fino a)\s+(\d+|[a-z]+)\s+([a-z]+)\s+(?:before|antes|avant|vor|vorher|prima)\b/;
const UNTIL_BEFORE: Record<ContentLanguage, [string, string]> = {
  en: ['up to', 'before'],
  es: ['hasta', 'antes'],
  fr: ['jusqu’à', 'avant'],
  de: ['bis', 'vorher'],
  pt: ['até', 'antes'],
  it: ['fino a', 'prima'],
};
const NO: Record<ContentLanguage, string> = { en: 'no', es: 'no', fr: 'non', de: 'nein', pt: 'não', it: 'no' };
const YES: Record<ContentLanguage, string> = { en: 'yes', es: 'sí', fr: 'oui', de: 'ja', pt: 'sim', it: 'sì' };
/** Denials in the sentence's own language: "no" denies in Spanish but is "in the" in Portuguese and Italian. */
const NEGATION: Record<ContentLanguage, RegExp> = {
  en: /\b(?:not|no|don't|dont|doesn't|doesnt|cannot|can't|never)\b/,
  es: /\b(?:no|nunca|tampoco)\b/,
  fr: /\b(?:pas|jamais|aucun[e]?)\b/,
  de: /\b(?:nicht|kein[e]?[nmrs]?|nie)\b/,
  pt: /\b(?:nao|nunca|nem)\b/,
  it: /\b(?:non|mai)\b/,
};
/** Capitalised words that are not names: sentence words that happen to be capitalised after a colon or a heading. */
const NOT_NAMES = new Set(['i', 'we', 'our', 'the', 'a', 'an', 'it', 'you', 'please', 'ok', 'all']);

interface Part {
  at: number;
  text: string;
}

const AMOUNT_AT =
  /(?:from\s+|desde\s+|a partir de\s+|des\s+|ab\s+|da\s+|de\s+)?(?:[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|%|eur\b|euros?\b|usd\b|dollars?\b|d[oó]lar(?:es)?\b|dollari\b))/giu;

const UP_TO = /\b(?:up to|until|hasta|jusqu'?a|bis zu|ate|fino a|max\.?|maximum|massimo|maximo)\s+$/;
const PAYMENT_METHODS: Array<{ re: RegExp; names: Record<ContentLanguage, string> }> = [
  {
    re: /\b(?:cash|efectivo|especes|bargeld|barzahlung|dinheiro|numerario|contanti)\b/,
    names: { en: 'cash', es: 'efectivo', fr: 'espèces', de: 'Bargeld', pt: 'dinheiro', it: 'contanti' },
  },
  {
    re: /\b(?:credit cards?|debit cards?|cards|tarjetas?(?: de credito)?|cartes? (?:de credit|bancaires?)|kreditkarten?|ec-karten?|cart(?:ao|oes)(?: de credito)?|cart[ae] di credito)\b/,
    names: {
      en: 'cards',
      es: 'tarjetas',
      fr: 'cartes bancaires',
      de: 'Kreditkarten',
      pt: 'cartões',
      it: 'carte di credito',
    },
  },
  {
    re: /\b(?:bank transfer|transferencia(?: bancaria)?|virement|uberweisung|bonifico)\b/,
    names: {
      en: 'bank transfer',
      es: 'transferencia',
      fr: 'virement',
      de: 'Überweisung',
      pt: 'transferência',
      it: 'bonifico',
    },
  },
];
const SAME_DAY = {
  re: /\b(?:same[\s-]day|mismo dia|le jour meme|dans la journee|am selben tag|am gleichen tag|noch am selben tag|no mesmo dia|no proprio dia|in giornata|lo stesso giorno|stesso giorno)\b/,
  names: {
    en: 'same day',
    es: 'el mismo día',
    fr: 'le jour même',
    de: 'am selben Tag',
    pt: 'no mesmo dia',
    it: 'in giornata',
  } as Record<ContentLanguage, string>,
};
const QUANTITY =
  /\b(\d+(?:[.,]\d+)?|[a-z]+)(?=(\s+(?:monthly\s+|mensual(?:es)?\s+|mensuelles?\s+|monatliche[n]?\s+|mensais\s+|mensili\s+)?([a-z']+)))/g;

function unitOf(word: string): Units | undefined {
  return UNITS.find((x) => x.re.test(word))?.names;
}

export function renderFact(sentence: string, language: ContentLanguage, options: RenderFactOptions): string | null {
  const folded = fold(sentence);
  const parts: Part[] = [];
  const taken: Array<[number, number]> = [];
  const free = (a: number, b: number) => !taken.some(([x, y]) => a < y && b > x);
  const take = (a: number, b: number, text: string) => {
    taken.push([a, b]);
    parts.push({ at: a, text });
  };

  // Amounts and percentages, with "+ VAT" and "per night".
  for (const m of sentence.matchAll(AMOUNT_AT)) {
    const raw = m[0].replace(/^(?:from|desde|a partir de|des|ab|da|de)\s+/i, '').replace(/[.,]$/, '');
    let end = m.index + m[0].length;
    let text = neutral(raw);
    // "Treatments over $1,000" → "más de $1,000": the amount is a threshold.
    if (OVER.test(folded.slice(Math.max(0, m.index - 14), m.index))) text = `${OVER_WORD[language]} ${text}`;
    const after = folded.slice(end);
    const tax = after.match(/^\s*\+\s*([a-z]+)/);
    if (tax && TAX_WORD.test(tax[1]!)) {
      text += ` + ${TAX[language]}`;
      end += tax[0].length;
    }
    const per = folded.slice(end).match(PER);
    const perUnit = per ? unitOf(per[1]!) : undefined;
    if (per && perUnit) {
      text += ` ${PER_WORD[language]} ${perUnit[language][0]}`;
      end += per[0].length;
    }
    take(m.index, end, text);
  }
  // Quantities: "7 days", "two months", "15 kg", "80 persone".
  // The unit is read ahead, so "of two months' rent" still pairs "two" with "months".
  for (const m of folded.matchAll(QUANTITY)) {
    const n = /^\d/.test(m[1]!) ? m[1]! : NUMBER_WORDS[m[1]!];
    const end = m.index + m[1]!.length + m[2]!.length;
    if (n === undefined || !free(m.index, end)) continue;
    const unit = unitOf(m[3]!.replace(/'s?$/, ''));
    if (!unit) continue;
    const one = String(n) === '1';
    // "Dogs up to 15 kg", "fino a 3 persone": a limit, said as one; "less than 24 hours" a threshold.
    const before = folded.slice(Math.max(0, m.index - 14), m.index);
    const limit = UP_TO.test(before)
      ? `${UNTIL_BEFORE[language][0]} `
      : LESS.test(before)
        ? `${LESS_WORD[language]} `
        : OVER.test(before)
          ? `${OVER_WORD[language]} `
          : '';
    take(m.index, end, `${limit}${n} ${unit[language][one ? 0 : 1]}`);
  }
  // Ways to pay ("cash, all major credit cards" → "efectivo, tarjetas"), and "same-day".
  for (const method of [...PAYMENT_METHODS, SAME_DAY]) {
    const m = method.re.exec(folded);
    if (m && free(m.index, m.index + m[0].length)) take(m.index, m.index + m[0].length, method.names[language]);
  }
  // Proper names and acronyms: capitalised words not at the start of a sentence or line part.
  const ignore = new Set((options.ignoreNames ?? []).flatMap((n) => fold(n).split(/\s+/)));
  for (const m of sentence.matchAll(/(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{N}&'-]*(?:\s+\p{Lu}[\p{L}\p{N}&'-]*)*/gu)) {
    const at = m.index;
    const before = sentence.slice(0, at).trimEnd();
    if (!before || /[.!?:;(]$/.test(before)) continue;
    // Inside brackets: a detail of the item ("exam, X-ray and pain relief"), not a name to repeat.
    if (before.lastIndexOf('(') > before.lastIndexOf(')')) continue;
    if (!free(at, at + m[0].length)) continue;
    const word = fold(m[0]);
    const language_ = LANGUAGE_NAMES.find((x) => x.re.test(word));
    if (language_) {
      take(at, at + m[0].length, language_.names[language]);
      continue;
    }
    if (NOT_NAMES.has(word) || TAX_WORD.test(word) || ignore.has(word) || weekdaysAsked(word).length) continue;
    // A capitalised concept word ("Check-in") is said by the label, not repeated.
    if (findConcepts(m[0]).length && !isBrand(word) && !options.askedNames.some((n) => word.includes(fold(n))))
      continue;
    take(at, at + m[0].length, m[0]);
  }
  const saysFree = isFree(sentence);
  const upTo = folded.match(UP_TO_BEFORE);
  if (saysFree && upTo) {
    // "free up to 7 days before arrival" → "gratis hasta 7 días antes".
    const unit = unitOf(upTo[2]!);
    const n = /^\d/.test(upTo[1]!) ? upTo[1]! : NUMBER_WORDS[upTo[1]!];
    if (unit && n !== undefined) {
      const [until, before] = UNTIL_BEFORE[language];
      return `${options.label}: ${FREE_WORD[language]} ${until} ${n} ${unit[language][String(n) === '1' ? 0 : 1]} ${before}.`;
    }
  }
  if (saysFree && isPlainlyFree(sentence) && (options.priceAsked || !parts.length)) {
    parts.push({ at: -1, text: FREE_WORD[language] });
  } else if (saysFree && !parts.length) return null;

  // A denial of what was asked: "We are not in network with Cigna" → "Seguro Cigna: no."
  const denied = !saysFree && NEGATION[options.sourceLanguage ?? 'en'].test(folded);
  const asked = options.askedNames.filter((n) => fold(sentence).includes(fold(n)));
  if (denied && asked.length) return `${options.label} ${asked.join(', ')}: ${NO[language]}.`;
  if (denied && options.direct && !options.askedNames.length) return `${options.label}: ${NO[language]}.`;
  if (denied) return null;
  if (!parts.length) return null;
  parts.sort((a, b) => a.at - b.at);
  // A yes/no question about a name ("do you take Delta Dental?"); a price asked is answered with the price.
  if (asked.length && !options.priceAsked) {
    // "Do you take Delta Dental?" → "Seguro Delta Dental: sim (MetLife, Aetna)."
    const named = parts.filter((p) => asked.some((n) => fold(p.text).includes(fold(n))));
    const others = parts.filter((p) => !named.includes(p)).map((p) => p.text);
    const subject = named.length ? named.map((p) => p.text).join(', ') : asked.join(', ');
    return `${options.label} ${subject}: ${YES[language]}${others.length ? ` (${[...new Set(others)].join(', ')})` : ''}.`;
  }
  const text = [...new Set(parts.map((p) => p.text))].join(', ');
  return `${options.label}: ${text.replace(/\.$/, '')}.`;
}

/** "50 dólares" → "$50", "30 euros" → "30 €": an amount any language can show. */
function neutral(amount: string): string {
  const n = amount.match(/\d[\d.,]*/)?.[0] ?? amount;
  if (/d[oó]lar|dollar|usd/i.test(amount)) return `$${n}`;
  if (/euro|eur\b/i.test(amount)) return `${n} €`;
  return amount;
}

/** Whether a sentence states a price as a number of rents ("two months' rent", "uma renda mensal"). */
export function pricedQuantity(sentence: string): boolean {
  const rent = UNITS.find((x) => x.names.en[0] === "month's rent")!;
  for (const m of fold(sentence).matchAll(/\b(\d+|[a-z]+)(?=\s+(?:months?'?\s+)?([a-z']+))/g)) {
    const n = /^\d/.test(m[1]!) ? m[1] : NUMBER_WORDS[m[1]!];
    if (n !== undefined && rent.re.test(m[2]!.replace(/'s?$/, ''))) return true;
  }
  return false;
}
