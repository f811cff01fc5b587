import { type CountryCode, findPhoneNumbersInText } from 'libphonenumber-js';
import { fold } from './fold.js';

/**
 * Contact details. Emails by pattern; phones with libphonenumber-js over the
 * text, keeping only the candidates that look like a phone in context: a
 * number beside a currency is an amount, one shaped like a date, a time or a
 * thousands figure is not dialled, one after "room"/"Zimmer" is a room.
 */

export const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

export function extractEmail(text: string): string | undefined {
  return text.match(EMAIL_IN_TEXT)?.[0].toLowerCase();
}

const CURRENCY_NEAR =
  /(?:[$€£]|\b(?:eur|euros?|usd|gbp|chf|brl|dollars?|dolares|pounds?|libras|reais|k|mil|mio|millones|million|milioni)\b)/i;
const PHONE_WORDS =
  /\b(?:tel|tlf|tfno|phone|mobile|cell|call|whatsapp|wa|movil|telefono|numero|portable|appelez|rappeler|handy|telefon|nummer|erreichbar|telemovel|telefone|celular|ligar|cellulare|chiamare|chiamatemi)\b/;
const ROOM_OR_UNIT =
  /\b(?:room|habitacion|chambre|zimmer|quarto|camera|apt|apartment|piso|planta|floor|etage|stock|no|nr|n|num|cp|zip|postcode|plz|code postal|codigo postal)\.?\s*$/;

interface Candidate {
  number: string;
  digits: number;
  international: boolean;
  nearPhoneWord: boolean;
}

/** The phone in E.164: international numbers as written, national ones read with the tenant's region. */
export function extractPhone(text: string, region?: string): string | undefined {
  // No phone has fewer than seven digits; most messages have none, and the parser is the costly part.
  if ((text.match(/\d/g)?.length ?? 0) < 7) return undefined;
  const withoutEmails = text.replace(new RegExp(EMAIL_IN_TEXT.source, 'g'), (m) => ' '.repeat(m.length));
  const found = findPhoneNumbersInText(withoutEmails, { defaultCountry: region as CountryCode | undefined });
  const candidates: Candidate[] = [];
  for (const f of found) {
    if (!f.number.isValid()) continue;
    const raw = withoutEmails.slice(f.startsAt, f.endsAt);
    const before = fold(withoutEmails.slice(Math.max(0, f.startsAt - 24), f.startsAt));
    const after = fold(withoutEmails.slice(f.endsAt, f.endsAt + 8));
    const digits = raw.replace(/\D/g, '').length;
    const international = /^\s*(?:\+|00)/.test(raw);
    // An amount: a currency right before or after, or a thousands figure ("1.050", "600,000").
    if (CURRENCY_NEAR.test(before.slice(-4)) || CURRENCY_NEAR.test(after.slice(0, 5))) continue;
    if (/^\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?$/.test(raw.trim())) continue;
    // A date or a time: "12.03.2026", "20/12", "22:30".
    if (/^\d{1,4}[./-]\d{1,2}(?:[./-]\d{1,4})?$/.test(raw.trim()) || /:\d/.test(raw)) continue;
    if (!international && ROOM_OR_UNIT.test(before)) continue;
    // National numbers shorter than this are extensions, room numbers or postcodes.
    if (!international && digits < 8) continue;
    candidates.push({
      number: f.number.number,
      digits,
      international,
      nearPhoneWord: PHONE_WORDS.test(before),
    });
  }
  // The first one, unless a later one is introduced as a phone ("WhatsApp: …").
  candidates.sort((a, b) => Number(b.nearPhoneWord) - Number(a.nearPhoneWord));
  return candidates[0]?.number;
}
