import type { ContentLanguage } from '@leaddesk/shared';

const LOCALES: Record<ContentLanguage, string> = {
  en: 'en-US',
  es: 'es-ES',
  fr: 'fr-FR',
  de: 'de-DE',
  pt: 'pt-BR',
  it: 'it-IT',
};

/**
 * An amount as a reader of that language writes it ("$2,400", "2.400 $",
 * "US$ 2.400"), with plain spaces: Intl's narrow no-break spaces would make
 * the same price look different to a search and to a person copying it.
 */
export function money(language: ContentLanguage, amount: number, currency = 'USD'): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency, maximumFractionDigits: 0 })
    .format(amount)
    .replace(/[\u00a0\u202f]/g, ' ');
}

/** One formatter per language, for the document templates. */
export function moneyIn(language: ContentLanguage, currency = 'USD'): (amount: number) => string {
  return (amount) => money(language, amount, currency);
}
