import { randomUUID } from 'node:crypto';
import type { ReportInsightsDto } from '@leaddesk/shared';
import { parse } from 'csv-parse/sync';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../src/db/sql.js';
import { ReportService } from '../src/reports/index.js';
import { commonQuestions, rolledUpQuestions } from '../src/reports/insights/common-questions.js';
import { InsightsService, type QuestionEmbedder } from '../src/reports/insights/index.js';
import { windowQuestions } from '../src/reports/insights/question-wordings.js';
import { dayWindow } from '../src/reports/report-rollup.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * The insights report (docs/reports.md, "Insights") over a seeded week with
 * explicit timestamps and hand-computed answers. The tenant is in
 * Europe/Madrid, whose clocks go forward on Sunday 2026-03-29 at 01:00 UTC,
 * so the week 23–29 March runs from 2026-03-22T23:00Z to 2026-03-29T22:00Z.
 * A second tenant's rows sit beside every part, built to change A's answers
 * if they leaked into them.
 */
describe('GET /reports/insights', () => {
  let server: TestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  let b: Awaited<ReturnType<typeof createClient>>;
  const WEEK = '?from=2026-03-23&to=2026-03-29';
  const q = (text: string, params: unknown[] = []) => sqlOf(server.db.orm).query(text, params);
  const api = async (path: string, key: string) => {
    const res = await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as ReportInsightsDto & { error?: { code: string } } };
  };

  const seqs = new Map<string, number>();
  async function lead(
    clientId: string,
    source: string,
    status: string,
    fields: {
      at?: string;
      qualification?: Record<string, unknown>;
      appointmentAt?: string;
      temperature?: string;
      language?: string;
    } = {},
  ): Promise<string> {
    const id = randomUUID();
    const at = new Date(fields.at ?? '2026-03-24T09:00:00Z');
    await q(
      `insert into leads (id, client_id, handles, source, qualification, score_evidence, status, temperature, language,
         appointment_at, created_at, updated_at)
       values (?, ?, '{}', ?, ?::jsonb, '[]', ?, ?, ?, ?, ?, ?)`,
      [
        id,
        clientId,
        source,
        JSON.stringify({ custom: {}, ...fields.qualification }),
        status,
        fields.temperature ?? 'unscored',
        fields.language ?? null,
        fields.appointmentAt ? new Date(fields.appointmentAt) : null,
        at,
        at,
      ],
    );
    return id;
  }
  async function conversation(
    clientId: string,
    leadId: string | null,
    options: { at?: string; variant?: string } = {},
  ): Promise<string> {
    const id = randomUUID();
    const at = new Date(options.at ?? '2026-03-24T09:00:00Z');
    await q(
      `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, prompt_variant, created_at, updated_at)
       values (?, ?, ?, 'web', 'active', 'ai', 0, ?, ?, ?)`,
      [id, clientId, leadId, options.variant ?? null, at, at],
    );
    return id;
  }
  async function message(
    clientId: string,
    conversationId: string,
    role: string,
    content: string,
    at: string,
    intent?: string,
  ): Promise<string> {
    const id = randomUUID();
    const seq = (seqs.get(conversationId) ?? 0) + 1;
    seqs.set(conversationId, seq);
    await q(
      `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, ai, created_at)
       values (?, ?, ?, ?, ?, ?, '[]', 'web', 'sent', ?::jsonb, ?)`,
      [id, clientId, conversationId, seq, role, content, intent ? JSON.stringify({ intent }) : null, new Date(at)],
    );
    return id;
  }
  async function booking(
    clientId: string,
    leadId: string | null,
    startsAt: string,
    status: string,
    createdAt: string,
  ): Promise<void> {
    await q(
      `insert into bookings (id, client_id, lead_id, request_key, event_type_id, starts_at, status, created_by, created_at, updated_at)
       values (?, ?, ?, ?, 1, ?, ?, 'lead', ?, ?)`,
      [
        randomUUID(),
        clientId,
        leadId,
        randomUUID(),
        new Date(startsAt),
        status,
        new Date(createdAt),
        new Date(createdAt),
      ],
    );
  }
  /** A follow-up run and its sends: each send is an AI message in the run's conversation. */
  async function followUpRun(
    clientId: string,
    leadId: string,
    key: string,
    steps: Array<{ step: number; at: string } | { reply: string }>,
    stoppedReason: string | null,
  ): Promise<void> {
    const conversationId = await conversation(clientId, leadId);
    const runId = randomUUID();
    await q(
      `insert into follow_up_runs (id, client_id, conversation_id, lead_id, key, channel, trigger_seq, status, next_step,
         total_steps, anchor_at, stopped_reason)
       values (?, ?, ?, ?, ?, 'web', 0, ?, 3, 3, ?, ?)`,
      [
        runId,
        clientId,
        conversationId,
        leadId,
        key,
        stoppedReason ? 'stopped' : 'completed',
        new Date(),
        stoppedReason,
      ],
    );
    for (const s of steps) {
      if ('reply' in s) {
        await message(clientId, conversationId, 'visitor', 'Yes please', s.reply);
        continue;
      }
      const messageId = await message(clientId, conversationId, 'ai', `Follow-up ${s.step}`, s.at);
      await q(
        `insert into follow_up_sends (run_id, step, client_id, conversation_id, message_id, via, sent_at)
         values (?, ?, ?, ?, ?, 'web', ?)`,
        [runId, s.step, clientId, conversationId, messageId, new Date(s.at)],
      );
    }
  }

  beforeAll(async () => {
    server = await startTestServer({ db: 'postgres', env: { REPORTS_SWEEP_INTERVAL_MS: '0' } });
    a = await createClient(server.db.orm.em.fork(), {
      name: 'Clínica Sol',
      industry: 'other',
      timezone: 'Europe/Madrid',
      config: {
        qualificationQuestions: [
          { id: 'svc', field: 'serviceInterest', question: 'Which service?' },
          { id: 'when', field: 'timeline', question: 'When would suit you?' },
          { id: 'budget', field: 'budgetRange', question: 'Any budget in mind?' },
        ],
      },
    });
    b = await createClient(server.db.orm.em.fork(), { name: 'Other Clinic', industry: 'other', timezone: 'UTC' });
    const A = a.client.id;
    const B = b.client.id;

    // 1. Channels and funnel. Web: 10 leads (won 1, booked 2, qualified/handed off 2, qualifying 1,
    // lost after answering 1, new 2 — the last at 23:30 CEST on Sunday the 29th — and disqualified 1).
    const W1 = await lead(A, 'web', 'appointment_booked', {
      appointmentAt: '2026-03-24T09:00:00Z',
      temperature: 'hot',
      language: 'en',
    });
    const W2 = await lead(A, 'web', 'appointment_booked');
    await lead(A, 'web', 'closed_won');
    const W4 = await lead(A, 'web', 'qualified', {
      qualification: { serviceInterest: 'Implants', timeline: 'next week', budgetRange: '2000' },
    });
    await lead(A, 'web', 'handed_off');
    const W6 = await lead(A, 'web', 'qualifying', { qualification: { serviceInterest: 'Whitening' } });
    const W7 = await lead(A, 'web', 'closed_lost', { qualification: { serviceInterest: 'Implants' } });
    const W8 = await lead(A, 'web', 'new', { language: 'en' });
    const W9 = await lead(A, 'web', 'disqualified');
    await lead(A, 'web', 'new', { at: '2026-03-29T21:30:00Z' });
    // Outside the week: 23:30 CET on Sunday the 22nd.
    await lead(A, 'web', 'closed_won', { at: '2026-03-22T22:30:00Z' });
    // WhatsApp: 10 leads (booked 2, nurturing with an appointment time 1, qualified 1, new 6).
    await lead(A, 'whatsapp', 'appointment_booked');
    await lead(A, 'whatsapp', 'appointment_booked');
    await lead(A, 'whatsapp', 'nurturing', { appointmentAt: '2026-03-27T17:00:00Z' });
    const A4 = await lead(A, 'whatsapp', 'qualified', { temperature: 'hot' });
    const A5 = await lead(A, 'whatsapp', 'new');
    const A6 = await lead(A, 'whatsapp', 'new', { qualification: { serviceInterest: 'Implants' }, temperature: 'hot' });
    const A7 = await lead(A, 'whatsapp', 'new', { language: 'es' });
    const A8 = await lead(A, 'whatsapp', 'new');
    const A9 = await lead(A, 'whatsapp', 'new');
    const A10 = await lead(A, 'whatsapp', 'new');
    // SMS: all 3 booked, too few leads to be the best.
    for (let i = 0; i < 3; i++) await lead(A, 'sms', 'appointment_booked');
    // B: 12 email leads, all booked: the best channel anywhere, if it leaked.
    for (let i = 0; i < 12; i++) await lead(B, 'email', 'appointment_booked');

    // 2. Questions. English ones in W8's conversation (its lead speaks English), Spanish in A7's, French with no lead.
    const en = await conversation(A, W8);
    await message(A, en, 'visitor', 'How much is a cleaning?', '2026-03-24T10:00:00Z');
    await message(A, en, 'visitor', 'How much is a cleaning?', '2026-03-24T10:01:00Z');
    await message(A, en, 'visitor', 'How much does a cleaning cost?', '2026-03-24T10:02:00Z');
    await message(A, en, 'visitor', 'Do you do implants?', '2026-03-24T10:03:00Z');
    // 23:59 CEST on Sunday the 29th: still in the week.
    await message(A, en, 'visitor', 'Do you do implants?', '2026-03-29T21:59:00Z');
    await message(A, en, 'visitor', 'Are you open on Saturday?', '2026-03-24T10:05:00Z');
    await message(A, en, 'visitor', 'what are your opening hours', '2026-03-24T10:06:00Z');
    await message(A, en, 'visitor', 'How much?', '2026-03-24T10:07:00Z');
    await message(A, en, 'visitor', "I'd like to book", '2026-03-24T10:08:00Z');
    await message(A, en, 'visitor', '=HYPERLINK("http://evil.example")?', '2026-03-24T10:09:00Z');
    // Before the week (23:00 CET on the 22nd).
    await message(A, en, 'visitor', 'How much is a cleaning?', '2026-03-22T22:00:00Z');
    const es = await conversation(A, A7);
    await message(A, es, 'visitor', '¿Cuánto cuesta una limpieza?', '2026-03-25T10:00:00Z');
    await message(A, es, 'visitor', 'cuanto cuesta una limpieza?', '2026-03-25T10:01:00Z');
    await message(A, es, 'visitor', '¿Hacéis implantes?', '2026-03-25T10:02:00Z');
    const fr = await conversation(A, null);
    await message(A, fr, 'visitor', 'Avez-vous des implants ?', '2026-03-26T10:00:00Z');
    // The knowledge base could not answer the Saturday question; an unrelated gap matches no message.
    for (const [conv, question] of [
      [en, 'Are you open on Saturday?'],
      [es, '¿Tenéis parking?'],
    ]) {
      await q(
        `insert into knowledge_unanswered_questions (id, client_id, conversation_id, question, lexemes, language, created_at)
         values (?, ?, ?, ?, '[]', 'english', ?)`,
        [randomUUID(), A, conv, question, new Date('2026-03-24T10:05:02Z')],
      );
    }
    const bc = await conversation(B, null);
    for (let i = 0; i < 5; i++) await message(B, bc, 'visitor', 'How much is a cleaning?', '2026-03-24T10:00:00Z');

    // 3. Bookings (requested in the week), in Madrid time: Tue 10:00 CET and Tue 10:00 CEST (after the change),
    // Thu 17:30 cancelled, Sat 11:00 pending; one requested before the week; W1's appointment is its booking.
    await booking(A, W1, '2026-03-24T09:00:00Z', 'booked', '2026-03-23T12:00:00Z');
    await booking(A, A8, '2026-03-31T08:00:00Z', 'booked', '2026-03-25T12:00:00Z');
    await booking(A, null, '2026-03-26T16:30:00Z', 'cancelled', '2026-03-26T10:00:00Z');
    await booking(A, null, '2026-03-28T10:00:00Z', 'pending', '2026-03-27T10:00:00Z');
    await booking(A, null, '2026-03-24T09:00:00Z', 'booked', '2026-03-20T12:00:00Z');
    await booking(B, null, '2026-03-23T09:00:00Z', 'booked', '2026-03-23T08:00:00Z');

    // 4. Intake: which question the AI asked (ai.intent = ask:<id>) and what the lead holds now.
    for (const [leadId, asks] of [
      [W6, ['svc', 'when']],
      [W7, ['svc', 'when']],
      [A5, ['svc']],
      [W4, ['svc', 'when', 'budget']],
      [A6, ['svc', 'contact']],
    ] as const) {
      const c = await conversation(A, leadId);
      let minute = 0;
      for (const id of asks) {
        await message(
          A,
          c,
          'ai',
          `Question ${id}`,
          `2026-03-24T11:${String(minute++).padStart(2, '0')}:00Z`,
          `ask:${id}`,
        );
      }
    }

    // 5. Follow-ups. R1: steps 1 and 2; a reply and a booking (A8's, above) after step 2.
    await followUpRun(
      A,
      A8,
      'default',
      [
        { step: 0, at: '2026-03-24T10:00:00Z' },
        { step: 1, at: '2026-03-25T10:00:00Z' },
        { reply: '2026-03-25T11:00:00Z' },
      ],
      null,
    );
    // R2: a reply after step 1, nothing after steps 2 and 3.
    await followUpRun(
      A,
      A9,
      'default',
      [
        { step: 0, at: '2026-03-24T10:00:00Z' },
        { reply: '2026-03-24T12:00:00Z' },
        { step: 1, at: '2026-03-26T10:00:00Z' },
        { step: 2, at: '2026-03-27T10:00:00Z' },
      ],
      null,
    );
    // R3: step 1, then the lead booked with staff (the run stopped for it, no booking row).
    await followUpRun(A, A10, 'default', [{ step: 0, at: '2026-03-28T10:00:00Z' }], 'booking');
    // Sent before the week; and B's.
    await followUpRun(A, A10, 'default', [{ step: 0, at: '2026-03-20T10:00:00Z' }], null);
    const bLead = await lead(B, 'email', 'new');
    await followUpRun(B, bLead, 'default', [{ step: 0, at: '2026-03-24T10:00:00Z' }], 'booking');
    // B's AI asked its lead a question A does not have: it must never appear in A's drop-off.
    const bAsked = await conversation(B, bLead);
    await message(B, bAsked, 'ai', 'Any secret?', '2026-03-24T11:00:00Z', 'ask:secret');

    // 6. Prompt variants. a: W1 (booked, hot), W2 (booked), W8 (new), W9 (disqualified): 2 qualified, 1 hot.
    for (const l of [W1, W2, W8, W9]) await conversation(A, l, { variant: 'a' });
    // b: A4 (qualified, hot), A6 (new, hot), A7 (new) and one without a lead: 1 qualified, 2 hot, 3 leads.
    for (const l of [A4, A6, A7, null]) await conversation(A, l, { variant: 'b' });
    await conversation(A, W1, { variant: 'a', at: '2026-03-20T10:00:00Z' });
    await conversation(B, bLead, { variant: 'z' });
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('names the best channel by booking rate among channels with 10 leads, ties to qualification rate', async () => {
    const { status, body } = await api(`/reports/insights${WEEK}`, a.apiKey);
    expect(status).toBe(200);
    expect(body).toMatchObject({ timezone: 'Europe/Madrid', from: '2026-03-23', to: '2026-03-29' });
    expect(body.channels.byChannel).toEqual([
      { channel: 'sms', leads: 3, qualified: 3, booked: 3, qualificationRate: 1, bookingRate: 1, eligible: false },
      { channel: 'web', leads: 10, qualified: 5, booked: 3, qualificationRate: 0.5, bookingRate: 0.3, eligible: true },
      {
        channel: 'whatsapp',
        leads: 10,
        qualified: 4,
        booked: 3,
        qualificationRate: 0.4,
        bookingRate: 0.3,
        eligible: true,
      },
    ]);
    expect(body.channels.minLeads).toBe(10);
    // web and WhatsApp both book 30 %; web qualifies more. SMS books all 3, too few to tell.
    expect(body.channels.best).toBe('web');
    expect(body.channels.reason).toBe('web: 30 % of its 10 leads booked (3), 50 % qualified');
  });

  it('counts the funnel with drop-off per step, and where leads stop answering the intake questions', async () => {
    const { body } = await api(`/reports/insights${WEEK}`, a.apiKey);
    // 23 leads; qualifying or beyond 7 + 4 + 3; qualified 5 + 4 + 3; booked 3 + 3 + 3; won 1.
    expect(body.funnel.steps).toEqual([
      { step: 'new', count: 23, dropOff: 0, dropOffRate: null },
      { step: 'qualifying', count: 14, dropOff: 9, dropOffRate: 0.3913 },
      { step: 'qualified', count: 12, dropOff: 2, dropOffRate: 0.1429 },
      { step: 'booked', count: 9, dropOff: 3, dropOffRate: 0.25 },
      { step: 'won', count: 1, dropOff: 8, dropOffRate: 0.8889 },
    ]);
    expect(body.funnel.intake).toEqual({
      // Every lead of the week, from the daily rollup: nothing sampled (sampleLimit, kept for compatibility, is all).
      leadsRead: 23,
      sampleLimit: 23,
      sampled: false,
      questions: [
        // Asked W6, W7, A5, W4, A6; A5 never answered it.
        { id: 'svc', field: 'serviceInterest', question: 'Which service?', asked: 5, answered: 4, stoppedHere: 1 },
        // W6 and W7 stopped here; W4 answered.
        { id: 'when', field: 'timeline', question: 'When would suit you?', asked: 3, answered: 1, stoppedHere: 2 },
        { id: 'budget', field: 'budgetRange', question: 'Any budget in mind?', asked: 1, answered: 1, stoppedHere: 0 },
        {
          id: 'contact',
          field: 'contact',
          question: 'Contact details (email or phone)',
          asked: 1,
          answered: 0,
          stoppedHere: 1,
        },
      ],
    });
  });

  it('clusters the period’s questions by normalised text: variants and cognates together, translations apart', async () => {
    const { body } = await api(`/reports/insights${WEEK}`, a.apiKey);
    const qs = body.questions;
    // 16 visitor messages in the week: 10 + 3 + 1 questions and remarks, and the 2 follow-up replies.
    expect(qs).toMatchObject({
      method: 'normalised_text',
      messagesRead: 16,
      sampleLimit: 5000,
      sampled: false,
      questions: 13,
      unclustered: 1,
    });
    expect(qs.clusters.slice(0, 3)).toEqual([
      {
        // "implants", "implantes" and the French "implants" share the stem: one cluster, three languages.
        representative: 'Do you do implants?',
        count: 4,
        terms: ['implant'],
        languages: ['en', 'es', 'fr'],
        examples: ['¿Hacéis implantes?', 'Avez-vous des implants ?'],
        unanswered: 0,
        answered: true,
      },
      {
        representative: 'How much is a cleaning?',
        count: 3,
        terms: ['clean'],
        languages: ['en'],
        examples: ['How much does a cleaning cost?'],
        unanswered: 0,
        answered: true,
      },
      {
        // The same question in Spanish: no word in common with "cleaning", so its own cluster.
        representative: 'cuanto cuesta una limpieza?',
        count: 2,
        terms: ['cuest', 'limpiez'],
        languages: ['es'],
        examples: ['¿Cuánto cuesta una limpieza?'],
        unanswered: 0,
        answered: true,
      },
    ]);
    const rest = qs.clusters.slice(3);
    expect(rest.map((c) => c.count)).toEqual([1, 1, 1]);
    expect(rest.find((c) => c.representative === 'Are you open on Saturday?')).toMatchObject({
      terms: ['open', 'saturday'],
      unanswered: 1,
      answered: false,
    });
    expect(rest.find((c) => c.representative === 'what are your opening hours')).toMatchObject({
      terms: ['hour', 'open'],
      answered: true,
    });
  });

  it('groups a question across languages by meaning with an embeddings provider, and by text when it fails', async () => {
    // A stand-in for the provider behind our Embedder interface: one axis per meaning.
    const calls: string[][] = [];
    const embedder: QuestionEmbedder = {
      model: 'test-meanings',
      async embed(texts) {
        calls.push(texts);
        return texts.map((t) => {
          if (/clean|limpieza/i.test(t)) return [1, 0, 0];
          if (/implant/i.test(t)) return [0, 1, 0];
          if (/open|hours/i.test(t)) return [0, 0.2, 1];
          return [0.6, 0.6, 0.5];
        });
      },
    };
    const sql = sqlOf(server.db.orm);
    const reports = new ReportService({ sql, logger: pino({ level: 'silent' }) });
    const query = { period: 'last_30_days' as const, from: '2026-03-23', to: '2026-03-29' };
    // A provider that fails (before anything is cached): the report answers by text.
    const failing: QuestionEmbedder = {
      model: 'down',
      embed: async () => {
        throw new Error('provider unavailable');
      },
    };
    const byText = (await new InsightsService(sql, reports, failing).insights(a.client, query)).questions;
    expect(byText.method).toBe('normalised_text');
    expect(byText.clusters.map((c) => c.count)).toEqual([4, 3, 2, 1, 1, 1]);
    const byMeaning = (await new InsightsService(sql, reports, embedder).insights(a.client, query)).questions;
    expect(byMeaning.method).toBe('embeddings');
    expect(byMeaning.clusters.map((c) => [c.representative, c.count, c.languages, c.unanswered])).toEqual([
      // English and Spanish cleaning questions meet: 3 + 2.
      ['How much is a cleaning?', 5, ['en', 'es'], 0],
      ['Do you do implants?', 4, ['en', 'es', 'fr'], 0],
      // The two questions about opening hours mean the same; the Saturday one was a knowledge gap.
      ['Are you open on Saturday?', 2, ['en'], 1],
      ['=HYPERLINK("http://evil.example")?', 1, ['en'], 0],
    ]);
    // One call, one text per distinct set of terms (8); read again, everything comes from the cache.
    expect(calls.map((c) => c.length)).toEqual([8]);
    await new InsightsService(sql, reports, embedder).insights(a.client, query);
    expect(calls).toHaveLength(1);
  });

  it('reads the questions from the daily rollup as the raw messages give them; past a cap, counts the rest as left out', async () => {
    await api(`/reports/insights${WEEK}`, a.apiKey);
    const sql = sqlOf(server.db.orm);
    const week = { from: '2026-03-23', to: '2026-03-29' };
    const window = { start: dayWindow('Europe/Madrid', week.from).start, end: dayWindow('Europe/Madrid', week.to).end };
    // The whole week read raw (every visitor message, no cap) clusters exactly as the days' rollup rows do.
    const raw = await windowQuestions(sql, a.client.id, window, 'en');
    const rolled = await rolledUpQuestions(sql, a.client.id, week);
    expect(rolled).toMatchObject({ messages: 16, questions: 13, unclustered: 1, leftOut: 0 });
    expect(await commonQuestions(rolled)).toEqual(await commonQuestions(raw));
    // Keep two wordings: the biggest group's ("implant", 4 questions in 3 wordings) first. The 9 other questions
    // with terms are counted but left out of the clusters, and the answer says so.
    const capped = await windowQuestions(sql, a.client.id, window, 'en', 2);
    expect(capped.wordings.map((w) => [w.terms, w.wording, w.n])).toEqual([
      ['implant', 'Do you do implants?', 2],
      ['implant', 'Avez-vous des implants ?', 1],
    ]);
    expect(capped.leftOut).toBe(9);
    const answer = await commonQuestions(capped);
    expect(answer).toMatchObject({ questions: 13, unclustered: 1, sampled: true });
    expect(answer.clusters.map((c) => [c.representative, c.count])).toEqual([['Do you do implants?', 3]]);
  });

  it('maps requested and booked appointment times by local weekday and hour, across the clock change', async () => {
    const { body } = await api(`/reports/insights${WEEK}`, a.apiKey);
    expect(body.bookingHeatMap).toEqual({
      requested: 5,
      booked: 3,
      cells: [
        // 09:00 UTC on the 24th (CET) and 08:00 UTC on the 31st (CEST): both Tuesday 10:00 in Madrid.
        { weekday: 2, hour: 10, requested: 2, booked: 2 },
        { weekday: 4, hour: 17, requested: 1, booked: 0 },
        // The nurturing lead's appointment (no booking row): Friday 18:00 CET.
        { weekday: 5, hour: 18, requested: 1, booked: 1 },
        { weekday: 6, hour: 11, requested: 1, booked: 0 },
      ],
      peak: { weekday: 2, hour: 10, requested: 2, booked: 2 },
    });
  });

  it('credits replies and bookings to the follow-up step before them', async () => {
    const { body } = await api(`/reports/insights${WEEK}`, a.apiKey);
    expect(body.followUps).toEqual([
      // R1, R2, R3: R2 replied; R3's lead booked with staff after its only step.
      { sequence: 'default', step: 1, sent: 3, replies: 1, replyRate: 0.3333, bookings: 1, bookingRate: 0.3333 },
      // R1 and R2: R1 replied and booked (A8's booking) after it.
      { sequence: 'default', step: 2, sent: 2, replies: 1, replyRate: 0.5, bookings: 1, bookingRate: 0.5 },
      { sequence: 'default', step: 3, sent: 1, replies: 0, replyRate: 0, bookings: 0, bookingRate: 0 },
    ]);
  });

  it('compares the prompt variants per conversation with 95 % Wilson intervals', async () => {
    const { body } = await api(`/reports/insights${WEEK}`, a.apiKey);
    // 2 of 4: 0.5 in [0.15, 0.85]; 1 of 4: 0.25 in [0.0456, 0.6994] (z = 1.96).
    const half = { rate: 0.5, low: 0.15, high: 0.85 };
    const quarter = { rate: 0.25, low: 0.0456, high: 0.6994 };
    expect(body.promptVariants).toEqual({
      variants: [
        {
          variant: 'a',
          conversations: 4,
          leads: 4,
          qualified: 2,
          hotLeads: 1,
          qualificationRate: half,
          hotLeadRate: quarter,
        },
        {
          variant: 'b',
          conversations: 4,
          leads: 3,
          qualified: 1,
          hotLeads: 2,
          qualificationRate: quarter,
          hotLeadRate: half,
        },
      ],
      // The intervals overlap: four conversations each cannot tell the variants apart.
      qualificationLeader: null,
      hotLeadLeader: null,
    });
  });

  it('shows a tenant only its own data', async () => {
    const { status, body } = await api(`/reports/insights${WEEK}`, b.apiKey);
    expect(status).toBe(200);
    expect(body.channels.byChannel.map((c) => [c.channel, c.leads])).toEqual([['email', 13]]);
    expect(body.channels.best).toBe('email');
    expect(body.questions.clusters).toEqual([
      expect.objectContaining({ representative: 'How much is a cleaning?', count: 5, languages: ['en'] }),
    ]);
    expect(body.bookingHeatMap.cells).toEqual([{ weekday: 1, hour: 9, requested: 1, booked: 1 }]);
    expect(body.followUps).toEqual([expect.objectContaining({ sent: 1, bookings: 1 })]);
    expect(body.promptVariants.variants.map((v) => v.variant)).toEqual(['z']);
    // B's own questions and intake, from B's rollup rows only.
    expect(body.questions).toMatchObject({ messagesRead: 5, questions: 5, unclustered: 0 });
    expect(body.funnel.intake).toMatchObject({ leadsRead: 13, sampled: false });
    expect(body.funnel.intake.questions).toEqual([
      { id: 'secret', field: 'secret', question: 'secret', asked: 1, answered: 0, stoppedHere: 1 },
    ]);
    // And A's answer holds none of B's: no email channel, no variant z (checked in full above).
    const mine = (await api(`/reports/insights${WEEK}`, a.apiKey)).body;
    expect(mine.channels.byChannel.some((c) => c.channel === 'email')).toBe(false);
    expect(mine.funnel.intake.questions.map((i) => i.id)).toEqual(['svc', 'when', 'budget', 'contact']);
    expect(mine.questions.messagesRead).toBe(16);
  });

  it('refuses a bad period with 400 and a clear message', async () => {
    for (const query of [
      '?from=2026-03-29&to=2026-03-23',
      '?period=yesterday',
      '?from=2026-03-23',
      '?from=23/03/2026&to=2026-03-29',
    ]) {
      const res = await api(`/reports/insights${query}`, a.apiKey);
      expect(res.status, query).toBe(400);
      expect(res.body.error?.code).toBe('validation_failed');
    }
    const csv = await fetch(`${server.url}/api/v1/reports/insights.csv?period=yesterday`, {
      headers: { authorization: `Bearer ${a.apiKey}` },
    });
    expect(csv.status).toBe(400);
    expect(csv.headers.get('content-type')).toMatch(/application\/json/);
  });

  it('downloads the report as CSV, a row per figure, with formulas neutralised', async () => {
    const res = await fetch(`${server.url}/api/v1/reports/insights.csv${WEEK}`, {
      headers: { authorization: `Bearer ${a.apiKey}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="insights-2026-03-23-to-2026-03-29.csv"');
    const rows = parse(await res.text(), { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'from',
      'to',
      'timezone',
      'section',
      'item',
      'label',
      'metric',
      'value',
    ]);
    expect(rows[0]).toMatchObject({ from: '2026-03-23', to: '2026-03-29', timezone: 'Europe/Madrid' });
    const value = (section: string, item: string, metric: string) =>
      rows.find((r) => r.section === section && r.item === item && r.metric === metric)?.value;
    expect(value('best_channel', 'web', 'best_channel')).toBe('web');
    expect(value('channel', 'web', 'booking_rate')).toBe('0.3');
    expect(value('channel', 'sms', 'eligible')).toBe('no');
    expect(value('question', '1', 'count')).toBe('4');
    expect(rows.find((r) => r.section === 'question' && r.item === '1')?.label).toBe('Do you do implants?');
    expect(value('question', '1', 'languages')).toBe('en es fr');
    expect(value('booking_heat_map', '2-10', 'requested')).toBe('2');
    expect(rows.find((r) => r.section === 'booking_heat_map' && r.item === '2-10')?.label).toBe('Tue 10:00');
    expect(value('funnel', 'won', 'drop_off')).toBe('8');
    expect(value('intake_question', 'when', 'stopped_here')).toBe('2');
    expect(value('follow_up_step', 'default:2', 'bookings')).toBe('1');
    expect(value('prompt_variant', 'a', 'qualification_rate_low')).toBe('0.15');
    // The visitor's "=HYPERLINK(...)?" question stays text in a spreadsheet.
    const labels = rows.filter((r) => r.section === 'question').map((r) => r.label);
    expect(labels).toContain(`'=HYPERLINK("http://evil.example")?`);
    expect(labels).not.toContain('=HYPERLINK("http://evil.example")?');
  });
});
