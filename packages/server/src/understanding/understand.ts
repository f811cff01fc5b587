import type { ContentLanguage, LeadIntent } from '@leaddesk/shared';
import { extractBedrooms } from './bedrooms.js';
import { extractBudget } from './budget.js';
import { localDay } from './calendar.js';
import { CONCEPT_LEXICON } from './concept-lexicon.js';
import { findConcepts } from './concepts.js';
import { extractEmail, extractPhone } from './contact.js';
import { cueRegex, findCue } from './cues.js';
import { extractDate } from './dates.js';
import { readEmergency, sentenceAround } from './emergency.js';
import { fold } from './fold.js';
import { detectLanguage } from './language.js';
import { extractName } from './name.js';
import { extractParty } from './party.js';
import { serviceConcepts as conceptsOfService, matchService } from './service.js';
import { firstTerm } from './terms.js';
import type { UnderstandInput, Understanding, Urgency } from './types.js';

/**
 * What one visitor message says, in any of the six languages: a pure,
 * synchronous reading shared by the AI pipeline's router and the structured
 * mode. Each field has its own reader (dates.ts, budget.ts, party.ts, …);
 * this file only combines them and decides intent and urgency.
 */

/** Concepts that name who or what a message is about more than a question for the knowledge base. */
const NOT_KNOWLEDGE_TOPICS = new Set(['availability', 'viewing', 'children', 'languages_spoken']);
/** Topics a knowledge base answers (not the services themselves). */
const KNOWLEDGE_TOPICS = new Set(
  Object.entries(CONCEPT_LEXICON)
    .filter(([id, e]) => e.kind === 'topic' && !NOT_KNOWLEDGE_TOPICS.has(id))
    .map(([id]) => id),
);
/** Strong words that, beside a toothache, describe the pain rather than complain. */
const INTENSITY = /^(?:terrible|horrible|awful|schrecklich|orribile|horrivel|pesim[oa]|fatal)$/;
/** Businesses whose leads may be medical emergencies. */
const NON_MEDICAL = new Set(['hotel', 'real_estate']);
const ROOM_NUMBER_AFTER = /^\s*(?:n[o°º.]*\s*|nr\.?\s*|#\s*)?\d/;

function isQuestion(folded: string, language: ContentLanguage): boolean {
  if (folded.includes('?')) return true;
  const starter = cueRegex('questionStart', language);
  return folded
    .split(/[.!\n]+/)
    .map((s) =>
      s
        .trim()
        .replace(/^(?:hi|hello|hey|hola|bonjour|hallo|ola|oi|ciao|buongiorno|buenos dias|buenas tardes)[,!\s]*/, ''),
    )
    .some((s) => firstTerm(starter, s)?.index === 0);
}

export function understand(input: UnderstandInput): Understanding {
  const text = input.text ?? '';
  const language = detectLanguage(text, input.knownLanguage, input.fallbackLanguage ?? 'en');
  const folded = fold(text);
  const region = input.region?.toUpperCase();
  const evidence: Understanding['evidence'] = [];
  const note = (field: string, words: string | undefined) => {
    if (words) evidence.push({ field, text: words.trim().slice(0, 120) });
  };

  // Negated pain ("sin dolor", "keine Schmerzen") must not read as pain.
  const noPainRe = cueRegex('noPain', language);
  const withoutNegatedPain = folded.replace(noPainRe, (m) => ' '.repeat(m.length));
  const concepts = findConcepts(withoutNegatedPain, language, undefined, { everyLanguage: true, folded: true });
  // "room 214", "habitación 112", "Zimmer 208": a room number says where, not what is wanted.
  const roomNumber = (c: { concept: string; text: string }) =>
    c.concept === 'room' && ROOM_NUMBER_AFTER.test(folded.slice(folded.indexOf(c.text) + c.text.length));
  const serviceConcepts = concepts.filter((c) => CONCEPT_LEXICON[c.concept]?.kind === 'service' && !roomNumber(c));

  // ---- emergency ----
  // A present condition (pain, bleeding, swelling, a broken tooth), not a question about the service.
  const reading = readEmergency(withoutNegatedPain, language, (s) => isQuestion(s, language));
  let emergency = false;
  if (reading.condition) {
    const tenantTreatsEmergencies =
      !NON_MEDICAL.has(input.industry ?? '') || input.services.some((s) => conceptsOfService(s).includes('emergency'));
    const sentence = sentenceAround(withoutNegatedPain, withoutNegatedPain.indexOf(reading.condition));
    // "Does whitening hurt?": a question about a treatment, not a patient in pain.
    const askingAboutTreatment =
      sentence.question && serviceConcepts.some((c) => c.concept !== 'emergency' && sentence.text.includes(c.text));
    emergency = tenantTreatsEmergencies && !askingAboutTreatment;
    if (emergency) note('emergency', reading.condition);
  }
  // "Do you handle emergencies?": the service's name asked about is no urgency cue either.
  const cueText = reading.askedAbout.reduce((t, [a, b]) => t.slice(0, a) + ' '.repeat(b - a) + t.slice(b), folded);

  // ---- date (needed by urgency) ----
  const reschedule = findCue('reschedule', folded, language);
  const cancelWord = findCue('cancel', folded, language);
  const dateOptions = { now: input.now, timeZone: input.timeZone, monthFirst: region === 'US' };
  const date = extractDate(folded, { ...dateOptions, pick: reschedule ? 'last' : 'first' });
  // A change or a cancellation is as urgent as the nearest date it touches (the appointment being moved).
  const nearest = reschedule || cancelWord ? extractDate(folded, { ...dateOptions, pick: 'first' }) : date;
  const urgencyDate = nearest && date && nearest.start < date.start ? nearest : date;
  if (date) note('date', date.text);

  // ---- urgency ----
  let urgency: Urgency | null = null;
  let urgencyFromDate = false;
  const calm = findCue('notUrgent', folded, language);
  const withoutCalm = calm ? cueText.replace(cueRegex('notUrgent', language), (m) => ' '.repeat(m.length)) : cueText;
  const highCue = findCue('urgentHigh', withoutCalm, language);
  const medium = findCue('urgentMedium', withoutCalm, language);
  const today = localDay(input.now, input.timeZone);
  const dayNumber = (iso: string) =>
    Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  const complaintCue = findCue('complaint', folded, language);
  // A complaint's date is when it went wrong, not when staff must act.
  const timing = complaintCue && !reschedule && !cancelWord ? undefined : urgencyDate;
  // "today" in a complaint says when it went wrong; "right now" still says staff must act now.
  const high = timing || !highCue || !date?.text.includes(highCue) ? highCue : undefined;
  const daysAhead = timing
    ? Math.round((dayNumber(timing.start) - Date.UTC(today.y, today.m - 1, today.d)) / 86_400_000)
    : undefined;
  if (emergency) {
    urgency = 'high';
    note('urgency', reading.condition);
  } else if (high) {
    urgency = 'high';
    note('urgency', high);
  } else if (calm) {
    urgency = 'low';
    note('urgency', calm);
  } else if (medium) {
    urgency = 'medium';
    note('urgency', medium);
  } else if (daysAhead !== undefined && timing) {
    // Nothing said about urgency, but a date says how soon: within two days is urgent, within two
    // weeks soon, later is planning ahead.
    urgency = daysAhead <= 2 ? 'high' : daysAhead <= 14 ? 'medium' : 'low';
    // "Next week" is soon even when it starts in two days.
    if (
      urgency === 'high' &&
      timing.end &&
      dayNumber(timing.end) - dayNumber(timing.start) >= 5 * 86_400_000 &&
      daysAhead >= 2
    )
      urgency = 'medium';
    urgencyFromDate = true;
    note('urgency', timing.text);
  }

  // ---- entities ----
  const email = extractEmail(text);
  const phone = extractPhone(text, region);
  const budget = extractBudget(text, region);
  const party = extractParty(folded);
  const bedrooms = extractBedrooms(folded, input.industry, language);
  const service = matchService(folded, input.services, serviceConcepts);
  const name = extractName(text);
  note('email', email);
  note('phone', phone);
  note('budget', budget?.text);
  note('party', party?.text);
  note('bedrooms', bedrooms?.text);
  note('service', service?.matched);
  note('name', name);

  // ---- intent ----
  const question = isQuestion(folded, language);
  const topics = concepts.filter((c) => KNOWLEDGE_TOPICS.has(c.concept));
  const priceWord = concepts.find((c) => c.concept === 'price')?.text;
  // "Presupuesto 1,2 millones", "Budget 450k": the visitor's budget, not a price question.
  const priced = Boolean(priceWord && !(budget && /^(?:presupuesto|orcamento|budget|preventivo)/.test(priceWord)));
  const human = findCue('human', folded, language);
  const complaintWord = findCue('complaint', folded, language);
  const complaint = complaintWord && !(emergency && INTENSITY.test(complaintWord)) ? complaintWord : undefined;
  const cancel = cancelWord;
  const policy = findCue('policy', folded, language);
  const bookStrong = findCue('bookStrong', folded, language);
  const bookSoft = findCue('bookSoft', folded, language);
  const details = [serviceConcepts.length > 0, date, party, bedrooms, budget].filter(Boolean).length;
  // A booking: said in words, or wanted with something to book, or two booking details ("double room, 20-22 Dec, 2 adults").
  const booking = Boolean(bookStrong || (bookSoft && details > 0) || emergency || details >= 2);

  const found: LeadIntent[] = [];
  if (complaint) found.push('complaint');
  if (cancel && !policy && !question) found.push('cancellation');
  else if (
    cancel &&
    !policy &&
    /\b(?:my|our|mi|mis|nuestr[ao]s?|mon|ma|notre|nos|meine[nm]?|unser(?:e[nm]?)?|minha|meu|nossa|nosso|mia|mio|nostr[ao])\b/.test(
      folded,
    )
  )
    found.push('cancellation');
  if (reschedule && !found.includes('cancellation')) found.push('reschedule');
  if (human) found.push('human_request');
  // A price asked with a soft "I'd like to know…" is a pricing question; "I want to book" is a booking.
  const pricingFirst = priced && !bookStrong && (question || !bookSoft);
  if (pricingFirst) found.push('pricing');
  if (booking && !found.includes('cancellation') && !found.includes('reschedule')) found.push('booking');
  if (priced && !found.includes('pricing')) found.push('pricing');
  const otherTopics = topics.filter((t) => t.concept !== 'price');
  if ((question && (otherTopics.length > 0 || !found.length)) || (policy && cancel)) found.push('information');
  const intent: LeadIntent = found[0] ?? 'other';
  note(
    'intent',
    complaint ?? cancel ?? reschedule ?? human ?? bookStrong ?? bookSoft ?? (priced ? priceWord : undefined),
  );

  const asksQuestion = question && (topics.length > 0 || serviceConcepts.length > 0);

  return {
    language,
    intent,
    intents: found.length ? [...new Set(found)] : ['other'],
    urgency,
    urgencyFromDate,
    emergency,
    asksQuestion,
    email,
    phone,
    name,
    // A cancelled or complained-about visit's date is not a date the visitor asks for (it still set the urgency).
    date: intent === 'cancellation' || intent === 'complaint' ? undefined : date,
    budget,
    party,
    bedrooms: bedrooms?.n,
    // A cancelled or complained-about stay is not a service wanted; a named one ("the implant") still is.
    service:
      (intent === 'cancellation' || intent === 'complaint') &&
      service &&
      conceptsOfService(service.name).includes('room')
        ? undefined
        : service,
    evidence,
  };
}
