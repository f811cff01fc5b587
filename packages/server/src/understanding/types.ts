import type { ContentLanguage, LeadIntent } from '@leaddesk/shared';

/**
 * The contract of the understanding module: what one visitor message says,
 * read the same way by the AI pipeline's router and by the structured mode.
 * Pure and synchronous (no I/O), so it runs on every message in well under
 * 2 ms.
 */

export type Urgency = 'high' | 'medium' | 'low';
export type PartOfDay = 'morning' | 'afternoon' | 'evening' | 'night';

export interface UnderstandInput {
  text: string;
  /** When the message was sent; relative dates ("tomorrow", "next Friday") resolve against it. */
  now: Date;
  /** The tenant's IANA time zone: "tomorrow" is the tenant's tomorrow. */
  timeZone: string;
  /** ISO 3166 country of the tenant (from its locale): phones without a prefix, currency without a symbol. */
  region?: string;
  /** The conversation's language so far (short messages keep it). */
  knownLanguage?: string | null;
  /** The tenant's language, when nothing else decides. */
  fallbackLanguage?: string;
  /** The tenant's services, as the tenant names them; `service` is one of these. */
  services: readonly string[];
  industry?: string | null;
}

export interface UnderstoodDate {
  /** YYYY-MM-DD in the tenant's time zone. */
  start: string;
  /** YYYY-MM-DD, only for a range ("from the 20th to the 22nd"). */
  end?: string;
  partOfDay?: PartOfDay;
  /** HH:MM when a time was asked for ("tomorrow at 10"). */
  time?: string;
  /** The words it was read from. */
  text: string;
}

export interface UnderstoodBudget {
  /** The ceiling, or the amount when only one is given. */
  max: number;
  /** The lower bound of a range. */
  min?: number;
  /** ISO 4217, from a symbol, code or word, else the tenant's region. */
  currency?: string;
  /** "around", "about", "~": not a ceiling. */
  approximate: boolean;
  text: string;
}

export interface UnderstoodParty {
  total: number;
  adults?: number;
  children?: number;
  text: string;
}

export interface Understanding {
  language: ContentLanguage;
  /** The main intent of the message. */
  intent: LeadIntent;
  /** Every intent found, strongest first (a booking that also asks a price: ['booking', 'pricing']). */
  intents: LeadIntent[];
  /** null when the message says nothing about timing or pain. */
  urgency: Urgency | null;
  /** The urgency was read from how soon the requested date is, not from the visitor's words. */
  urgencyFromDate?: boolean;
  /** Pain, bleeding, swelling, an emergency: staff must know now. */
  emergency: boolean;
  /** The message asks something the knowledge base might answer (a price, hours, insurance…). */
  asksQuestion: boolean;
  email?: string;
  /** E.164. Never an amount, a date, a time or a room number. */
  phone?: string;
  name?: string;
  date?: UnderstoodDate;
  budget?: UnderstoodBudget;
  party?: UnderstoodParty;
  bedrooms?: number;
  /** One of `UnderstandInput.services`, with the words that named it. */
  service?: { name: string; matched: string };
  /** The words behind each finding, for staff ("urgency: 'me sangra la encía'"). */
  evidence: Array<{ field: string; text: string }>;
}
