import { fold } from './fold.js';
import type { UnderstoodBudget } from './types.js';

/**
 * Budgets: an amount the visitor can spend, with its currency (symbol, code or
 * word, else the tenant's region), its multiplier (k, mil, Mio, million) and
 * whether it is a ceiling or an approximation. A price seen elsewhere (another
 * clinic's quote, Booking.com's rate) is not the visitor's budget.
 */

const CURRENCIES: Array<[RegExp, string]> = [
  [/^(?:r\$|brl|reais|real)$/, 'BRL'],
  [/^(?:\$|usd|us\$|dollars?|dolares|dollari|dolar)$/, 'USD'],
  [/^(?:€|eur|euros?|euro)$/, 'EUR'],
  [/^(?:£|gbp|pounds?|libras?|sterling|sterline)$/, 'GBP'],
  [/^(?:chf|franken|francs? suisses?|sfr)$/, 'CHF'],
  [/^(?:mxn|pesos?)$/, 'MXN'],
];
const CURRENCY_TOKEN =
  'r\\$|us\\$|\\$|€|£|brl|reais|usd|dollars?|dolares|dollari|eur|euros?|gbp|pounds?|libras?|sterling|chf|franken|mxn|pesos?';

const REGION_CURRENCY: Record<string, string> = {
  US: 'USD',
  GB: 'GBP',
  BR: 'BRL',
  CH: 'CHF',
  MX: 'MXN',
  CA: 'CAD',
  AU: 'AUD',
};
const EURO_REGIONS = new Set('ES FR DE IT PT IE NL BE AT LU FI GR SK SI EE LV LT MT CY HR AD MC SM VA'.split(' '));

export function regionCurrency(region: string | undefined): string | undefined {
  if (!region) return undefined;
  const r = region.toUpperCase();
  return REGION_CURRENCY[r] ?? (EURO_REGIONS.has(r) ? 'EUR' : undefined);
}

function currencyOf(token: string | undefined): string | undefined {
  if (!token) return undefined;
  const t = token.trim();
  return CURRENCIES.find(([re]) => re.test(t))?.[1];
}

const MULTIPLIERS: Array<[RegExp, number]> = [
  [/^(?:k|mil|mila|mille|tsd|thousand)$/, 1_000],
  [/^(?:m|mio|mill|mln|million(?:s|es)?|millones|millon|milioni|milione|milhao|milhoes|millionen)$/, 1_000_000],
];
const MULTIPLIER_TOKEN =
  'k|mila|mil|mille|tsd|thousand|mio|mill|mln|millions?|millones|millon|milioni|milione|milhao|milhoes|millionen|m(?=\\s*(?:€|\\$|£|eur|usd))';

