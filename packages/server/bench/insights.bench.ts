/**
 * The insights report (docs/reports.md, "Insights") on the rich generated
 * tenant (support/report-tenant.ts): BENCH_INSIGHTS_MESSAGES (default
 * 1,000,000) messages over 90 days, one lead per conversation of 10, beside a
 * second tenant as large.
 *
 * Timed in the same run, for the last 30 and the last 90 days:
 * - report: `InsightsService.insights` as `GET /reports/insights` serves it,
 *   BENCH_INSIGHTS_RUNS (default 20) times, from the daily rollups (built
 *   once first, timed); each of its six parts, the refresh it runs first
 *   (nothing new) and the rewrite of today's day (what a refresh pays when
 *   today changed) are timed alone too, to say where the
 *   time goes;
 * - raw: the straightforward SQL over the raw tables, BENCH_INSIGHTS_RAW_RUNS
 *   (default 5) times: channels and funnel grouped over the period's leads,
 *   every question-like visitor message of the period grouped by its text
 *   with its knowledge gaps (no sample), the heat map grouped by local weekday
 *   and hour, follow-up replies by time, the prompt variants, and the intake
 *   drop-off per question (each lead's last asking message by a window
 *   function; the bench tenant has no question list, so an id is its field).
 * Before timing, the report and the raw queries must agree on the funnel,
 * the best channel, the heat map, the follow-up replies, the variants, the
 * visitor messages and the intake drop-off of every lead; and the questions
 * must equal those clustered from every visitor message of the period read
 * raw (question-wordings.ts over the whole period: counts, clusters,
 * languages, knowledge gaps); otherwise the bench fails.
 * Prints p50/p95 (ms) and raw p95 ÷ report p95.
 */
import { FUNNEL_STEPS, type ReportInsightsDto, type ReportsQuery } from '@leaddesk/shared';
import type pg from 'pg';
import { scheduleOf } from '../src/automation/business-hours/index.js';
import { createLogger } from '../src/logger.js';
import { bookingHeatMap } from '../src/reports/insights/booking-heat-map.js';
import { commonQuestions, rolledUpQuestions } from '../src/reports/insights/common-questions.js';
import { followUpSteps } from '../src/reports/insights/follow-up-steps.js';
import { InsightsService } from '../src/reports/insights/insights-service.js';
import { intakeStops } from '../src/reports/insights/intake-stops.js';
import { leadFunnel, MIN_CHANNEL_LEADS } from '../src/reports/insights/lead-funnel.js';
import { windowQuestions } from '../src/reports/insights/question-wordings.js';
import { variantResults } from '../src/reports/insights/variant-results.js';
import { dayWindow, recomputeDay, refreshRollup } from '../src/reports/report-rollup.js';
import { ReportService } from '../src/reports/report-service.js';
import { explainPlans } from './support/explain-plans.js';
import { round, timeRuns, writeResult } from './support/results.js';
import { openRichReportBench } from './support/rich-report-bench.js';

const MESSAGES = Number(process.env.BENCH_INSIGHTS_MESSAGES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_INSIGHTS_RUNS ?? 20);
const RAW_RUNS = Number(process.env.BENCH_INSIGHTS_RAW_RUNS ?? 5);
/** Each part alone (to find the slow one): fewer runs. */
const PART_RUNS = Math.max(3, Math.round(RUNS / 4));
/** BENCH_EXPLAIN=1: print the report's plans (EXPLAIN ANALYZE) for each period. */
const EXPLAIN = process.env.BENCH_EXPLAIN === '1';

interface Window {
  start: Date;
  end: Date;
}

/** The report's stage rule, spelled out per step: a lead at step s or later. */
const AT_LEAST = [
  'true',
  `status in ('qualifying', 'qualified', 'handed_off', 'appointment_booked', 'closed_won') or appointment_at is not null
     or (status in ('nurturing', 'closed_lost', 'disqualified')
       and (jsonb_strip_nulls(qualification - 'custom') <> '{}'::jsonb or coalesce(qualification -> 'custom', '{}'::jsonb) <> '{}'::jsonb))`,
  `status in ('qualified', 'handed_off', 'appointment_booked', 'closed_won') or appointment_at is not null`,
  `status in ('appointment_booked', 'closed_won') or appointment_at is not null`,
  `status = 'closed_won'`,
];

