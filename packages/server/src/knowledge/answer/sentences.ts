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
