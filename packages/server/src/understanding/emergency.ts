import type { ContentLanguage } from '@leaddesk/shared';
import { CONCEPT_LEXICON } from './concept-lexicon.js';
import { compileTerms } from './terms.js';

/**
 * Whether a message describes a dental emergency happening to the writer, as
 * opposed to asking about the service. An emergency is a present condition:
 * pain, bleeding, swelling, a broken tooth ("I have terrible tooth pain",
 * "me duele la muela", "mein Zahnfleisch blutet"). "Do you handle dental
 * emergencies?", "¿Atienden urgencias?", "Behandeln Sie Zahnnotfälle?" name
 * the service in a question: they ask about it and are not emergencies, nor
 * urgent. The same split holds in every supported language because it rests on
 * two things every language has: words that name the service (the emergency
 * itself) vs words that describe a condition, and whether the sentence is a
 * question that speaks of the writer (a first-person word: "my tooth", "j'ai").
 */

/** Words that name the service ("an emergency", "urgencias", "Notdienst"), not a condition. */
const SERVICE_NAMES = compileTerms([
  'emergency',
  'emergencies',
  'emergency care',
  'emergency visit*',
  'emergency appointment*',
  'emergency patient*',
  'emergency dentist*',
  'urgencia*',
  'emergencia*',
  'urgence*',
  '*notfall*',
  '*notdienst*',
  'urgenza',
  'urgenze',
  'emergenza',
  'emergenze',
  'accident',
  'accidente',
  'acidente',
  'unfall',
  'incidente',
]);

/** First-person words: a question that has one speaks of the writer ("can you see me, my tooth is broken?"). */
const FIRST_PERSON: Record<ContentLanguage, RegExp> = {
  en: /\b(?:i|i'm|im|i've|my|me|we|we're|our|us)\b/,
  es: /\b(?:me|mi|mis|tengo|estoy|llevo|nos|nuestr[oa]s?|yo)\b/,
  fr: /(?:\bj'|\b(?:je|me|m'|mon|ma|mes|moi|nous|notre|nos)\b)/,
  de: /\b(?:ich|mir|mich|mein(?:e[nmrs]?)?|wir|uns|unser(?:e[nmrs]?)?)\b/,
  pt: /\b(?:eu|me|meu|minha|meus|minhas|estou|tou|to|tenho|nos|noss[oa]s?)\b/,
  it: /\b(?:io|mi|mio|mia|miei|mie|ho|sono|nostr[oaie])\b/,
};

const SINCE = /\b(?:since|desde|depuis|seit)\b/;

let conditionTerms: Map<string, RegExp> | undefined;
/** Every term of the `emergency` concept (conditions and service names), for this message language. */
function emergencyTerms(language: ContentLanguage): RegExp {
  conditionTerms ??= new Map();
  let re = conditionTerms.get(language);
  if (!re) {
    const terms: string[] = [];
    for (const [list, words] of Object.entries(CONCEPT_LEXICON.emergency?.terms ?? {})) {
      // An ambiguous term ("!pain": bread in French) counts only in its own language.
      for (const w of words ?? []) if (!w.startsWith('!') || list === language) terms.push(w);
    }
    re = compileTerms(terms);
    conditionTerms.set(language, re);
  }
  return re;
}

export interface EmergencyReading {
  /** The words that describe a present condition, when there are some. */
  condition?: string;
  /** Spans [start, end) of service names asked about in a question: not urgency cues either. */
  askedAbout: Array<[number, number]>;
}

/** The sentence around `i` in folded text, and whether it ends with a question mark. */
export function sentenceAround(folded: string, i: number): { text: string; question: boolean } {
  const before = folded.slice(0, i);
  const start =
    Math.max(before.lastIndexOf('.'), before.lastIndexOf('!'), before.lastIndexOf('?'), before.lastIndexOf('\n')) + 1;
  const rest = folded.slice(i);
  const endRel = rest.search(/[.!?\n]/);
  const end = endRel < 0 ? folded.length : i + endRel;
  return { text: folded.slice(start, end + 1), question: folded[end] === '?' };
}

/**
 * Reads the emergency words of a folded message (negated pain already blanked out).
 * `questionLike` says whether a sentence without a question mark is still a question
 * ("Atienden urgencias" with the mark left off).
 */
export function readEmergency(
  folded: string,
  language: ContentLanguage,
  questionLike: (sentence: string) => boolean,
): EmergencyReading {
  const re = emergencyTerms(language);
  const askedAbout: Array<[number, number]> = [];
  let condition: string | undefined;
  re.lastIndex = 0;
  for (let m = re.exec(folded); m; m = re.exec(folded)) {
    const sentence = sentenceAround(folded, m.index);
    const question = sentence.question || questionLike(sentence.text);
    SERVICE_NAMES.lastIndex = 0;
    const name = SERVICE_NAMES.exec(m[0]);
    const naming = Boolean(name && name[0] === m[0]);
    // "Since yesterday" also tells a condition the writer has now.
    const aboutWriter = FIRST_PERSON[language].test(sentence.text) || SINCE.test(sentence.text);
    if (naming && question) {
      askedAbout.push([m.index, m.index + m[0].length]);
      continue;
    }
    // A condition in a question that does not speak of the writer asks about the service ("do you treat toothaches?").
    if (question && !aboutWriter) continue;
    condition ??= m[0];
  }
  return { condition, askedAbout };
}