interface RawInsights {
  channels: Array<{ channel: string; s0: number; s1: number; s2: number; s3: number; s4: number }>;
  visitorMessages: number;
  questions: Array<{ question: string; n: number; unanswered: number }>;
  heatMap: Array<{ weekday: number; hour: number; requested: number; booked: number }>;
  followUps: Array<{ sequence: string; step: number; sent: number; replies: number }>;
  variants: Array<{ variant: string; conversations: number; leads: number; qualified: number; hot: number }>;
  intake: Array<{ id: string; asked: number; answered: number; stopped_here: number }>;
}

/** The insights figures as one would first write them: plain grouped queries over the period's raw rows. */
async function rawInsights(c: pg.Client, clientId: string, timezone: string, w: Window): Promise<RawInsights> {
  const p = [clientId, w.start, w.end];
  const channels = await c.query(
    `select source as channel, ${AT_LEAST.map((cond, s) => `count(*) filter (where ${cond})::int as s${s}`).join(', ')}
     from leads where client_id = $1 and created_at >= $2 and created_at < $3 group by 1 order by 1`,
    p,
  );
  const visitor = await c.query(
    `select count(*)::int as n from messages where client_id = $1 and role = 'visitor' and created_at >= $2 and created_at < $3`,
    p,
  );
  const questions = await c.query(
    `select lower(m.content) as question, count(*)::int as n, count(k.id)::int as unanswered
     from messages m left join knowledge_unanswered_questions k
       on k.client_id = m.client_id and k.conversation_id = m.conversation_id and k.question = m.content
     where m.client_id = $1 and m.role = 'visitor' and m.created_at >= $2 and m.created_at < $3 and m.content ~ '[?¿？]'
     group by 1 order by 2 desc, 1 limit 20`,
    p,
  );
  const heatMap = await c.query(
    `select extract(isodow from s at time zone $4)::int as weekday, extract(hour from s at time zone $4)::int as hour,
       count(*)::int as requested, count(*) filter (where booked)::int as booked
     from (select starts_at as s, status = 'booked' as booked from bookings
             where client_id = $1 and created_at >= $2 and created_at < $3
           union all
           select appointment_at, true from leads l
             where client_id = $1 and created_at >= $2 and created_at < $3 and appointment_at is not null
               and not exists (select 1 from bookings b where b.lead_id = l.id)) x
     group by 1, 2 order by 1, 2`,
    [...p, timezone],
  );
  const followUps = await c.query(
    `select r.key as sequence, s.step + 1 as step, count(*)::int as sent,
       count(*) filter (where exists (select 1 from messages v where v.conversation_id = s.conversation_id
         and v.role = 'visitor' and v.created_at > s.sent_at and (n.sent_at is null or v.created_at < n.sent_at)))::int as replies
     from follow_up_sends s join follow_up_runs r on r.id = s.run_id
     left join follow_up_sends n on n.run_id = s.run_id and n.step = s.step + 1
     where s.client_id = $1 and s.sent_at >= $2 and s.sent_at < $3 group by 1, 2 order by 1, 2`,
    p,
  );
  const variants = await c.query(
    `select c.prompt_variant as variant, count(*)::int as conversations, count(distinct c.lead_id)::int as leads,
       count(*) filter (where l.status in ('qualified', 'appointment_booked', 'handed_off', 'closed_won'))::int as qualified,
       count(*) filter (where l.temperature = 'hot')::int as hot
     from conversations c left join leads l on l.id = c.lead_id
     where c.client_id = $1 and c.prompt_variant is not null and c.created_at >= $2 and c.created_at < $3
     group by 1 order by 1`,
    p,
  );
  // Per lead and question asked: whether it was the lead's last ask, whether its field (= its id) has a value now.
  const intake = await c.query(
    `with a as (
       select l.id, l.qualification as q, (l.email is not null or l.phone is not null) as has_contact,
         substr(m.ai ->> 'intent', 5) as ask,
         row_number() over (partition by l.id order by m.created_at desc, m.seq desc) as rn
       from leads l join conversations c on c.client_id = l.client_id and c.lead_id = l.id
       join messages m on m.conversation_id = c.id and m.role = 'ai' and m.ai ->> 'intent' like 'ask:%'
       where l.client_id = $1 and l.created_at >= $2 and l.created_at < $3),
     per as (
       select id, ask, bool_or(rn = 1) as last,
         bool_or(case when ask = 'contact' then has_contact
           else coalesce(nullif(q -> ask, 'null'::jsonb), nullif(q -> 'custom' -> ask, 'null'::jsonb)) is not null
             and coalesce(nullif(q -> ask, 'null'::jsonb), q -> 'custom' -> ask) <> '""'::jsonb end) as answered
       from a group by id, ask)
     select ask as id, count(*)::int as asked, count(*) filter (where answered)::int as answered,
       count(*) filter (where last and not answered)::int as stopped_here
     from per group by ask order by ask`,
    p,
  );
  return {
    intake: intake.rows,
    channels: channels.rows,
    visitorMessages: visitor.rows[0]?.n ?? 0,
    questions: questions.rows,
    heatMap: heatMap.rows,
    followUps: followUps.rows,
    variants: variants.rows,
  };
}

