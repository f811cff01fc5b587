import * as chrono from 'chrono-node';
import { type CountryCode, findPhoneNumbersInText } from 'libphonenumber-js';
import type { SupportedLanguage } from './language.js';

/**
 * Entity extraction for the structured mode: contact details with
 * libphonenumber-js, dates with chrono-node's per-language parsers, budgets and
 * party sizes with small per-language grammars of our own.
 */

export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

export function extractEmail(text: string): string | undefined {
  return text.match(EMAIL_IN_TEXT)?.[0].toLowerCase();
}

export function extractPhone(text: string, defaultCountry?: string): string | undefined {
  const withoutEmails = text.replace(new RegExp(EMAIL_IN_TEXT.source, 'g'), ' ');
  const found = findPhoneNumbersInText(withoutEmails, {
    defaultCountry: defaultCountry as CountryCode | undefined,
  });
  const first = found.find((f) => f.number.isValid());
  return first?.number.number;
}

const CHRONO: Record<SupportedLanguage, { parse: typeof chrono.parse }> = {
  en: chrono.en,
  es: chrono.es,
  fr: chrono.fr,
  de: chrono.de,
  pt: chrono.pt,
  it: chrono.it,
};

export interface ExtractedDates {
  start: string;
  end?: string;
  text: string;
}

