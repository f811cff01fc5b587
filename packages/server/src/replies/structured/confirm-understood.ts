import type { ContentLanguage } from '@leaddesk/shared';
import type { PartOfDay, Understanding } from '../../understanding/index.js';

/**
 * "Tuesday afternoon for 2 people — noted.": what the visitor just told us,
 * said back in their language so they see they were understood. Only facts
 * from this message; dates in the tenant's calendar (already resolved).
 */
const PART_OF_DAY: Record<ContentLanguage, Record<PartOfDay, string>> = {
  en: { morning: 'morning', afternoon: 'afternoon', evening: 'evening', night: 'night' },
  es: { morning: 'por la mañana', afternoon: 'por la tarde', evening: 'por la tarde', night: 'por la noche' },
  fr: { morning: 'matin', afternoon: 'après-midi', evening: 'soir', night: 'soir' },
  de: { morning: 'vormittags', afternoon: 'nachmittags', evening: 'abends', night: 'nachts' },
  pt: { morning: 'de manhã', afternoon: 'à tarde', evening: 'ao fim do dia', night: 'à noite' },
  it: { morning: 'di mattina', afternoon: 'di pomeriggio', evening: 'di sera', night: 'di notte' },
};

const PEOPLE: Record<ContentLanguage, (n: number) => string> = {
  en: (n) => `for ${n} ${n === 1 ? 'person' : 'people'}`,
  es: (n) => `para ${n} ${n === 1 ? 'persona' : 'personas'}`,
  fr: (n) => `pour ${n} ${n === 1 ? 'personne' : 'personnes'}`,
  de: (n) => `für ${n} ${n === 1 ? 'Person' : 'Personen'}`,
  pt: (n) => `para ${n} ${n === 1 ? 'pessoa' : 'pessoas'}`,
  it: (n) => `per ${n} ${n === 1 ? 'persona' : 'persone'}`,
};

const ADULTS_CHILDREN: Record<ContentLanguage, (a: number, c: number) => string> = {
  en: (a, c) => `for ${a} ${a === 1 ? 'adult' : 'adults'} and ${c} ${c === 1 ? 'child' : 'children'}`,
  es: (a, c) => `para ${a} ${a === 1 ? 'adulto' : 'adultos'} y ${c} ${c === 1 ? 'niño' : 'niños'}`,
  fr: (a, c) => `pour ${a} ${a === 1 ? 'adulte' : 'adultes'} et ${c} ${c === 1 ? 'enfant' : 'enfants'}`,
  de: (a, c) => `für ${a} ${a === 1 ? 'Erwachsenen' : 'Erwachsene'} und ${c} ${c === 1 ? 'Kind' : 'Kinder'}`,
  pt: (a, c) => `para ${a} ${a === 1 ? 'adulto' : 'adultos'} e ${c} ${c === 1 ? 'criança' : 'crianças'}`,
  it: (a, c) => `per ${a} ${a === 1 ? 'adulto' : 'adulti'} e ${c} ${c === 1 ? 'bambino' : 'bambini'}`,
};

const BEDROOMS: Record<ContentLanguage, (n: number) => string> = {
  en: (n) => `${n} ${n === 1 ? 'bedroom' : 'bedrooms'}`,
  es: (n) => `${n} ${n === 1 ? 'dormitorio' : 'dormitorios'}`,
  fr: (n) => `${n} ${n === 1 ? 'chambre' : 'chambres'}`,
  de: (n) => `${n} ${n === 1 ? 'Schlafzimmer' : 'Schlafzimmer'}`,
  pt: (n) => `${n} ${n === 1 ? 'quarto' : 'quartos'}`,
  it: (n) => `${n} ${n === 1 ? 'camera da letto' : 'camere da letto'}`,
};

const BUDGET: Record<ContentLanguage, { upTo: string; around: string; between: string }> = {
  en: { upTo: 'budget up to', around: 'budget around', between: 'budget' },
  es: { upTo: 'presupuesto de hasta', around: 'presupuesto de unos', between: 'presupuesto' },
  fr: { upTo: "budget jusqu'à", around: "budget d'environ", between: 'budget' },
  de: { upTo: 'Budget bis', around: 'Budget um die', between: 'Budget' },
  pt: { upTo: 'orçamento até', around: 'orçamento de cerca de', between: 'orçamento' },
  it: { upTo: 'budget fino a', around: 'budget di circa', between: 'budget' },
};

function day(iso: string): Date {
  return new Date(`${iso}T12:00:00Z`);
}

export function formatDate(date: NonNullable<Understanding['date']>, language: ContentLanguage): string {
  const long = new Intl.DateTimeFormat(language, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  let text = date.end
    ? new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', timeZone: 'UTC' }).formatRange(
        day(date.start),
        day(date.end),
      )
    : long.format(day(date.start));
  if (date.partOfDay) text += ` ${PART_OF_DAY[language][date.partOfDay]}`;
  if (date.time) text += ` ${date.time}`;
  return text;
}

export function formatAmount(amount: number, currency: string | undefined, language: ContentLanguage): string {
  try {
    return currency
      ? new Intl.NumberFormat(language, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount)
      : new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(amount);
  } catch {
    return `${currency ? `${currency} ` : ''}${amount}`;
  }
}

export interface UnderstoodFacts {
  /** The service, already in the visitor's language. */
  service?: string;
  date?: Understanding['date'];
  party?: Understanding['party'];
  bedrooms?: number;
  budget?: Understanding['budget'];
}

/** The confirmation sentence, or undefined when the message told us nothing to confirm. */
export function confirmUnderstood(facts: UnderstoodFacts, language: ContentLanguage): string | undefined {
  const pieces: string[] = [];
  const first: string[] = [];
  if (facts.service) first.push(facts.service);
  if (facts.date) first.push(formatDate(facts.date, language));
  if (facts.party) {
    const { adults, children, total } = facts.party;
    first.push(adults && children ? ADULTS_CHILDREN[language](adults, children) : PEOPLE[language](total));
  }
  if (first.length) pieces.push(first.join(', ').replace(/, (for|para|pour|für|per) /, ' $1 '));
  if (facts.bedrooms) pieces.push(BEDROOMS[language](facts.bedrooms));
  if (facts.budget) {
    const b = facts.budget;
    const words = BUDGET[language];
    pieces.push(
      b.min !== undefined
        ? `${words.between} ${formatAmount(b.min, b.currency, language)}–${formatAmount(b.max, b.currency, language)}`
        : `${b.approximate ? words.around : words.upTo} ${formatAmount(b.max, b.currency, language)}`,
    );
  }
  if (!pieces.length) return undefined;
  const summary = pieces.join(', ');
  return summary.charAt(0).toUpperCase() + summary.slice(1);
}