/** Every figure both compute, compared; a difference means the two do not measure the same thing. */
function disagreements(
  report: ReportInsightsDto,
  raw: RawInsights,
  rawQuestions: ReportInsightsDto['questions'],
): string[] {
  const out: string[] = [];
  const check = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(`${what}: report ${JSON.stringify(a)}, raw ${JSON.stringify(b)}`);
  };
  const sum = (s: 0 | 1 | 2 | 3 | 4) => raw.channels.reduce((t, c) => t + c[`s${s}`], 0);
  check(
    'funnel',
    report.funnel.steps.map((s) => s.count),
    FUNNEL_STEPS.map((_, i) => sum(i as 0 | 1 | 2 | 3 | 4)),
  );
  check(
    'channels',
    report.channels.byChannel.map((c) => [c.channel, c.leads, c.qualified, c.booked]),
    raw.channels.map((c) => [c.channel, c.s0, c.s2, c.s3]),
  );
  const best = raw.channels
    .filter((c) => c.s0 >= MIN_CHANNEL_LEADS)
    .sort(
      (a, b) =>
        b.s3 / b.s0 - a.s3 / a.s0 || b.s2 / b.s0 - a.s2 / a.s0 || b.s0 - a.s0 || (a.channel < b.channel ? -1 : 1),
    )[0];
  check('best channel', report.channels.best, best?.channel ?? null);
  check('visitor messages read', report.questions.messagesRead, raw.visitorMessages);
  check('questions (every visitor message, read raw and clustered)', report.questions, rawQuestions);
  check(
    'intake drop-off',
    report.funnel.intake.questions
      .filter((i) => i.asked > 0)
      .map((i) => [i.id, i.asked, i.answered, i.stoppedHere])
      .sort(),
    raw.intake.map((i) => [i.id, i.asked, i.answered, i.stopped_here]).sort(),
  );
  check('intake leads', [report.funnel.intake.leadsRead, report.funnel.intake.sampled], [sum(0), false]);
  check(
    'heat map',
    report.bookingHeatMap.cells.map((c) => [c.weekday, c.hour, c.requested, c.booked]),
    raw.heatMap.map((c) => [c.weekday, c.hour, c.requested, c.booked]),
  );
  check(
    'follow-ups',
    report.followUps.map((f) => [f.sequence, f.step, f.sent, f.replies]),
    raw.followUps.map((f) => [f.sequence, f.step, f.sent, f.replies]),
  );
  check(
    'variants',
    report.promptVariants.variants.map((v) => [v.variant, v.conversations, v.leads, v.qualified, v.hotLeads]),
    raw.variants.map((v) => [v.variant, v.conversations, v.leads, v.qualified, v.hot]),
  );
  return out;
}

