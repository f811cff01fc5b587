/**
 * Folding for matching: lower case, accents removed, German ß as "ss",
 * typographic apostrophes and dashes as ASCII, so "Zahnärztin", "détartrage"
 * and "¿Cuánto?" match dictionary terms written without accents.
 */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[’‘`´]/g, "'")
    .replace(/[–—‐‑]/g, '-');
}
