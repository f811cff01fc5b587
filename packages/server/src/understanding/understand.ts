import type { ContentLanguage } from '@leaddesk/shared';
import { countryFromLocale } from '../leads/normalize-contact.js';
import {
  asksForHuman,
  extractBudget,
  extractDates,
  extractEmail,
  extractName,
  extractPartySize,
  extractPhone,
} from '../replies/structured/extract.js';
import { detectLanguage } from '../replies/structured/language.js';
import type { UnderstandInput, Understanding } from './types.js';

/**
 * TEMPORARY: the previous structured-mode extractors behind the new contract,
 * so callers can move to `understand()` while the module itself is written.
 */
export function understand(input: UnderstandInput): Understanding {
  const language: ContentLanguage = detectLanguage(input.text, input.knownLanguage, input.fallbackLanguage ?? 'en');
  const region = input.region ?? countryFromLocale('en-US');
  const dates = extractDates(input.text, language, input.now);
  const budget = extractBudget(input.text);
  const partySize = extractPartySize(input.text, language);
  const human = asksForHuman(input.text);
  return {
    language,
    intent: human ? 'human_request' : 'other',
    intents: human ? ['human_request'] : [],
    urgency: null,
    emergency: false,
    asksQuestion: /\?\s*$/.test(input.text.trim()),
    email: extractEmail(input.text),
    phone: extractPhone(input.text, region),
    name: extractName(input.text),
    date: dates ? { start: dates.start, end: dates.end, text: dates.text } : undefined,
    budget: budget
      ? { max: budget.max, min: budget.min, currency: budget.currency, approximate: false, text: budget.text }
      : undefined,
    party: partySize ? { total: partySize, text: String(partySize) } : undefined,
    evidence: [],
  };
}