export async function run(): Promise<void> {
  const bench = await openRichReportBench(MESSAGES);
  try {
    const { sql, raw, client, conversations } = bench;
    console.log(
      `tenant: ${conversations * 10} messages, ${conversations} leads (and another tenant as large); generated and vacuumed in ${bench.generateMs} ms`,
    );
    const reports = new ReportService({ sql, logger: createLogger({ level: 'silent', pretty: false }) });
    const insights = new InsightsService(sql, reports);
    // The first refresh builds the tenant's rollups from its raw rows (what a new deployment's first report does).
    const buildStarted = performance.now();
    const built = await refreshRollup(sql, client);
    const rollupBuildMs = Math.round(performance.now() - buildStarted);
    console.log(`rollup built: ${built.days} days in ${rollupBuildMs} ms`);
    const results: Record<string, unknown> = {};
    let failed = false;
    for (const period of ['last_30_days', 'last_90_days'] as const) {
      const query: ReportsQuery = { period };
      const { from, to } = reports.period(client, query);
      const tz = scheduleOf(client).timezone;
      const w = { start: dayWindow(tz, from).start, end: dayWindow(tz, to).end };
      const days = { from, to };
      const report = await insights.insights(client, query);
      const baseline = await rawInsights(raw, client.id, tz, w);
      const rawQuestions = await commonQuestions(await windowQuestions(sql, client.id, w, 'en'));
      const wrong = disagreements(report, baseline, rawQuestions);
      if (wrong.length) {
        failed = true;
        console.error(`${period}: the report and the raw queries disagree:\n  ${wrong.join('\n  ')}`);
      }
      const timed = await timeRuns(RUNS, () => insights.insights(client, query));
      const rawTimed = await timeRuns(RAW_RUNS, () => rawInsights(raw, client.id, tz, w));
      const parts = {
        refresh: await timeRuns(PART_RUNS, () => refreshRollup(sql, client)),
        // What a refresh pays when today changed (a busy tenant: about once a minute): today's day rewritten.
        refreshToday: await timeRuns(PART_RUNS, () =>
          sql.transaction((tx) => recomputeDay(tx, client, scheduleOf(client), to)),
        ),
        funnel: await timeRuns(PART_RUNS, () => leadFunnel(sql, client.id, days)),
        intake: await timeRuns(PART_RUNS, () =>
          intakeStops(sql, client.id, days, client.config.qualificationQuestions ?? [], 0),
        ),
        questions: await timeRuns(PART_RUNS, async () =>
          commonQuestions(await rolledUpQuestions(sql, client.id, days)),
        ),
        heatMap: await timeRuns(PART_RUNS, () => bookingHeatMap(sql, client.id, days)),
        followUps: await timeRuns(PART_RUNS, () => followUpSteps(sql, client.id, days)),
        variants: await timeRuns(PART_RUNS, () => variantResults(sql, client.id, days)),
      };
      const ratio = round(rawTimed.p95 / timed.p95, 1);
      const figures = {
        leads: report.funnel.steps[0]?.count,
        best: report.channels.best,
        visitorMessages: baseline.visitorMessages,
        questions: report.questions.questions,
        questionsLeftOut: report.questions.sampled,
        bookingRequests: report.bookingHeatMap.requested,
        followUpSends: report.followUps.reduce((s, f) => s + f.sent, 0),
        intakeLeadsRead: report.funnel.intake.leadsRead,
        intake: report.funnel.intake.questions.map((i) => [i.id, i.asked, i.answered, i.stoppedHere]),
      };
      results[period] = { report: timed, raw: rawTimed, ratio, parts, figures, agree: wrong.length === 0 };
      console.log(
        `${period}: insights p50 ${timed.p50} ms, p95 ${timed.p95} ms | raw SQL p50 ${rawTimed.p50} ms, p95 ${rawTimed.p95} ms | raw/report p95 = ${ratio}× | agree: ${wrong.length === 0 ? 'yes' : 'NO'}`,
      );
      console.log(
        `  parts p95 (ms): ${Object.entries(parts)
          .map(([k, v]) => `${k} ${v.p95}`)
          .join(', ')}`,
      );
      console.log(`  figures: ${JSON.stringify(figures)}`);
      if (EXPLAIN) {
        const plans = await explainPlans(raw, (q) => new InsightsService(q, reports).insights(client, query));
        console.log(plans.join('\n'));
      }
    }
    const file = await writeResult('insights', {
      messages: conversations * 10,
      leads: conversations,
      runs: RUNS,
      rawRuns: RAW_RUNS,
      generateMs: bench.generateMs,
      rollupBuildMs,
      results,
    });
    console.log(`results: ${file}`);
    if (failed) process.exitCode = 1;
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    await bench.close();
  }
}
