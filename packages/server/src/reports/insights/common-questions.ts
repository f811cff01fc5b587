import type { ReportInsightsDto } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';
import { boundedRead } from './bounded-read.js';
import { type AskedQuestion, clusterQuestions } from './cluster-questions.js';
import { clusterByEmbeddings, type QuestionEmbedder } from './embed-clusters.js';
import { fold, isQuestion, type QuestionLanguage, questionLanguage } from './normalize-question.js';

type Query = Pick<Sql, 'query'>;

/** Visitor messages read per report: the latest of the period (a partial index on visitor messages). */
export const QUESTION_SAMPLE = 5000;
/** Clusters answered, most asked first. */
export const CLUSTER_LIMIT = 20;
/** Gaps are recorded as the reply is prepared, seconds after the question: an hour's slack past the period. */
const GAP_SLACK_MS = 3_600_000;

/** A knowledge gap keeps the question as the visitor sent it, trimmed and cut to 2,000 characters. */
const gapKey = (conversationId: string, text: string) => `${conversationId}|${fold(text.trim().slice(0, 2000))}`;

/**
 * The most common visitor questions of [start, end), clustered by normalised
 * text, each with whether the knowledge base answered it: a question is
 * unanswered when a knowledge gap was recorded for the same text in the same
 * conversation (open or since resolved: at the time, the base had no answer).
 * With an embeddings provider the clusters are by meaning; should the
 * provider fail, by text (`method` says which), and the report still answers.
 */
export async function commonQuestions(
  sql: Query | Sql,
  clientId: string,
  window: { start: Date; end: Date },
  fallback: QuestionLanguage,
  embedder: QuestionEmbedder | null = null,
  onEmbeddingError: (err: unknown) => void = () => {},
): Promise<ReportInsightsDto['questions']> {
  // The reads only; the clustering (and an embeddings provider's call) comes after the transaction.
  const { rows, asked, gaps } = await boundedRead(sql, async (q) => {
    const messages = await q.query<Array<{ conversation_id: string; content: string }>>(
      `select conversation_id, content from messages
       where client_id = ? and role = 'visitor' and created_at >= ? and created_at < ?
       order by created_at desc limit ?`,
      [clientId, window.start, window.end, QUESTION_SAMPLE + 1],
    );
    // Each conversation's lead language once (a conversation has several of the sample's messages).
    const languages = new Map(
      (
        await q.query<Array<{ id: string; language: string | null }>>(
          `select c.id, l.language from conversations c
           left join leads l on l.id = c.lead_id and l.client_id = c.client_id
           where c.client_id = ? and c.id = any(?::uuid[])`,
          [clientId, [...new Set(messages.map((m) => m.conversation_id))]],
        )
      ).map((r) => [r.id, r.language]),
    );
    const rows = messages.map((m) => ({ ...m, language: languages.get(m.conversation_id) ?? null }));
    const asked = rows.slice(0, QUESTION_SAMPLE).filter((r) => isQuestion(r.content));
    const gaps = await q.query<Array<{ conversation_id: string; question: string }>>(
      `select conversation_id, question from knowledge_unanswered_questions
       where client_id = ? and created_at >= ? and created_at < ? and conversation_id = any(?::uuid[])`,
      [
        clientId,
        window.start,
        new Date(window.end.getTime() + GAP_SLACK_MS),
        [...new Set(asked.map((r) => r.conversation_id))],
      ],
    );
    return { rows, asked, gaps };
  });
  const sampled = rows.length > QUESTION_SAMPLE;
  const read = rows.slice(0, QUESTION_SAMPLE);
  const gapKeys = new Set(gaps.map((g) => gapKey(g.conversation_id, g.question)));
  const questions: AskedQuestion[] = asked.map((r) => ({
    text: r.content,
    language: questionLanguage(r.content, r.language, fallback),
    unanswered: gapKeys.has(gapKey(r.conversation_id, r.content)),
  }));
  let method: ReportInsightsDto['questions']['method'] = 'normalised_text';
  let result = null;
  if (embedder && questions.length > 0) {
    try {
      result = await clusterByEmbeddings(questions, embedder, CLUSTER_LIMIT);
      method = 'embeddings';
    } catch (err) {
      onEmbeddingError(err);
    }
  }
  const { clusters, unclustered } = result ?? clusterQuestions(questions, CLUSTER_LIMIT);
  return {
    method,
    messagesRead: read.length,
    sampleLimit: QUESTION_SAMPLE,
    sampled,
    questions: asked.length,
    unclustered,
    clusters,
  };
}
