import type { QualificationQuestion } from '@leaddesk/shared';
import type { Sql } from '../db/sql.js';
import { bookingRequestCells } from './insights/booking-heat-map.js';
import { followUpStepCounts } from './insights/follow-up-steps.js';
import { intakeLeads, tallyIntake } from './insights/intake-stops.js';
import { STAGE } from './insights/lead-funnel.js';
import { asQuestionLanguage } from './insights/normalize-question.js';
import { WORDINGS_PER_DAY, windowQuestions } from './insights/question-wordings.js';
import { variantCounts } from './insights/variant-results.js';
import { bucketOf, closedLeadsCreated } from './scoring/lead-facts.js';

type Query = Pick<Sql, 'query'>;

/**
 * The insights and lead-scoring rollups (docs/reports.md, "How it is
 * computed: a daily rollup"): written with the tenant's `report_daily` day,
 * by the same refresh and under the same lock, so they are as fresh, and
 * rebuilt together. Each (tenant, local day) is rewritten whole from the raw
 * rows, so doing it twice gives the same rows.
 */
export const INSIGHT_TABLES = [
  'report_lead_daily',
  'report_follow_up_daily',
  'report_variant_daily',
  'report_booking_daily',
  'report_intake_daily',
  'report_question_day',
  'report_question_daily',
] as const;

/** What a day of these rollups reads of the tenant besides its rows (all of it in the rollup's settings hash). */
export interface InsightTenant {
  id: string;
  /** The language a question is stemmed in when nothing else tells. */
  locale?: string;
  config: { qualificationQuestions?: QualificationQuestion[] };
}

const QUALIFIED = `('qualified', 'appointment_booked', 'handed_off', 'closed_won')`;

interface LeadGroup {
  channel: string;
  stage: number;
  temperature: string;
  qualified: boolean;
  outcome: string;
  response_bucket: string;
  n: number;
}

/**
 * The leads created in [start, end) by channel, stage, temperature,
 * qualified, outcome and (closed leads only) the bucket of their first
 * conversation's first response: computed here, once per refresh of the day,
 * rather than with three index probes per closed lead on every report.
 */