/** Dates in the visitor's language (then English), future-leaning: "next Friday" is ahead. */
export function extractDates(
  text: string,
  lang: SupportedLanguage,
  reference = new Date(),
): ExtractedDates | undefined {
  const parsers = lang === 'en' ? [CHRONO.en] : [CHRONO[lang], CHRONO.en];
  // "3 al 5 de diciembre", "3-5 December", "du 3 au 5 décembre": spell the month
  // out on both days, which every chrono locale reads as two dates.
  const expanded = text.replace(
    /\b(\d{1,2})\.?\s*(?:-|–|al|a|to|au|bis|zum|ao|até|e|y|and|et|und)\s*(\d{1,2})(\.?\s+(?:de\s+)?\p{L}{3,})/giu,
    '$1$3 - $2$3',
  );
  for (const parser of parsers) {
    const results = parser.parse(expanded, reference, { forwardDate: true });
    // A bare number ("2") is not a date.
    const useful = results.filter((r) => /\p{L}|[/.-]/u.test(r.text));
    const first = useful[0];
    if (!first) continue;
    const start = isoDay(first.start.date());
    // A second date counts as the end of a range only when it names a later day
    // ("3 de diciembre ... tarde" is a time of day, not a check-out date).
    const next = useful[1]?.start;
    const second =
      first.end ?? (next?.isCertain('day') && next.date().getTime() > first.start.date().getTime() ? next : undefined);
    return { start, end: second ? isoDay(second.date()) : undefined, text: useful.map((r) => r.text).join(' – ') };
  }
  return undefined;
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const NUMBER_WORDS: Record<SupportedLanguage, string[]> = {
  en: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'],
  es: ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce'],
  fr: ['zero', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze'],
  de: ['null', 'ein', 'zwei', 'drei', 'vier', 'funf', 'sechs', 'sieben', 'acht', 'neun', 'zehn', 'elf', 'zwolf'],
  pt: ['zero', 'um', 'dois', 'tres', 'quatro', 'cinco', 'seis', 'sete', 'oito', 'nove', 'dez', 'onze', 'doze'],
  it: ['zero', 'uno', 'due', 'tre', 'quattro', 'cinque', 'sei', 'sette', 'otto', 'nove', 'dieci', 'undici', 'dodici'],
};
const EXTRA_NUMBER_WORDS: Record<string, number> = {
  una: 1,
  une: 1,
  eine: 1,
  einer: 1,
  zwei: 2,
  uma: 1,
  duas: 2,
  couple: 2,
  pareja: 2,
  couple_fr: 2,
  paar: 2,
  casal: 2,
  coppia: 2,
};

const PEOPLE_WORDS =
  'people|persons?|guests?|adults?|pax|travell?ers|of us|personas?|huespedes|adultos?|somos|personnes?|adultes?|invites?|personen|gaste|erwachsene|pessoas?|hospedes|adultos|persone|ospiti|adulti';

/** Reads a small count from digits or number words ("two", "dos", "deux", "zwei"...). */
export function parseSmallNumber(text: string, lang: SupportedLanguage): number | undefined {
  const folded = fold(text);
  const digits = folded.match(/\b(\d{1,3})\b/);
  if (digits) return Number(digits[1]);
  const tokens = folded.split(/[^a-z]+/);
  for (const token of tokens) {
    for (const l of [lang, 'en'] as SupportedLanguage[]) {
      const i = NUMBER_WORDS[l].indexOf(token);
      if (i > 0) return i;
    }
    if (token in EXTRA_NUMBER_WORDS) return EXTRA_NUMBER_WORDS[token];
  }
  return undefined;
}

/** "4 people", "we are two adults", "somos 3 personas", "nous serons 2 personnes", "zwei Personen". */
export function extractPartySize(text: string, lang: SupportedLanguage): number | undefined {
  const folded = fold(text);
  const near = new RegExp(`([a-z0-9]+)\\s+(?:([a-z0-9]+)\\s+)?(?:${PEOPLE_WORDS})\\b`).exec(folded);
  const before = near ? (parseSmallNumber(near[2] ?? '', lang) ?? parseSmallNumber(near[1] ?? '', lang)) : undefined;
  if (before && before > 0 && before < 500) return before;
  const after = /\b(?:party of|table for|para|pour|fur|per)\s+([a-z0-9]+)/.exec(folded);
  const n = after ? parseSmallNumber(after[1] ?? '', lang) : undefined;
  return n && n > 0 && n < 500 ? n : undefined;
}

export interface Budget {
  min?: number;
  max: number;
  currency?: string;
  text: string;
}

const CURRENCY_SYMBOLS: Record<string, string> = {
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  usd: 'USD',
  dollars: 'USD',
  dolares: 'USD',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  gbp: 'GBP',
  pounds: 'GBP',
  libras: 'GBP',
  reais: 'BRL',
  r$: 'BRL',
};

function parseAmount(raw: string, k?: string): number {
  let s = raw.replace(/\s/g, '');
  // "1.500" / "1,500" thousands; "1.5k"; "1500,00" decimals.
  if (/^\d{1,3}([.,]\d{3})+$/.test(s)) s = s.replace(/[.,]/g, '');
  else s = s.replace(',', '.');
  const n = Number.parseFloat(s);
  return k ? n * 1000 : n;
}

/** "$200-300", "around 1.500 €", "between 150 and 200 euros", "hasta 500€", "2k". */
export function extractBudget(text: string, options: { bareNumber?: boolean } = {}): Budget | undefined {
  const folded = fold(text).replace(/(\d)\s+(\d{3})\b/g, '$1$2');
  const cur = '(\\$|€|£|r\\$|usd|eur|euros?|gbp|dollars|dolares|pounds|libras|reais)';
  const num = '(\\d[\\d.,]*)\\s*(k)?';
  const range = new RegExp(
    `${cur}?\\s*${num}\\s*${cur}?\\s*(?:-|–|to|a|y|and|et|und|e|bis|hasta|à)\\s*${cur}?\\s*${num}\\s*${cur}?`,
  );
  const m = range.exec(folded);
  if (m && (m[1] || m[4] || m[5] || m[8] || options.bareNumber)) {
    const currency = m[1] || m[4] || m[5] || m[8];
    const min = parseAmount(m[2] ?? '', m[3]);
    const max = parseAmount(m[6] ?? '', m[7]);
    if (Number.isFinite(min) && Number.isFinite(max) && max >= min) {
      return { min, max, currency: currency ? CURRENCY_SYMBOLS[currency] : undefined, text: m[0].trim() };
    }
  }
  const single = new RegExp(`${cur}\\s*${num}|${num}\\s*${cur}`).exec(folded);
  if (single) {
    const currency = single[1] || single[6];
    const amount = parseAmount(single[2] ?? single[4] ?? '', single[3] ?? single[5]);
    if (Number.isFinite(amount) && amount > 0) {
      return { max: amount, currency: currency ? CURRENCY_SYMBOLS[currency] : undefined, text: single[0].trim() };
    }
  }
  if (options.bareNumber) {
    const bare = /\b(\d[\d.,]*)\s*(k)?\b/.exec(folded);
    if (bare) {
      const amount = parseAmount(bare[1] ?? '', bare[2]);
      if (Number.isFinite(amount) && amount > 0) return { max: amount, text: bare[0] };
    }
  }
  return undefined;
}

export function formatBudget(b: Budget): string {
  const cur = b.currency ? `${b.currency} ` : '';
  return b.min !== undefined ? `${cur}${b.min}-${b.max}` : `${cur}${b.max}`;
}

const NAME_PATTERNS = [
  /\bmy name is ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
  /\bi am ([\p{Lu}][\p{L}'-]+(?: [\p{Lu}][\p{L}'-]+)?)/u,
  /\bi'm ([\p{Lu}][\p{L}'-]+(?: [\p{Lu}][\p{L}'-]+)?)/u,
  /\bme llamo ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
  /\bmi nombre es ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
  /\bje m'appelle ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
  /\bmon nom est ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
  /\bich heiße ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
  /\bmein name ist ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
  /\b(?:o )?meu nome é ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
  /\bchamo-me ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
  /\bmi chiamo ([\p{L}'-]+(?: [\p{L}'-]+)?)/iu,
];

export function extractName(text: string): string | undefined {
  for (const re of NAME_PATTERNS) {
    const m = re.exec(text);
    if (m?.[1]) {
      const stop = /^(and|y|et|und|e|my|mi|mon|mein|meu|il)$/i;
      const parts = m[1].split(' ').filter((p) => !stop.test(p));
      if (parts.length) return parts.map((p) => p[0]?.toUpperCase() + p.slice(1)).join(' ');
    }
  }
  return undefined;
}

const HUMAN_REQUEST: RegExp[] = [
  /\b(human|real person|a person|live agent|an agent|representative|someone (?:from|on) (?:your|the) (?:team|staff)|speak (?:to|with) (?:someone|somebody|a|an|the)|talk (?:to|with) (?:someone|somebody|a|an|the)|operator|call me)\b/,
  /\b(humano|persona real|una persona|agente|hablar con (?:alguien|una persona|un asesor)|asesor|operador|llamadme|llamame)\b/,
  /\b(humain|vraie personne|une personne|quelqu'un|conseiller|parler a (?:quelqu'un|une personne|un conseiller)|operateur|appelez-moi)\b/,
  /\b(mensch(?:en)?|echte person|mitarbeiter(?:in)?|berater(?:in)?|mit jemandem sprechen|rufen sie mich an)\b/,
  /\b(humano|pessoa real|uma pessoa|atendente|falar com (?:alguem|uma pessoa)|liguem-me)\b/,
  /\b(umano|persona reale|una persona|operatore|parlare con (?:qualcuno|una persona)|chiamatemi)\b/,
];

