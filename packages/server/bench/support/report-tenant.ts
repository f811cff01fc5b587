/**
 * The generated tenant of the report benchmarks (reports, roi, insights,
 * scoring): conversations of 10 messages over the last 90 days (5 visitor
 * runs, each answered by the AI in 1–21 s or, in one conversation of five,
 * by staff in 30 s–50 min), one lead each, an escalation with its takeover in
 * one of twenty. Built in SQL (generate_series), so a million rows take seconds.
 *
 * `rich` adds what the insights and scoring reports read, in the same rows
 * (the plain tenant is left exactly as the SLA and ROI numbers were measured
 * on): a status mix with lost and nurturing leads and closed leads won more
 * often when the AI answered, temperatures, languages and appointment times;
 * a question as each conversation's first visitor message (eight wordings),
 * the intake question asked on the AI's messages, prompt variants on two
 * conversations of three, booking requests for half the booked leads, a
 * two-step follow-up run in one conversation of ten and a knowledge gap in
 * another one of ten.
 */
import pg from 'pg';

export interface ReportTenantOptions {
  /** The insights and scoring data (above). @default false */
  rich?: boolean;
}

/** The first visitor message of a rich conversation i is QUESTIONS[1 + i % 8] (SQL arrays count from 1). */
export const QUESTIONS = [
  'How much is a cleaning?',
  'How much does a cleaning cost?',
  'Do you do implants?',
  '¿Cuánto cuesta una limpieza?',
  'What are your opening hours?',
  'Are you open on Saturday?',
  'Do you take my insurance?',
  'Can I book for tomorrow?',
];
const QUESTIONS_SQL = `array[${QUESTIONS.map((q) => `'${q.replace(/'/g, "''")}'`).join(', ')}]`;

/** Plain: five statuses in turn. Rich: closed in two of seven, lost when staff answered (i % 5 = 0) or i % 3 = 0. */
const STATUS = {
  plain: `(array['new', 'qualified', 'appointment_booked', 'closed_won', 'qualifying'])[1 + (i * 7) % 5]`,
  rich: `case when (i * 3) % 7 in (5, 6) then case when i % 5 = 0 or i % 3 = 0 then 'closed_lost' else 'closed_won' end
    else (array['new', 'qualifying', 'qualified', 'appointment_booked', 'nurturing'])[1 + (i * 3) % 7] end`,
};

export async function generate(
  url: string,
  clientId: string,
  conversations: number,
  options: ReportTenantOptions = {},
): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await fill(c, clientId, conversations, options.rich ?? false);
  } finally {
    await c.end();
  }
}