async function leadGroups(q: Query, clientId: string, window: { start: Date; end: Date }): Promise<LeadGroup[]> {
  const leads = await q.query<
    Array<{ id: string; channel: string; stage: number; temperature: string; qualified: boolean; outcome: string }>
  >(
    `select l.id, l.source as channel, ${STAGE} as stage, l.temperature, l.status in ${QUALIFIED} as qualified,
       case when l.status in ('closed_won', 'closed_lost') then l.status else 'open' end as outcome
     from leads l where l.client_id = ? and l.created_at >= ? and l.created_at < ?`,
    [clientId, window.start, window.end],
  );
  const closed = new Map(
    (await closedLeadsCreated(q, clientId, window.start, window.end)).map((l) => [
      l.id,
      bucketOf(l.firstResponseSeconds),
    ]),
  );
  const groups = new Map<string, LeadGroup>();
  for (const l of leads) {
    const bucket = l.outcome === 'open' ? '' : (closed.get(l.id) ?? 'never');
    const key = [l.channel, l.stage, l.temperature, l.qualified, l.outcome, bucket].join('|');
    const g = groups.get(key) ?? {
      channel: l.channel,
      stage: Number(l.stage),
      temperature: l.temperature,
      qualified: l.qualified,
      outcome: l.outcome,
      response_bucket: bucket,
      n: 0,
    };
    g.n += 1;
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** Inserts `rows` (objects whose keys are `columns`) into `table` for one (tenant, day). */
async function insertDay(
  q: Query,
  table: (typeof INSIGHT_TABLES)[number],
  clientId: string,
  day: string,
  columns: string,
  rows: object[],
): Promise<void> {
  if (!rows.length) return;
  const names = columns
    .split(',')
    .map((c) => c.trim().split(' ')[0])
    .join(', ');
  await q.query(
    `insert into ${table} (client_id, day, ${names})
     select ?::uuid, ?::date, ${names} from jsonb_to_recordset(?::jsonb) as x(${columns})`,
    [clientId, day, JSON.stringify(rows)],
  );
}

/** Rewrites one (tenant, local day) of the insights rollups whole. The caller holds the tenant's rollup lock. */
export async function recomputeInsightDay(
  q: Query,
  tenant: InsightTenant,
  timezone: string,
  day: string,
  window: { start: Date; end: Date },
): Promise<void> {
  const clientId = tenant.id;
  const leads = await leadGroups(q, clientId, window);
  const followUps = await followUpStepCounts(q, clientId, window);
  const variants = await variantCounts(q, clientId, window);
  const cells = await bookingRequestCells(q, clientId, timezone, window);
  const intake = tallyIntake(await intakeLeads(q, clientId, window), tenant.config.qualificationQuestions ?? []);
  const fallback = asQuestionLanguage(tenant.locale) ?? 'en';
  const questions = await windowQuestions(q, clientId, window, fallback, WORDINGS_PER_DAY);
  for (const table of INSIGHT_TABLES) {
    await q.query(`delete from ${table} where client_id = ? and day = ?::date`, [clientId, day]);
  }
  await insertDay(
    q,
    'report_lead_daily',
    clientId,
    day,
    'channel text, stage int, temperature text, qualified boolean, outcome text, response_bucket text, n int',
    leads,
  );
  await insertDay(
    q,
    'report_follow_up_daily',
    clientId,
    day,
    'sequence text, step int, sent int, replies int, bookings int',
    followUps,
  );
  await insertDay(
    q,
    'report_variant_daily',
    clientId,
    day,
    'variant text, conversations int, leads int, qualified int, hot int, shared_leads uuid[]',
    variants,
  );
  await insertDay(q, 'report_booking_daily', clientId, day, 'weekday int, hour int, requested int, booked int', cells);
  await insertDay(
    q,
    'report_intake_daily',
    clientId,
    day,
    'question_id text, asked int, answered int, stopped_here int',
    [...intake].map(([id, t]) => ({
      question_id: id,
      asked: t.asked,
      answered: t.answered,
      stopped_here: t.stoppedHere,
    })),
  );
  if (questions.messages > 0) {
    await insertDay(
      q,
      'report_question_day',
      clientId,
      day,
      'messages int, questions int, unclustered int, left_out int',
      [
        {
          messages: questions.messages,
          questions: questions.questions,
          unclustered: questions.unclustered,
          left_out: questions.leftOut,
        },
      ],
    );
  }
  await insertDay(
    q,
    'report_question_daily',
    clientId,
    day,
    'terms text, language text, wording_key text, wording text, n int, unanswered int',
    questions.wordings,
  );
}

/**
 * The instants whose local days the insights rollups must recompute after
 * rows changed since `:since` (besides the days `report_daily` recomputes):
 * - a lead's creation day when it changed, got a message (its first
 *   response) or a booking changed (the heat map counts a lead's own
 *   appointment only without a booking row);
 * - the start day of each prompt-variant conversation that got a message (the
 *   variant is assigned at the AI's first answer) or whose lead changed, and
 *   of every other conversation of that lead in a variant (a lead counted once
 *   across days: `shared_leads`);
 * - the send day of every step of a follow-up run that sent, changed (its stop
 *   reason), got a visitor message in its conversation or a booking for its
 *   lead or conversation (a reply or booking is credited to the last step
 *   before it, and a new step ends the previous one's credit);
 * - the request day of each changed booking;
 * - for the questions: the days a knowledge gap recorded since may belong to
 *   (its own, and an hour before: gaps are recorded up to an hour after the
 *   question), and the visitor messages' days of every lead changed since
 *   (a question's language is its lead's). A new visitor message's own day
 *   is `report_daily`'s already; a lead's intake, its creation day (above).
 */
const CHANGED = `with cs as (
    select distinct conversation_id as id from messages where client_id = :id and created_at >= :since),
  touched_leads as (
    select c.lead_id as id from cs join conversations c on c.id = cs.id where c.lead_id is not null
    union select b.lead_id from bookings b where b.client_id = :id and b.updated_at >= :since and b.lead_id is not null
    union select l.id from leads l where l.client_id = :id and l.updated_at >= :since),
  runs as (
    select r.id from follow_up_runs r where r.client_id = :id and r.updated_at >= :since
    union select s.run_id from follow_up_sends s where s.client_id = :id and s.sent_at >= :since
    union select r.id from cs join follow_up_runs r on r.conversation_id = cs.id
    union select r.id from bookings b join follow_up_runs r on r.client_id = b.client_id and r.lead_id = b.lead_id
      where b.client_id = :id and b.updated_at >= :since
    union select r.id from bookings b join follow_up_runs r on r.conversation_id = b.conversation_id
      where b.client_id = :id and b.updated_at >= :since)
  select l.created_at as at from touched_leads t join leads l on l.id = t.id
  union all
  select c.created_at from touched_leads t join conversations c on c.client_id = :id and c.lead_id = t.id
    where c.prompt_variant is not null
  union all
  select c.created_at from cs join conversations c on c.id = cs.id where c.prompt_variant is not null
  union all
  select s.sent_at from runs join follow_up_sends s on s.run_id = runs.id
  union all
  select b.created_at from bookings b where b.client_id = :id and b.updated_at >= :since
  union all
  select g.created_at from knowledge_unanswered_questions g where g.client_id = :id and g.created_at >= :since
  union all
  select g.created_at - interval '1 hour' from knowledge_unanswered_questions g
    where g.client_id = :id and g.created_at >= :since
  union all
  select m.created_at from leads l
    join conversations c on c.client_id = l.client_id and c.lead_id = l.id
    join messages m on m.conversation_id = c.id and m.role = 'visitor'
    where l.client_id = :id and l.updated_at >= :since`;

/** Every instant that starts a day of the insights rollups (a rebuild), besides `report_daily`'s. */
const ALL = `select created_at as at from conversations where client_id = :id and prompt_variant is not null
  union all select sent_at from follow_up_sends where client_id = :id
  union all select created_at from bookings where client_id = :id`;

/** `:id` and `:since` as `?` placeholders with their values, for the Sql wrapper. */
function bind(text: string, values: { id: string; since?: Date }): [string, unknown[]] {
  const params: unknown[] = [];
  const bound = text.replace(/:(id|since)\b/g, (_, name: 'id' | 'since') => {
    params.push(values[name]);
    return '?';
  });
  return [bound, params];
}

/** Local days (YYYY-MM-DD) of the insights rollups to recompute: changed since `since`, or all (a rebuild). */
export async function insightDays(q: Query, clientId: string, timezone: string, since: Date | null): Promise<string[]> {
  const [inner, params] = bind(since ? CHANGED : ALL, { id: clientId, since: since ?? undefined });
  const rows = await q.query<Array<{ day: string }>>(
    `select distinct to_char(d.at at time zone ?, 'YYYY-MM-DD') as day from (${inner}) d
     where d.at is not null order by 1`,
    [timezone, ...params],
  );
  return rows.map((r) => r.day);
}
