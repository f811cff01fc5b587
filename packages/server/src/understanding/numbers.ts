/**
 * Small counts written as words in the six languages ("two", "dos", "deux",
 * "zwei", "duas", "due"), matched on folded text. Counts above twelve are
 * written with digits in practice.
 */
const WORDS: Record<string, number> = {};
const LISTS = [
  ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'],
  ['uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce'],
  ['un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze'],
  ['eins', 'zwei', 'drei', 'vier', 'funf', 'sechs', 'sieben', 'acht', 'neun', 'zehn', 'elf', 'zwolf'],
  ['um', 'dois', 'tres', 'quatro', 'cinco', 'seis', 'sete', 'oito', 'nove', 'dez', 'onze', 'doze'],
  ['uno', 'due', 'tre', 'quattro', 'cinque', 'sei', 'sette', 'otto', 'nove', 'dieci', 'undici', 'dodici'],
];
for (const list of LISTS) {
  list.forEach((w, i) => {
    WORDS[w] ??= i + 1;
  });
}
Object.assign(WORDS, {
  a: 1,
  an: 1,
  una: 1,
  une: 1,
  ein: 1,
  eine: 1,
  einer: 1,
  einem: 1,
  uma: 1,
  duas: 2,
  zwo: 2,
  quinze: 15,
  quince: 15,
  quindici: 15,
  twenty: 20,
  veinte: 20,
  vingt: 20,
  zwanzig: 20,
  vinte: 20,
  venti: 20,
});

/** Number-word alternation for regexes (longest first, folded). */
export const NUMBER_WORD_PATTERN = Object.keys(WORDS)
  .filter((w) => w.length > 1)
  .sort((a, b) => b.length - a.length)
  .join('|');

/** A count from digits or a number word; undefined for anything else. */
export function readCount(token: string | undefined): number | undefined {
  if (!token) return undefined;
  if (/^\d{1,4}$/.test(token)) return Number(token);
  return WORDS[token];
}
