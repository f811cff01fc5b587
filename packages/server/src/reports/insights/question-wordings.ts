import type { Sql } from '../../db/sql.js';
import { wordingText } from './cluster-questions.js';
import { fold, isQuestion, type QuestionLanguage, questionLanguage, questionTerms } from './normalize-question.js';

type Query = Pick<Sql, 'query'>;

/** Gaps are recorded as the reply is prepared, seconds after the question: an hour's slack past the window. */
const GAP_SLACK_MS = 3_600_000;
/**
 * Wordings a day keeps in the rollup: those of its biggest term groups first.
 * A day with more distinct wordings (free text, each asked once) counts the
 * rest in `leftOut`: in the period's questions, in no cluster. It bounds what
 * a 90-day report reads (at most 90 × this many rows) whatever the traffic.
 */
export const WORDINGS_PER_DAY = 150;

/** A knowledge gap keeps the question as the visitor sent it, trimmed and cut to 2,000 characters. */
const gapKey = (conversationId: string, text: string) => `${conversationId}|${fold(text.trim().slice(0, 2000))}`;

/** `n` questions of one folded wording in one language, `unanswered` of them knowledge gaps. */
export interface WordingRow {
  /** The stems, space-separated; never empty (questions without a term are counted in `unclustered`). */
  terms: string;
  language: QuestionLanguage;
  /** The folded wording: the key two wordings are the same by. */
  wording_key: string;
  /** As the latest of its questions was written (trimmed, spaces collapsed). */
  wording: string;
  n: number;
  unanswered: number;
}

export interface WindowQuestions {
  /** Visitor messages of the window. */
  messages: number;
  /** Those that are questions. */
  questions: number;
  /** Questions with no term left ("How much?"). */
  unclustered: number;
  /** Questions of wordings past `limit` (counted, not clustered). */
  leftOut: number;
  /** The wordings kept, those of the biggest term groups first. */
  wordings: WordingRow[];
}

/**
 * The visitor questions of [start, end) grouped by folded wording and
 * language, each with how many were knowledge gaps (same conversation, same
 * text, recorded in the window or up to an hour after it). A question's
 * language: its conversation's lead's, else guessed from its words, else
 * `fallback` (the tenant's locale). Read on the partial index of visitor
 * messages by (tenant, time): the rollup's refresh runs it per local day;
 * the bench and tests run it over a whole period as the reference.
 */
export async function windowQuestions(
  q: Query,
  clientId: string,
  window: { start: Date; end: Date },
  fallback: QuestionLanguage,
  limit = Number.POSITIVE_INFINITY,
): Promise<WindowQuestions> {
  const messages = await q.query<Array<{ conversation_id: string; content: string; language: string | null }>>(
    `select m.conversation_id, m.content, l.language from messages m
     left join conversations c on c.id = m.conversation_id
     left join leads l on l.id = c.lead_id and l.client_id = c.client_id
     where m.client_id = ? and m.role = 'visitor' and m.created_at >= ? and m.created_at < ?
     order by m.created_at desc, m.seq desc`,
    [clientId, window.start, window.end],
  );
  const asked = messages.filter((m) => isQuestion(m.content));
  const gaps = asked.length
    ? await q.query<Array<{ conversation_id: string; question: string }>>(
        `select conversation_id, question from knowledge_unanswered_questions
         where client_id = ? and created_at >= ? and created_at < ? and conversation_id is not null`,
        [clientId, window.start, new Date(window.end.getTime() + GAP_SLACK_MS)],
      )
    : [];
  const gapKeys = new Set(gaps.map((g) => gapKey(g.conversation_id, g.question)));
  const byKey = new Map<string, WordingRow>();
  const termsOf = new Map<string, string>();
  let unclustered = 0;
  // Latest first: a wording keeps the text of its latest question.
  for (const m of asked) {
    const language = questionLanguage(m.content, m.language, fallback);
    const text = wordingText(m.content);
    const wordingKey = fold(text);
    const termsKey = `${language}:${wordingKey}`;
    const terms = termsOf.get(termsKey) ?? questionTerms(text, language).join(' ');
    termsOf.set(termsKey, terms);
    if (!terms) {
      unclustered++;
      continue;
    }
    const key = `${terms}|${language}|${wordingKey}`;
    const row = byKey.get(key) ?? { terms, language, wording_key: wordingKey, wording: text, n: 0, unanswered: 0 };
    row.n++;
    if (gapKeys.has(gapKey(m.conversation_id, m.content))) row.unanswered++;
    byKey.set(key, row);
  }
  const groupSize = new Map<string, number>();
  for (const r of byKey.values()) groupSize.set(r.terms, (groupSize.get(r.terms) ?? 0) + r.n);
  const ranked = [...byKey.values()].sort(
    (a, b) =>
      (groupSize.get(b.terms) ?? 0) - (groupSize.get(a.terms) ?? 0) ||
      (a.terms < b.terms ? -1 : a.terms > b.terms ? 1 : 0) ||
      b.n - a.n ||
      (a.wording_key < b.wording_key ? -1 : a.wording_key > b.wording_key ? 1 : 0) ||
      (a.language < b.language ? -1 : 1),
  );
  const kept = ranked.slice(0, limit);
  const leftOut = ranked.slice(kept.length).reduce((s, r) => s + r.n, 0);
  return { messages: messages.length, questions: asked.length, unclustered, leftOut, wordings: kept };
}
