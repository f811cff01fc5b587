import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Contact normalisation for lead dedup: phones to E.164 (with the tenant's
 * default country for national formats), emails trimmed and lower-cased.
 * Returns null for values that are not a valid phone or email.
 */
export function normalizePhone(raw: string | null | undefined, defaultCountry?: string): string | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  if (!/\d/.test(trimmed)) return null;
  // WhatsApp and Twilio send international numbers without "+" at times (wa_id).
  const international = trimmed.replace(/^00/, '+');
  const candidate = /^\d{10,15}$/.test(international) && !defaultCountry ? `+${international}` : international;
  const parsed = parsePhoneNumberFromString(candidate, defaultCountry as CountryCode | undefined);
  if (!parsed?.isValid()) return null;
  return parsed.number;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

export function normalizeEmail(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const email = raw.trim().toLowerCase();
  return EMAIL_RE.test(email) && email.length <= 254 ? email : null;
}

/** The country to read national phone formats with, from a locale such as "en-GB" or "es". */
export function countryFromLocale(locale: string | undefined): string | undefined {
  const region = locale?.split(/[-_]/)[1];
  return region && /^[A-Za-z]{2}$/.test(region) ? region.toUpperCase() : undefined;
}
