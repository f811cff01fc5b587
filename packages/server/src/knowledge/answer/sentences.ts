/**
 * Splits a passage into the pieces an answer is made of: sentences, list
 * lines and price-list entries ("Cleaning: $95 · Whitening: $350" is two).
 * Decimal points, abbreviations and amounts ("1.5%", "approx. 45", "$1,200")
 * do not end a sentence.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n|\s[•·|]\s|\s[-–—]\s(?=\p{Lu})/u)) {
    const flat = line.replace(/\s+/g, ' ').trim();
    if (!flat) continue;
    // A sentence ends at . ! ? followed by a space and a capital or an opening mark (not a digit: "approx. 45").
    for (const piece of flat.split(/(?<=[^\s.][.!?])\s+(?=[\p{Lu}¿¡"“(])|(?<=;)\s+/u)) {
      const s = piece.trim();
      if (s) out.push(...splitPriceEntries(s));
    }
  }
  return out;
}

const AMOUNT = /(?:[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:€|\$|£|%|eur\b|euros?\b|usd\b|dollars?\b|gbp\b|chf\b))/giu;

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
  return (sentence.match(AMOUNT) ?? []).map((a) => a.trim().replace(/[.,]$/, ''));
}
