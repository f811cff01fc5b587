import { CONTENT_LANGUAGES } from '@leaddesk/shared';
import { cueRegex } from '../../understanding/cues.js';
import { fold } from '../../understanding/fold.js';
import { firstTerm } from '../../understanding/terms.js';
import { conceptRole, findConcepts } from './concept-labels.js';

/**
 * The questions of a message. "What are your hours on Saturday? And how much
 * is parking?" asks two things, and each gets its own answer; "I'd like my
 * house valued in Estoril. Is it free?" asks one (the second sentence names no
 * subject and borrows the first's).
 */

/** Sentences of a message, each with its closing mark. */
export function sentencesOf(text: string): string[] {
  return (
    text
      // A question in brackets is a sentence of its own: "a double room for 2 (a cot possible?)".
      .split(/(?<=[.!?…)])\s+|\n+|\s+(?=\()/u)
      .map((s) => s.trim())
      .filter(Boolean)
  );
}

/** Whether a sentence asks: a question mark, or a question word first ("how much is it" with the mark left off). */
export function isQuestionSentence(sentence: string): boolean {
  if (sentence.includes('?')) return true;
  const folded = fold(sentence).replace(/^[¿¡\s]+/, '');
  return CONTENT_LANGUAGES.some((l) => firstTerm(cueRegex('questionStart', l), folded)?.index === 0);
}

/** The sentences that ask something (empty when none does). */
export function questionSentences(text: string): string[] {
  return sentencesOf(text).filter((s) => s.includes('?'));
}

function namesSubject(sentence: string): boolean {
  // "What time?" after a question asks the time of the same subject.
  return findConcepts(sentence).some((c) => conceptRole(c.concept) === 'subject' && c.concept !== 'hours');
}

/**
 * The message cut into its questions, each with the statements before it as
 * context. One part (the whole text) unless two sentences ask about
 * different subjects.
 */
export function questionParts(text: string): string[] {
  const parts: string[] = [];
  let context: string[] = [];
  for (const sentence of sentencesOf(text)) {
    if (!sentence.includes('?')) {
      context.push(sentence);
      continue;
    }
    // "How much is it?" after a question: about the same subject, one part.
    if (parts.length && !namesSubject(sentence) && !context.length) {
      parts[parts.length - 1] += ` ${sentence}`;
      continue;
    }
    parts.push([...context, sentence].join(' '));
    context = [];
  }
  if (parts.length < 2) return [text];
  return parts;
}
