import { randomUUID } from 'node:crypto';
import type { ReportInsightsDto, ScoringReportDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../src/db/sql.js';
import { eraseLead } from '../src/privacy/erase-lead.js';
import { INSIGHT_TABLES } from '../src/reports/insight-rollup.js';
import { followUpStepCounts } from '../src/reports/insights/follow-up-steps.js';
import { variantCounts } from '../src/reports/insights/variant-results.js';
import { dayWindow, refreshRollup } from '../src/reports/report-rollup.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * The insights and scoring rollups (docs/reports.md, "How it is computed: a
 * daily rollup") follow changes made now to rows of an old day: an outcome, a
 * reply to an old follow-up, a booking for an old follow-up's lead and a new
 * conversation in a variant for a lead already counted on the old day. A
 * refresh after nothing changed, and a rebuild, give the same rows.
 */
describe('insights and scoring rollups', () => {
  let server: TestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  const q = <T = Record<string, unknown>[]>(text: string, params: unknown[] = []) =>
    sqlOf(server.db.orm).query(text, params) as Promise<T>;
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${a.apiKey}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };
  const PERIOD = '?period=last_30_days';
  /**
   * `daysAgo` days ago at 10:00 UTC (noon in Madrid): inside the period, long before any refresh's overlap.
   * The leads are of ten days ago, the variant conversation of six, the follow-up of four: a change to one
   * must recompute its own day, not only the lead's.
   */
  const old = (minutes = 0, daysAgo = 10) => {
    const d = new Date(Date.now() - daysAgo * 86_400_000);
    d.setUTCHours(10, minutes, 0, 0);
    return d;
  };
  const seqs = new Map<string, number>();

  async function lead(status: string, temperature: string): Promise<string> {
    const id = randomUUID();
    await q(
      `insert into leads (id, client_id, handles, source, qualification, score_evidence, status, temperature,
         created_at, updated_at)
       values (?, ?, '{}', 'web', '{"custom":{}}', '[]', ?, ?, ?, ?)`,
      [id, a.client.id, status, temperature, old(), old()],
    );
    return id;
  }
  async function conversation(leadId: string, at: Date, variant: string | null = null): Promise<string> {
    const id = randomUUID();
    await q(
      `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, prompt_variant, created_at, updated_at)
       values (?, ?, ?, 'web', 'active', 'ai', 0, ?, ?, ?)`,
      [id, a.client.id, leadId, variant, at, at],
    );
    return id;
  }
  async function message(
    conversationId: string,
    role: string,
    at: Date,
    content = 'Hello?',
    intent?: string,
  ): Promise<string> {
    const id = randomUUID();
    const seq = (seqs.get(conversationId) ?? 0) + 1;
    seqs.set(conversationId, seq);
    await q(
      `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, ai, created_at)
       values (?, ?, ?, ?, ?, ?, '[]', 'web', 'sent', ?::jsonb, ?)`,
      [id, a.client.id, conversationId, seq, role, content, intent ? JSON.stringify({ intent }) : null, at],
    );
    return id;
  }
  /** Every row of the tenant's insights rollups, in a stable order. */
  async function rollupRows(): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const table of INSIGHT_TABLES) {
      out[table] = await q(
        `select * from ${table} where client_id = ? order by ${table === 'report_variant_daily' ? 'day, variant' : table === 'report_question_day' ? 'day' : '1, 2, 3, 4, 5'}`,
        [a.client.id],
      );
    }
    return out;
  }

  let wonLead: string;
  let lostLead: string;
  let followUpConversation: string;

  beforeAll(async () => {
    server = await startTestServer({
      db: 'postgres',
      env: { REPORTS_SWEEP_INTERVAL_MS: '0', REPORTS_MAX_STALENESS_MS: '0' },
    });
    a = await createClient(server.db.orm.em.fork(), {
      name: 'Rollup Clinic',
      industry: 'other',
      timezone: 'Europe/Madrid',
    });
    // A warm lead, still open, in variant A, answered after 90 s.
    wonLead = await lead('qualifying', 'warm');
    const c1 = await conversation(wonLead, old(0, 6), 'A');
    await message(c1, 'visitor', old(0, 6));
    await message(c1, 'ai', new Date(old(0, 6).getTime() + 90_000));
    // A lost lead answered after 30 minutes, with a follow-up run whose one step went out six days later.
    lostLead = await lead('closed_lost', 'cold');
    followUpConversation = await conversation(lostLead, old());
    await message(followUpConversation, 'visitor', old());
    await message(followUpConversation, 'ai', old(30));
    const runId = randomUUID();
    await q(
      `insert into follow_up_runs (id, client_id, conversation_id, lead_id, key, channel, trigger_seq, status, next_step,
         total_steps, anchor_at, created_at, updated_at)
       values (?, ?, ?, ?, 'no_reply', 'web', 2, 'completed', 1, 1, ?, ?, ?)`,
      [runId, a.client.id, followUpConversation, lostLead, old(30), old(30), old(0, 4)],
    );
    const sent = await message(followUpConversation, 'ai', old(0, 4));
    await q(
      `insert into follow_up_sends (run_id, step, client_id, conversation_id, message_id, via, sent_at)
       values (?, 0, ?, ?, ?, 'web', ?)`,
      [runId, a.client.id, followUpConversation, sent, old(0, 4)],
    );
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('shows a change made now to an old day after the refresh, and refreshes to the same rows', async () => {
    const before = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    const scoringBefore = await api<ScoringReportDto>(`/reports/scoring${PERIOD}`);
    expect(before.funnel.steps.map((s) => s.count)).toEqual([2, 1, 0, 0, 0]);
    expect(before.followUps).toEqual([
      expect.objectContaining({ sequence: 'no_reply', step: 1, sent: 1, replies: 0, bookings: 0 }),
    ]);
    expect(before.promptVariants.variants).toEqual([
      expect.objectContaining({ variant: 'A', conversations: 1, leads: 1, qualified: 0, hotLeads: 0 }),
    ]);
    expect(before.bookingHeatMap.requested).toBe(0);
    expect(scoringBefore.summary).toMatchObject({ leads: 2, warm: 1, cold: 1, won: 0, lost: 1 });
    const bucket = (r: ScoringReportDto, b: string) => r.responseEffect.find((e) => e.bucket === b);
    expect(bucket(scoringBefore, '5_30_min')).toMatchObject({ closed: 0 });
    expect(bucket(scoringBefore, '30_120_min')).toMatchObject({ closed: 1, lost: 1 });

    // Nothing changed: a refresh rewrites the same rows.
    const rows = await rollupRows();
    expect(rows.report_lead_daily?.length).toBeGreaterThan(0);
    await refreshRollup(sqlOf(server.db.orm), a.client);
    expect(await rollupRows()).toEqual(rows);

    // Now: the open lead of ten days ago is won and gets a second conversation in variant A; the visitor answers
    // the old follow-up, and the lost lead books (today's request, for next Monday at 10:00 Madrid time).
    await q(`update leads set status = 'closed_won', updated_at = now() where id = ?`, [wonLead]);
    await conversation(wonLead, new Date(), 'A');
    await message(followUpConversation, 'visitor', new Date());
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    await q(
      `insert into bookings (id, client_id, lead_id, request_key, event_type_id, starts_at, status, created_by)
       values (?, ?, ?, ?, 1, ?, 'booked', 'lead')`,
      [randomUUID(), a.client.id, lostLead, randomUUID(), startsAt],
    );

    const after = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    const scoringAfter = await api<ScoringReportDto>(`/reports/scoring${PERIOD}`);
    expect(after.funnel.steps.map((s) => s.count)).toEqual([2, 1, 1, 1, 1]);
    expect(after.followUps).toEqual([
      expect.objectContaining({ sequence: 'no_reply', step: 1, sent: 1, replies: 1, bookings: 1 }),
    ]);
    // Two conversations on two days, one lead: counted once; the lead is won now (qualified).
    expect(after.promptVariants.variants).toEqual([
      expect.objectContaining({ variant: 'A', conversations: 2, leads: 1, qualified: 2, hotLeads: 0 }),
    ]);
    expect(after.bookingHeatMap).toMatchObject({ requested: 1, booked: 1 });
    expect(scoringAfter.summary).toMatchObject({ leads: 2, warm: 1, cold: 1, qualified: 1, won: 1, lost: 1 });
    expect(bucket(scoringAfter, '1_5_min')).toMatchObject({ closed: 1, won: 1 });
    expect(scoringAfter.byTemperature.find((t) => t.temperature === 'warm')).toMatchObject({ closed: 1, won: 1 });

    // The rollup agrees with the raw rows over the whole period.
    const client = await q<Array<{ timezone: string }>>('select timezone from clients where id = ?', [a.client.id]);
    const tz = client[0]?.timezone as string;
    const window = { start: dayWindow(tz, after.from).start, end: dayWindow(tz, after.to).end };
    const rawSteps = await followUpStepCounts(sqlOf(server.db.orm), a.client.id, window);
    expect(after.followUps.map((f) => [f.sequence, f.step, f.sent, f.replies, f.bookings])).toEqual(
      rawSteps.map((f) => [f.sequence, f.step, f.sent, f.replies, f.bookings]),
    );
    const rawVariants = await variantCounts(sqlOf(server.db.orm), a.client.id, window);
    expect(after.promptVariants.variants.map((v) => [v.variant, v.conversations, v.leads])).toEqual(
      rawVariants.map((v) => [v.variant, v.conversations, v.leads]),
    );

    // Twice more, then a rebuild from scratch: the same rows each time.
    const changed = await rollupRows();
    expect(changed).not.toEqual(rows);
    await refreshRollup(sqlOf(server.db.orm), a.client);
    await refreshRollup(sqlOf(server.db.orm), a.client);
    expect(await rollupRows()).toEqual(changed);
    await q('update report_rollup_state set processed_until = null where client_id = ?', [a.client.id]);
    expect((await refreshRollup(sqlOf(server.db.orm), a.client)).rebuilt).toBe(true);
    expect(await rollupRows()).toEqual(changed);
  });

  it('rolls up the questions and the intake drop-off: a question asked now, its gap, an answer, a new question list', async () => {
    const patchClient = async (body: unknown) => {
      const res = await fetch(`${server.url}/api/v1/client`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    };
    const svc = { id: 'svc', field: 'serviceInterest', question: 'Which service?' };
    await patchClient({ config: { qualificationQuestions: [svc] } });
    const before = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    // The first test's visitor messages are all "Hello?": questions with no term (a greeting), so no cluster.
    expect(before.questions).toMatchObject({ messagesRead: 3, questions: 3, unclustered: 3, sampled: false });
    expect(before.questions.clusters).toEqual([]);
    expect(before.funnel.intake).toMatchObject({ leadsRead: 2, sampled: false });
    expect(before.funnel.intake.questions).toEqual([{ ...svc, asked: 0, answered: 0, stoppedHere: 0 }]);

    // Now: the AI asks the lost lead (created ten days ago) which service, and its visitor asks a question the
    // knowledge base cannot answer.
    await message(followUpConversation, 'ai', new Date(), 'Which service?', 'ask:svc');
    await message(followUpConversation, 'visitor', new Date(), 'Do you do implants?');
    await q(
      `insert into knowledge_unanswered_questions (id, client_id, conversation_id, question, lexemes, language, created_at)
       values (?, ?, ?, 'Do you do implants?', '[]', 'english', now())`,
      [randomUUID(), a.client.id, followUpConversation],
    );
    const asked = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    expect(asked.questions).toMatchObject({ messagesRead: 4, questions: 4, unclustered: 3 });
    expect(asked.questions.clusters).toEqual([
      {
        representative: 'Do you do implants?',
        count: 1,
        terms: ['implant'],
        languages: ['en'],
        examples: [],
        unanswered: 1,
        answered: false,
      },
    ]);
    expect(asked.funnel.intake.questions).toEqual([{ ...svc, asked: 1, answered: 0, stoppedHere: 1 }]);

    // The lead answers (its row changes, not its day's messages): the old day is recomputed.
    await q(
      `update leads set qualification = '{"serviceInterest": "Implants", "custom": {}}', updated_at = now() where id = ?`,
      [lostLead],
    );
    const answered = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    expect(answered.funnel.intake.questions).toEqual([{ ...svc, asked: 1, answered: 1, stoppedHere: 0 }]);

    // The tenant points the question at another field: the rollup's settings changed, so it is rebuilt, and
    // the lead, who has no timeline, has not answered it.
    const [{ config_hash: hashBefore } = { config_hash: '' }] = await q<Array<{ config_hash: string }>>(
      'select config_hash from report_rollup_state where client_id = ?',
      [a.client.id],
    );
    // As if the rollup were complete past every row: only the change of settings can recompute the lead's day.
    await q(`update report_rollup_state set processed_until = now() + interval '1 hour' where client_id = ?`, [
      a.client.id,
    ]);
    await patchClient({ config: { qualificationQuestions: [{ ...svc, field: 'timeline' }] } });
    const moved = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    expect(moved.funnel.intake.questions).toEqual([
      { ...svc, field: 'timeline', asked: 1, answered: 0, stoppedHere: 1 },
    ]);
    const [{ config_hash: hashAfter } = { config_hash: '' }] = await q<Array<{ config_hash: string }>>(
      'select config_hash from report_rollup_state where client_id = ?',
      [a.client.id],
    );
    expect(hashAfter).not.toBe(hashBefore);
    // Rewording a question changes no figure: no rebuild.
    await patchClient({ config: { qualificationQuestions: [{ ...svc, field: 'timeline', question: 'When?' }] } });
    const reworded = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    expect(reworded.funnel.intake.questions[0]).toMatchObject({ question: 'When?', asked: 1, stoppedHere: 1 });
    const [{ config_hash: hashReworded } = { config_hash: '' }] = await q<Array<{ config_hash: string }>>(
      'select config_hash from report_rollup_state where client_id = ?',
      [a.client.id],
    );
    expect(hashReworded).toBe(hashAfter);

    // Incremental refreshes and a rebuild from scratch hold the same rows.
    const rows = await rollupRows();
    expect(rows.report_question_daily).toHaveLength(1);
    expect(rows.report_intake_daily).toEqual([
      expect.objectContaining({ question_id: 'svc', asked: 1, answered: 0, stopped_here: 1 }),
    ]);
    await q('update report_rollup_state set processed_until = null where client_id = ?', [a.client.id]);
    const [client] = await q<Array<{ id: string; timezone: string; locale: string; config: never }>>(
      'select id, timezone, locale, config from clients where id = ?',
      [a.client.id],
    );
    expect((await refreshRollup(sqlOf(server.db.orm), client as never)).rebuilt).toBe(true);
    expect(await rollupRows()).toEqual(rows);
  });

  it('forgets an erased lead: its questions, as text, leave the rollups in the erasure itself', async () => {
    const before = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    const zelda = await lead('qualifying', 'warm');
    const c = await conversation(zelda, old(0, 3));
    await message(c, 'visitor', old(0, 3), 'Can Zelda Quartz book implants on Friday?');
    await q(`update leads set updated_at = now() where id = ?`, [zelda]);
    const asked = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    expect(asked.questions.questions).toBe(before.questions.questions + 1);
    expect(asked.funnel.steps[0]?.count).toBe((before.funnel.steps[0]?.count ?? 0) + 1);
    const holding = () =>
      q<unknown[]>(`select * from report_question_daily where client_id = ? and wording ilike '%zelda%'`, [
        a.client.id,
      ]);
    expect(await holding()).toHaveLength(1);

    await eraseLead(sqlOf(server.db.orm), a.client.id, zelda);
    // Gone at once, before any refresh; and the figures are as before her.
    expect(await holding()).toEqual([]);
    const after = await api<ReportInsightsDto>(`/reports/insights${PERIOD}`);
    expect(after.questions).toEqual(before.questions);
    expect(after.funnel).toEqual(before.funnel);
  });
});
