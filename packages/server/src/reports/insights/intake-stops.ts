import type { QualificationQuestion, ReportInsightsDto } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';
import { boundedRead } from './bounded-read.js';

type Query = Pick<Sql, 'query'>;

/** Leads read per report: the latest created in the period. */
export const INTAKE_SAMPLE = 2000;

/** The structured replies' contact-details step (`ask:contact`): answered by an email or a phone. */
const CONTACT = { id: 'contact', field: 'contact', question: 'Contact details (email or phone)' };

/**
 * Where leads stop answering the intake questions. Which question was asked
 * is on the AI's message (`ai.intent = 'ask:<question id>'`, the structured
 * replies' own record of it); whether it was answered, on the lead now (the
 * question's field has a value). A lead "stopped" at the last question asked
 * to it (over all its conversations) when that one has no answer.
 *
 * Bounded: the period's latest leads (at most INTAKE_SAMPLE, on the
 * `(client_id, created_at)` index), each one's conversations by
 * `(client_id, lead_id, …)` and their AI messages by `(conversation_id, seq)`.
 */
export async function intakeStops(
  sql: Query | Sql,
  clientId: string,
  window: { start: Date; end: Date },
  questions: QualificationQuestion[],
): Promise<ReportInsightsDto['funnel']['intake']> {
  const rows = await boundedRead(sql, (q) =>
    q.query<Array<{ qualification: Record<string, unknown> | null; has_contact: boolean; asks: string[] | null }>>(
      `with l as (
       select id, qualification, (email is not null or phone is not null) as has_contact from leads
       where client_id = ? and created_at >= ? and created_at < ? order by created_at desc limit ?)
     select l.qualification, l.has_contact,
       (select array_agg(substr(m.ai ->> 'intent', 5) order by m.created_at, m.seq)
          from conversations c join messages m on m.conversation_id = c.id
          where c.client_id = ? and c.lead_id = l.id and m.role = 'ai' and m.ai ->> 'intent' like 'ask:%') as asks
     from l`,
      [clientId, window.start, window.end, INTAKE_SAMPLE + 1, clientId],
    ),
  );
  const sampled = rows.length > INTAKE_SAMPLE;
  const read = rows.slice(0, INTAKE_SAMPLE);
  const known = new Map<string, { id: string; field: string; question: string }>(
    questions.map((q) => [q.id, { id: q.id, field: q.field, question: q.question }]),
  );
  const tally = new Map<string, { asked: number; answered: number; stoppedHere: number }>();
  for (const q of questions) tally.set(q.id, { asked: 0, answered: 0, stoppedHere: 0 });
  for (const row of read) {
    const asks = row.asks ?? [];
    if (asks.length === 0) continue;
    const answered = (id: string) => {
      if (id === CONTACT.id) return row.has_contact;
      const field = known.get(id)?.field ?? id;
      return hasValue(row.qualification ?? {}, field);
    };
    for (const id of new Set(asks)) {
      const t = tally.get(id) ?? { asked: 0, answered: 0, stoppedHere: 0 };
      t.asked++;
      if (answered(id)) t.answered++;
      tally.set(id, t);
    }
    const last = asks[asks.length - 1] as string;
    if (!answered(last)) (tally.get(last) as { stoppedHere: number }).stoppedHere++;
  }
  // The tenant's questions in its order, then the contact step and any question since removed from its list.
  const order = [...questions.map((q) => q.id), ...[...tally.keys()].filter((id) => !known.has(id)).sort()];
  return {
    leadsRead: read.length,
    sampleLimit: INTAKE_SAMPLE,
    sampled,
    questions: order.map((id) => {
      const about = known.get(id) ?? (id === CONTACT.id ? CONTACT : { id, field: id, question: id });
      return { ...about, ...(tally.get(id) ?? { asked: 0, answered: 0, stoppedHere: 0 }) };
    }),
  };
}

/** The lead field a question fills: top level (serviceInterest, urgency, …) or a custom key; "" is no answer. */
function hasValue(qualification: Record<string, unknown>, field: string): boolean {
  const custom = (qualification.custom ?? {}) as Record<string, unknown>;
  const value = qualification[field] ?? custom[field];
  return value !== undefined && value !== null && value !== '';
}