/** "Can I talk to a human?", "quiero hablar con una persona", "je veux parler à quelqu'un"... */
export function asksForHuman(text: string): boolean {
  const folded = fold(text);
  return HUMAN_REQUEST.some((re) => re.test(folded));
}

const YES =
  /^(yes|yeah|yep|sure|of course|correct|si|claro|vale|oui|ouais|bien sur|ja|jawohl|genau|sim|certo|certamente|esatto)\b/;
const NO = /^(no|nope|not|non|nein|nicht|nao|nunca|jamais|mai)\b/;

export function parseYesNo(text: string): boolean | undefined {
  const folded = fold(text)
    .trim()
    .replace(/^[^a-z]+/, '');
  if (YES.test(folded)) return true;
  if (NO.test(folded)) return false;
  return undefined;
}

/** The option a visitor picked: by chip id, by number ("2"), by label or by overlapping words. */
export function matchOption(text: string, options: string[], quickReplyIndex?: number): number | undefined {
  if (quickReplyIndex !== undefined && quickReplyIndex >= 0 && quickReplyIndex < options.length) return quickReplyIndex;
  const folded = fold(text).trim();
  const numeric = /^(\d{1,2})[.)]?$/.exec(folded);
  if (numeric) {
    const i = Number(numeric[1]) - 1;
    if (i >= 0 && i < options.length) return i;
  }
  const foldedOptions = options.map((o) => fold(o).trim());
  const exact = foldedOptions.indexOf(folded);
  if (exact >= 0) return exact;
  let best: { i: number; score: number } | undefined;
  const words = new Set(folded.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2));
  foldedOptions.forEach((opt, i) => {
    if (opt.length > 2 && folded.includes(opt)) {
      const score = 10 + opt.length;
      if (!best || score > best.score) best = { i, score };
      return;
    }
    const optWords = opt.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2);
    const overlap = optWords.filter((w) => words.has(w) || [...words].some((v) => v.startsWith(w) || w.startsWith(v)));
    if (overlap.length && (!best || overlap.length > best.score)) best = { i, score: overlap.length };
  });
  return best?.i;
}