/** "1.050" (German thousands), "600,000", "1,2" (decimal), "1.5" with a multiplier, "1 200". */
export function parseAmount(raw: string, multiplier?: string): number {
  let s = raw.replace(/[\s'’]/g, '');
  const mult = multiplier ? (MULTIPLIERS.find(([re]) => re.test(multiplier))?.[1] ?? 1) : 1;
  if (/^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?$/.test(s)) {
    // Grouped thousands; a last group of one or two digits is the decimal part.
    const decimal = /[.,](\d{1,2})$/.exec(s);
    const whole = decimal ? s.slice(0, -decimal[0].length) : s;
    s = whole.replace(/[.,]/g, '') + (decimal ? `.${decimal[1]}` : '');
  } else {
    s = s.replace(',', '.');
  }
  const n = Number.parseFloat(s);
  return Math.round(n * mult * 100) / 100;
}

const CEILING =
  /(?:\bmax(?:imum|imo|imal)?\.?|\bup to|\bno more than|\bnot more than|\bunder|\bbelow|\bless than|\bat most|\bat the most|\bhasta|\bcomo maximo|\bno mas de|\bmenos de|\bjusqu'a|\bpas plus de|\bmoins de|\bau plus|\bau maximum|\bhochstens|\bmaximal|\bbis zu|\bbis\b|\bnicht mehr als|\bunter|\bweniger als|\bate|\bno maximo|\bnao mais de|\bfino a|\bal massimo|\bnon piu di|\bmeno di|\bentro|\bsotto)\s*(?:de\s+|a\s+|i\s+|the\s+)?$/;
const APPROX =
  /(?:\baround|\babout|\bapprox(?:imately|\.)?|\baprox\.?|\broughly|\bsomething like|~|\bcirca|\bca\.?|\balrededor de|\bunos|\bunas|\baproximadamente|\bmas o menos|\bsobre (?:los|las)|\benviron|\ba peu pres|\bautour de|\bdans les|\bde l'ordre de|\betwa|\bungefahr|\brund|\bcerca de|\buns|\bumas|\bmais ou menos|\bpor volta de|\bintorno a(?:i|gli|lle)?|\bsui|\bsugli|\bpiu o meno|\ball'incirca)\s*$/;
const APPROX_AFTER =
  /^\s*(?:ish\b|or so\b|more or less\b|mas o menos\b|environ\b|in etwa\b|mais ou menos\b|piu o meno\b|circa\b)/;
/** The clause speaks of someone else's price: a quote, a competitor, a listing site. */
const ELSEWHERE =
  /\b(?:quoted?|quotes|elsewhere|competitor|booking\.?com|airbnb|expedia|hotels\.com|trivago|idealista|fotocasa|immobilienscout|seloger|they charge|they want|they asked|charged me|was charged|en otro sitio|me (?:cobran|cobraron|pidieron|piden|dieron)|presupuestaron|ailleurs|concurren|m'a (?:demande|propose|facture)|on m'a|woanders|anderswo|konkurrenz|verlangt|angeboten|noutr[oa] (?:sitio|lado|lugar)|cobraram|cobram|pediram|altrove|concorren|mi hanno (?:chiesto|fatto)|chiedono|your (?:website|site|page|ad|listing)|vuestra web|su web|votre site|ihre[rn]? (?:website|seite|anzeige)|vosso site|vostro sito|listed at|listing says|advertised|anuncio|annonce|inserat|annuncio)\b|\b(?:another|other|otra|otro|autre|andere[nmrs]?|outra|outro|altra|altro)\s+(?:[a-z]+\s+)?(?:clinic|dentist|practice|office|hotel|agency|agent|realtor|place|site|clinica|dentista|consulta|agencia|inmobiliaria|sitio|lugar|cabinet|clinique|dentiste|agence|praxis|zahnarzt|zahnarztin|klinik|agentur|makler|consultorio|imobiliaria|studio|agenzia|struttura|albergo|hotels?)\b/;
/** The clause speaks of money already spent or held: a payment, a purchase price, a deposit, a tax base. */
const NOT_A_BUDGET =
  /\b(?:paid|i paid|we paid|bought (?:it )?for|purchased for|deposit|tax|pague|pagamos|pagado|compre|compramos|fianza|impuesto|j'ai paye|nous avons paye|paye|achete|caution|impot|taxe|bezahlt|gezahlt|gekauft|kaution|steuer|paguei|pagamos|comprei|compramos|caucao|imposto|ho pagato|abbiamo pagato|pagato|comprato|caparra|deposito|tassa|imposta)\b/;
const DEPOSIT_AFTER = /^\s*(?:of\s+)?(?:deposit|kaution|fianza|caucao|caution|caparra|deposito)\b/;
const BUDGET_WORDS =
  /\b(?:budget|presupuesto|orcamento|afford|can pay|can spend|spend|gastar|pagar|payer|depenser|ausgeben|zahlen|bezahlen|spendere|pagare|miete|warmmiete|kaltmiete|rent|alquiler|loyer|aluguel|renda|affitto|price range|rango|fourchette|preisrahmen|faixa|fascia)\b/;

const NOT_MONEY_AFTER =
  /^\s*(?:%|m2|m²|sqm|sq|square|metros|metres|meters|mq|qm|quadratmeter|km|minutes?|min|hours?|h\b|nights?|noches|nuits|nachte|noites|notti|people|personas|personnes|personen|pessoas|persone|years?|anos|ans|jahre|anni|rooms?|habitaciones|chambres|zimmer|quartos|camere|pm|am|uhr)/;

interface AmountHit {
  value: number;
  currency?: string;
  start: number;
  end: number;
  multiplied: boolean;
  /** 1, 1000 or 1000000. */
  factor: number;
}

const AMOUNT = new RegExp(
  `(${CURRENCY_TOKEN})?\\s*(\\d{1,3}(?:[.,'’ ]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d+)?)(?:\\s*(${MULTIPLIER_TOKEN})(?![a-z]))?(?:\\s*(?:de\\s+|d')?(${CURRENCY_TOKEN})(?![a-z]))?`,
  'g',
);

function amounts(folded: string): AmountHit[] {
  const hits: AmountHit[] = [];
  AMOUNT.lastIndex = 0;
  for (let m = AMOUNT.exec(folded); m; m = AMOUNT.exec(folded)) {
    const [all, curBefore, num = '', mult, curAfter] = m;
    // Part of a longer token (a phone, a date like 12.03.2026, a time like 22:30).
    const prev = folded[m.index - 1] ?? ' ';
    const next = folded[m.index + all.length] ?? ' ';
    if (/[\d:/+]/.test(prev) || /^[:/]\d/.test(folded.slice(m.index + all.length, m.index + all.length + 2))) continue;
    // "€1,800/month" is money; "22:30" and "12/03" are not.
    if (/\d[.,]\d{1,2}[.,]\d/.test(num) || next === ':' || /^\/\d/.test(folded.slice(m.index + all.length))) continue;
    if (!mult && !curAfter && NOT_MONEY_AFTER.test(folded.slice(m.index + all.length))) continue;
    // Phone numbers and their prefixes ("0157 12345678") are not amounts.
    if (!curBefore && !curAfter && (/^0\d{2}/.test(num) || /^\d{7,}$/.test(num))) continue;
    const currency = currencyOf(curBefore) ?? currencyOf(curAfter);
    // Currency words are only a currency right beside the number ("$" glued or spaced).
    hits.push({
      value: parseAmount(num, mult),
      currency,
      start: m.index,
      end: m.index + all.length,
      multiplied: Boolean(mult),
      factor: mult ? (MULTIPLIERS.find(([re]) => re.test(mult))?.[1] ?? 1) : 1,
    });
  }
  return hits;
}

const RANGE_JOIN = /^\s*(?:-|–|to|and|y|a|al|et|a|und|bis|e|ate|hasta|jusqu'a|fino a|tra)\s*$/;
const RANGE_START = /(?:\bbetween|\bentre|\bzwischen|\btra|\bfra|\bfrom|\bde|\bdu|\bvon|\bda)\s*$/;

/** The visitor's budget, or undefined. `region` decides the currency when none is written. */
export function extractBudget(
  text: string,
  region?: string,
  options: { bareNumber?: boolean } = {},
): UnderstoodBudget | undefined {
  const folded = fold(text);
  const hits = amounts(folded);
  if (!hits.length) return undefined;
  const clauseStart = (i: number) => {
    // A clause ends at ! ? ; or a newline, or a period followed by a space that does not close an
    // abbreviation ("max.", "ca."): "1.050" and "booking.com" go on.
    const head = folded.slice(0, i);
    let cut = -1;
    const ends = /[!?;\n]|\.(?=\s)/g;
    for (let m = ends.exec(head); m; m = ends.exec(head)) {
      if (m[0] === '.' && /(?:max|ca|min|approx|nr|no|env)$/.test(head.slice(Math.max(0, m.index - 6), m.index)))
        continue;
      cut = m.index;
    }
    return cut >= 0 ? cut + 1 : Math.max(0, i - 80);
  };
  type Scored = { hit: AmountHit; score: number; min?: number; approximate: boolean; ceiling: boolean };
  const scored: Scored[] = [];
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i] as AmountHit;
    const clause = folded.slice(clauseStart(hit.start), hit.start);
    const before = folded.slice(Math.max(0, hit.start - 24), hit.start);
    if (ELSEWHERE.test(clause) || NOT_A_BUDGET.test(clause) || DEPOSIT_AFTER.test(folded.slice(hit.end, hit.end + 16)))
      continue;
    const ceiling = CEILING.test(before);
    const approximate = APPROX.test(before) || APPROX_AFTER.test(folded.slice(hit.end));
    const budgetWord = BUDGET_WORDS.test(folded.slice(Math.max(0, hit.start - 60), hit.start));
    // Bare numbers are counts, ages, house numbers: money needs a currency, a multiplier or budget words.
    if (!hit.currency && !hit.multiplied && !budgetWord && !options.bareNumber) {
      // A range "300-400 €" carries its currency on the second number.
      const nextHit = hits[i + 1];
      if (!(nextHit?.currency && RANGE_JOIN.test(folded.slice(hit.end, nextHit.start)))) continue;
    }
    if (!(hit.value > 0) || hit.value < 5) continue;
    let score = 1 + (budgetWord ? 2 : 0) + (ceiling ? 2 : 0) + (hit.currency ? 1 : 0);
    // A range: this amount joined to the next by "to", "-", "y", "bis"…
    const nextHit = hits[i + 1];
    let min: number | undefined;
    let top = hit;
    if (nextHit && RANGE_JOIN.test(folded.slice(hit.end, nextHit.start)) && nextHit.value > hit.value) {
      // "300 a 400 mil": the first number takes the second's multiplier.
      const scaled = hit.multiplied ? hit.value : hit.value * nextHit.factor;
      min = scaled < nextHit.value ? scaled : hit.value;
      top = nextHit;
      score += RANGE_START.test(before) ? 2 : 1;
      i++;
    }
    scored.push({
      hit: { ...top, currency: top.currency ?? hit.currency, start: hit.start },
      score,
      min,
      approximate: approximate && !ceiling,
      ceiling,
    });
  }
  const best = scored.sort((a, b) => b.score - a.score)[0];
  if (!best) return undefined;
  return {
    max: best.hit.value,
    min: best.min,
    currency: best.hit.currency ?? regionCurrency(region),
    approximate: best.approximate,
    text: text.slice(best.hit.start, best.hit.end).trim() || folded.slice(best.hit.start, best.hit.end).trim(),
  };
}

export function formatBudget(b: Pick<UnderstoodBudget, 'min' | 'max' | 'currency'>): string {
  const cur = b.currency ? `${b.currency} ` : '';
  return b.min !== undefined ? `${cur}${b.min}-${b.max}` : `${cur}${b.max}`;
}
