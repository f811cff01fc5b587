import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Sql } from '../../db/sql.js';

export interface UnansweredSuggestion {
  question: string;
  count: number;
  questionIds: string[];
  examples: string[];
  lastAskedAt: string;
}

/**
 * Stores a question retrieval could not answer well. Its stemmed, stop-word
 * free lexemes (PostgreSQL's own text-search parser, in the tenant's language)
 * are kept so that similar questions can be grouped without another pass.
 */
export async function recordUnansweredQuestion(
  db: Pick<Sql, 'query'>,
  input: { clientId: string; question: string; language: string; conversationId?: string; bestScore: number | null },
): Promise<string | null> {
  const question = input.question.trim().slice(0, 2000);
  if (!question) return null;
  const rows = await db.query<{ id: string }[]>(
    `insert into knowledge_unanswered_questions (id, client_id, conversation_id, question, lexemes, language, best_score)
     select ?, ?, ?, ?, to_jsonb(l.lexemes), ?, ?
     from (select tsvector_to_array(to_tsvector(?::regconfig, ?)) as lexemes) l
     where cardinality(l.lexemes) > 0
     returning id`,
    [
      randomUUID(),
      input.clientId,
      input.conversationId ?? null,
      question,
      input.language,
      input.bestScore,
      input.language,
      question,
    ],
  );
  return rows[0]?.id ?? null;
}

interface QuestionRow {
  id: string;
  question: string;
  lexemes: string[];
  created_at: Date | string;
}

/**
 * Groups the open unanswered questions into suggested knowledge-base
 * additions. Two questions belong together when most of the smaller one's
 * words appear in the other (overlap coefficient ≥ `threshold`); groups grow
 * by single linkage. Biggest, then most recent, groups first.
 */
export async function suggestAdditions(
  em: EntityManager,
  clientId: string,
  options: { limit?: number; threshold?: number; recent?: number } = {},
): Promise<UnansweredSuggestion[]> {
  const threshold = options.threshold ?? 0.6;
  const rows = await em.execute<QuestionRow[]>(
    `select id, question, lexemes, created_at from knowledge_unanswered_questions
     where client_id = ? and resolved_at is null order by created_at desc, id limit ?`,
    [clientId, options.recent ?? 1000],
  );
  const groups: { members: QuestionRow[]; words: Set<string>[] }[] = [];
  for (const row of rows) {
    const words = new Set(row.lexemes);
    const home = groups.find((g) => g.words.some((w) => overlap(w, words) >= threshold));
    if (home) {
      home.members.push(row);
      home.words.push(words);
    } else {
      groups.push({ members: [row], words: [words] });
    }
  }
  return groups
    .sort((a, b) => b.members.length - a.members.length)
    .slice(0, options.limit ?? 50)
    .map((g) => ({
      question: g.members[0]!.question,
      count: g.members.length,
      questionIds: g.members.map((m) => m.id),
      examples: [...new Set(g.members.map((m) => m.question))].slice(0, 5),
      lastAskedAt: new Date(g.members[0]!.created_at).toISOString(),
    }));
}

export async function resolveUnansweredQuestions(em: EntityManager, clientId: string, ids: string[]): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update knowledge_unanswered_questions set resolved_at = now()
     where client_id = ? and resolved_at is null and id in (${ids.map(() => '?').join(', ')}) returning id`,
    [clientId, ...ids],
  );
  return rows.length;
}

function overlap(a: Set<string>, b: Set<string>): number {
  const smaller = a.size <= b.size ? a : b;
  const larger = smaller === a ? b : a;
  if (smaller.size === 0) return 0;
  let shared = 0;
  for (const w of smaller) if (larger.has(w)) shared++;
  return shared / smaller.size;
}
