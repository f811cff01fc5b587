import type { ReportInsightsDto } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';
import { type AskedWording, clusterQuestions } from './cluster-questions.js';
import { clusterByEmbeddings, type QuestionEmbedder } from './embed-clusters.js';
import type { QuestionLanguage } from './normalize-question.js';
import type { WindowQuestions } from './question-wordings.js';

type Query = Pick<Sql, 'query'>;

/** Distinct wordings clustered per report: the period's most asked (the rest are counted, left out of clusters). */
export const QUESTION_WORDINGS = 5000;
/** Clusters answered, most asked first. */
export const CLUSTER_LIMIT = 20;

/**
 * The period's questions as the daily rollup holds them: the days' totals
 * (`report_question_day`) and their wordings (`report_question_daily`)
 * merged over the period, the most asked first, at most QUESTION_WORDINGS
 * (the rest join `leftOut`). Two statements on the tables' (tenant, day)
 * keys; no message is read.
 */
export async function rolledUpQuestions(
  q: Query,
  clientId: string,
  days: { from: string; to: string },
): Promise<WindowQuestions> {
  const [totals] = await q.query<
    Array<{ messages: number; questions: number; unclustered: number; left_out: number } | undefined>
  >(
    `select coalesce(sum(messages), 0)::int as messages, coalesce(sum(questions), 0)::int as questions,
       coalesce(sum(unclustered), 0)::int as unclustered, coalesce(sum(left_out), 0)::int as left_out
     from report_question_day where client_id = ? and day between ?::date and ?::date`,
    [clientId, days.from, days.to],
  );
  const rows = await q.query<WindowQuestions['wordings']>(
    `select terms, language, wording_key, (array_agg(wording order by day desc))[1] as wording,
       sum(n)::int as n, sum(unanswered)::int as unanswered
     from report_question_daily where client_id = ? and day between ?::date and ?::date
     group by terms, language, wording_key order by n desc, terms, language, wording_key limit ?`,
    [clientId, days.from, days.to, QUESTION_WORDINGS],
  );
  const t = totals ?? { messages: 0, questions: 0, unclustered: 0, left_out: 0 };
  const kept = rows.reduce((s, r) => s + r.n, 0);
  return {
    messages: t.messages,
    questions: t.questions,
    unclustered: t.unclustered,
    // The days' own left-out questions, and those of the wordings past the report's cap.
    leftOut: t.questions - t.unclustered - kept,
    wordings: rows,
  };
}

/**
 * The most common visitor questions, clustered by normalised text, each with
 * whether the knowledge base answered it (a question is unanswered when a
 * knowledge gap was recorded for the same text in the same conversation: open
 * or since resolved, at the time the base had no answer). With an embeddings
 * provider the clusters are by meaning; should the provider fail, by text
 * (`method` says which), and the report still answers. `read` is the period's
 * questions: the rollup's (rolledUpQuestions), or the raw rows' for the bench
 * and tests (question-wordings.ts).
 */
export async function commonQuestions(
  read: WindowQuestions,
  embedder: QuestionEmbedder | null = null,
  onEmbeddingError: (err: unknown) => void = () => {},
): Promise<ReportInsightsDto['questions']> {
  const wordings: AskedWording[] = read.wordings.map((w) => ({
    text: w.wording,
    language: w.language as QuestionLanguage,
    n: w.n,
    unanswered: w.unanswered,
    terms: w.terms.split(' '),
  }));
  let method: ReportInsightsDto['questions']['method'] = 'normalised_text';
  let result = null;
  if (embedder && wordings.length > 0) {
    try {
      result = await clusterByEmbeddings(wordings, embedder, CLUSTER_LIMIT);
      method = 'embeddings';
    } catch (err) {
      onEmbeddingError(err);
    }
  }
  const { clusters } = result ?? clusterQuestions(wordings, CLUSTER_LIMIT);
  return {
    method,
    messagesRead: read.messages,
    sampleLimit: QUESTION_WORDINGS,
    sampled: read.leftOut > 0,
    questions: read.questions,
    unclustered: read.unclustered,
    clusters,
  };
}