async function fill(c: pg.Client, clientId: string, conversations: number, rich: boolean): Promise<void> {
  await c.query(
    `create temp table g as select i, gen_random_uuid() as lead_id, gen_random_uuid() as conv_id,
      now() - interval '5 hours' - random() * interval '89 days' as t,
      (array['web', 'whatsapp', 'sms', 'email'])[1 + i % 4] as channel,
      ${rich ? STATUS.rich : STATUS.plain} as status
    from generate_series(1, $1::int) i`,
    [conversations],
  );
  await c.query(
    `insert into leads (id, client_id, handles, source, qualification, score_evidence, status, temperature, language, appointment_at, created_at, updated_at)
     select lead_id, $1, '{}', channel, jsonb_build_object('serviceInterest', (array['Implants', 'Whitening', 'Cleaning'])[1 + i % 3], 'custom', '{}'::jsonb), '[]',
       status, ${rich ? `(array['hot', 'warm', 'cold', 'unscored'])[1 + (i / 4) % 4]` : `'unscored'`},
       ${rich ? `(array['en', 'es', 'fr'])[1 + i % 3]` : 'null'},
       ${rich ? `case when status in ('appointment_booked', 'closed_won') then date_trunc('hour', t) + interval '2 days' + (i % 9) * interval '1 hour' end` : 'null'},
       t, t from g`,
    [clientId],
  );
  await c.query(
    `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, prompt_variant, created_at, updated_at)
     select conv_id, $1, lead_id, channel, 'active', 'ai', 10,
       ${rich ? `(array[null, 'a', 'b'])[1 + i % 3]` : 'null'}, t, t from g`,
    [clientId],
  );
  await c.query(
    `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, ai, created_at)
     select gen_random_uuid(), $1, conv_id, k,
       case when k % 2 = 1 then 'visitor' when i % 5 = 0 then 'staff' else 'ai' end,
       ${rich ? `case when k = 1 then (${QUESTIONS_SQL})[1 + i % 8] else 'text' end` : `'text'`}, '[]', channel, 'sent',
       ${rich ? `case when i % 5 = 0 then null when k = 2 then '{"intent": "ask:serviceInterest"}'::jsonb when k = 4 and i % 2 = 0 then '{"intent": "ask:contact"}'::jsonb end` : 'null'},
       t + ((k - 1) / 2) * interval '1 hour'
         + case when k % 2 = 1 then interval '0' when i % 5 = 0 then (30 + random() * 3000) * interval '1 second'
                else (1 + random() * 20) * interval '1 second' end
     from g cross join generate_series(1, 10) k`,
    [clientId],
  );
  await c.query(
    `insert into escalations (id, client_id, conversation_id, lead_id, reason, priority, status, detail, created_at)
     select gen_random_uuid(), $1, conv_id, lead_id, 'visitor_request', 'normal', 'resolved', '', t + interval '1 minute' from g where i % 20 = 0`,
    [clientId],
  );
  await c.query(
    `insert into conversation_events (id, client_id, conversation_id, kind, created_at)
     select gen_random_uuid(), $1, conv_id, 'takeover', t + interval '1 minute' + random() * interval '10 minutes' from g where i % 20 = 0`,
    [clientId],
  );
  if (rich) await fillInsights(c, clientId);
  await c.query('drop table g');
}

/** Booking requests, follow-up runs and knowledge gaps over the rows just written (table g). */
async function fillInsights(c: pg.Client, clientId: string): Promise<void> {
  // Half the booked leads asked through the booking flow (one request in four since cancelled); the other
  // half had their appointment set by staff: the heat map's two sources.
  await c.query(
    `insert into bookings (id, client_id, lead_id, conversation_id, request_key, event_type_id, service, starts_at, status, created_by, created_at, updated_at)
     select gen_random_uuid(), $1, g.lead_id, g.conv_id, 'bench-' || g.i, 1, 'Cleaning', l.appointment_at,
       case when g.i % 4 = 0 then 'cancelled' else 'booked' end, 'lead', g.t + interval '30 minutes', g.t + interval '30 minutes'
     from g join leads l on l.id = g.lead_id where l.appointment_at is not null and g.i % 2 = 0`,
    [clientId],
  );
  await c.query(`create temp table runs as select gen_random_uuid() as run_id, g.* from g where i % 10 = 0`);
  await c.query(
    `insert into follow_up_runs (id, client_id, conversation_id, lead_id, key, channel, trigger_seq, status, next_step, total_steps, anchor_at, stopped_reason, created_at, updated_at)
     select run_id, $1, conv_id, lead_id, 'default', channel, 5, 'stopped', 2, 2, t,
       case when status in ('appointment_booked', 'closed_won') then 'booking' else 'replied' end, t, t from runs`,
    [clientId],
  );
  // Steps 1 and 2 are the conversation's AI messages 6 and 8: the visitor messages 7 and 9 reply to them.
  await c.query(
    `insert into follow_up_sends (run_id, step, client_id, conversation_id, message_id, via, sent_at)
     select r.run_id, s.step, $1, r.conv_id, m.id, r.channel, m.created_at
     from runs r cross join (values (0, 6), (1, 8)) s(step, seq)
     join messages m on m.conversation_id = r.conv_id and m.seq = s.seq`,
    [clientId],
  );
  await c.query('drop table runs');
  await c.query(
    `insert into knowledge_unanswered_questions (id, client_id, conversation_id, question, lexemes, language, created_at)
     select gen_random_uuid(), $1, conv_id, (${QUESTIONS_SQL})[1 + i % 8], '[]', 'en', t + interval '5 seconds'
     from g where i % 10 = 1`,
    [clientId],
  );
}
