import { fold } from '../../understanding/fold.js';

/**
 * Splits a passage into the pieces an answer is made of: sentences, list
 * lines and price-list entries ("Cleaning: $95 · Whitening: $350" is two).
 * Decimal points, abbreviations and amounts ("1.5%", "approx. 45", "$1,200")
 * do not end a sentence.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n|\s[•·|]\s|\s[-–—]\s(?=\p{Lu})/u)) {
    const flat = tableRow(line.replace(/\s+/g, ' ').trim());
    if (!flat) continue;
    // A sentence ends at . ! ? followed by a space and a capital or an opening mark (not a digit: "approx. 45").
    for (const piece of flat.split(/(?<=[^\s.][.!?])\s+(?=[\p{Lu}¿¡"“(])/u)) {
      const s = piece.trim();
      if (s) out.push(...splitPriceEntries(s));
    }
  }
  return out;
}

/**
 * A table row as the document parser writes it ("Treatment: Cleaning, adults; Price: $120") read as
 * "Cleaning, adults: $120": the values, without the column names.
 */
function tableRow(line: string): string {
  const cells = line.split(/;\s+/);
  if (cells.length < 2 || !cells.every((c) => /^[^:]{1,40}:\s+\S/.test(c))) return line;
  const values = cells.map((c) => c.slice(c.indexOf(':') + 1).trim());
  return `${values.slice(0, -1).join(', ')}: ${values.at(-1)}`;
}

const AMOUNT =
  /(?:[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|%|eur\b|euros?\b|usd\b|dollars?\b|d[oó]lar(?:es)?\b|dollari\b|gbp\b|chf\b))/giu;

/** "Cleaning: $95, whitening: $350" → one entry per "label: amount". */
function splitPriceEntries(sentence: string): string[] {
  const amounts = sentence.match(AMOUNT) ?? [];
  if (amounts.length < 2) return [sentence];
  const parts = sentence.split(
    /(?<=\d(?:\s?(?:€|%|eur|euros?|usd|dollars?|gbp|chf))?)\s*[,;]\s+(?=\p{L}[^,;]*[:–-]\s*[$€£\d])/iu,
  );
  return parts.length > 1 ? parts.map((p) => p.trim()).filter(Boolean) : [sentence];
}

/** The amounts a sentence states, as written ("$95", "350 €", "1.5%"). */
export function amountsIn(sentence: string): string[] {
  return (sentence.match(AMOUNT) ?? []).map((a) => neutralAmount(a.trim().replace(/[.,]$/, '')));
}

/** "50 dólares" → "$50", "30 euros" → "30 €": an amount any language can show. */
function neutralAmount(amount: string): string {
  const n = amount.match(/\d[\d.,]*/)?.[0] ?? amount;
  if (/d[oó]lar|dollar|usd/i.test(amount)) return `$${n}`;
  if (/euro|eur\b/i.test(amount)) return `${n} €`;
  return amount;
}

const FREE =
  /\b(free|free of charge|no charge|at no cost|gratis|gratuit[aoe]?s?|gratuitement|kostenlos|kostenfrei|gebuhrenfrei|sin coste|sin costo|sin cargo|sem custos?|senza costi|no pagan|non pagano|nao pagam|zahlen nichts)\b/;
/** A condition the bare word "free" would lose when restated ("free up to 7 days before"). */
const CONDITION =
  /\b(up to|until|before|after|unless|except|hasta|antes|despues|salvo|jusqu|avant|apres|sauf|bis|vor|nach|ausser|ate|depois|exceto|fino|prima|dopo|tranne)\b/;

/** Whether a sentence says something is free ("Invisalign consultation: free", "gratuita e sem compromisso"). */
export function isFree(sentence: string): boolean {
  return FREE.test(fold(sentence));
}

/** Whether "free" can be restated on its own: no condition in the sentence that it would drop. */
export function isPlainlyFree(sentence: string): boolean {
  const folded = fold(sentence);
  return FREE.test(folded) && !CONDITION.test(folded);
}

const STREET =
  /\b(street|st|avenue|ave|road|rd|lane|drive|blvd|boulevard|suite|floor|calle|c\/|avenida|av|avda|plaza|paseo|piso|planta|rue|place|chemin|quai|etage|strasse|str|weg|platz|gasse|allee|rua|travessa|largo|praca|andar|via|viale|piazza|corso|piano)\b/;

/**
 * The address a sentence states, as its street and number parts ("350 West 57th Street, Suite 4B"): names and
 * numbers any language can show, without the words around them ("entre la Octava y la Novena Avenida").
 */
export function addressIn(sentence: string): string | null {
  const parts = sentence
    .replace(/[.]$/, '')
    .split(/[,;]\s*|:\s+/)
    .map((p) => p.trim())
    .filter((p) => /\d/.test(p) && STREET.test(fold(p)) && p.split(/\s+/).length <= 6);
  return parts.length ? parts.join(', ') : null;
}
