import type { QualificationQuestion, ReportInsightsDto } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';

type Query = Pick<Sql, 'query'>;

/** The structured replies' contact-details step (`ask:contact`): answered by an email or a phone. */
const CONTACT = { id: 'contact', field: 'contact', question: 'Contact details (email or phone)' };

export interface IntakeTally {
  asked: number;
  answered: number;
  stoppedHere: number;
}

/** What the tally needs of one lead: what it holds now and the intake questions asked to it, in order. */
export interface IntakeLead {
  qualification: Record<string, unknown> | null;
  has_contact: boolean;
  asks: string[] | null;
}

/**
 * Every lead created in [start, end) with the intake questions asked to it.
 * Which question was asked is on the AI's message (`ai.intent = 'ask:<question
 * id>'`, the structured replies' own record of it), over all the lead's
 * conversations. Each lead's conversations by `(client_id, lead_id, …)` and
 * their asking messages by the partial index `messages_intake_ask_index`: run
 * once per local day by the rollup's refresh (insight-rollup.ts), never per
 * report.
 */
export async function intakeLeads(
  q: Query,
  clientId: string,
  window: { start: Date; end: Date },
): Promise<IntakeLead[]> {
  return q.query<IntakeLead[]>(
    `select l.qualification, (l.email is not null or l.phone is not null) as has_contact,
       (select array_agg(substr(m.ai ->> 'intent', 5) order by m.created_at, m.seq)
          from conversations c join messages m on m.conversation_id = c.id
          where c.client_id = l.client_id and c.lead_id = l.id and m.role = 'ai' and m.ai ->> 'intent' like 'ask:%') as asks
     from leads l where l.client_id = ? and l.created_at >= ? and l.created_at < ?`,
    [clientId, window.start, window.end],
  );
}

/**
 * Per question id: leads asked it at least once, of those the leads whose
 * field has a value now, and the leads for whom it is the last question asked
 * and has no answer. Whether a question is answered depends on the tenant's
 * question list (its lead field), which is why that list is part of the
 * rollup's settings hash (report-rollup.ts).
 */
export function tallyIntake(leads: IntakeLead[], questions: QualificationQuestion[]): Map<string, IntakeTally> {
  const fields = new Map(questions.map((q) => [q.id, q.field]));
  const tally = new Map<string, IntakeTally>();
  for (const lead of leads) {
    const asks = lead.asks ?? [];
    if (asks.length === 0) continue;
    const answered = (id: string) =>
      id === CONTACT.id ? lead.has_contact : hasValue(lead.qualification ?? {}, fields.get(id) ?? id);
    for (const id of new Set(asks)) {
      const t = tally.get(id) ?? { asked: 0, answered: 0, stoppedHere: 0 };
      t.asked++;
      if (answered(id)) t.answered++;
      tally.set(id, t);
    }
    const last = asks[asks.length - 1] as string;
    if (!answered(last)) (tally.get(last) as IntakeTally).stoppedHere++;
  }
  return tally;
}

/**
 * Where the period's leads stop answering the intake questions, summed from
 * the daily rollup `report_intake_daily` (every lead of the period, by its
 * creation day: nothing is sampled any more). `leads` is the period's leads
 * (the funnel's first step).
 */
export async function intakeStops(
  q: Query,
  clientId: string,
  days: { from: string; to: string },
  questions: QualificationQuestion[],
  leads: number,
): Promise<ReportInsightsDto['funnel']['intake']> {
  const rows = await q.query<Array<{ question_id: string; asked: number; answered: number; stopped_here: number }>>(
    `select question_id, sum(asked)::int as asked, sum(answered)::int as answered, sum(stopped_here)::int as stopped_here
     from report_intake_daily where client_id = ? and day between ?::date and ?::date group by question_id`,
    [clientId, days.from, days.to],
  );
  const tally = new Map(
    rows.map((r) => [r.question_id, { asked: r.asked, answered: r.answered, stoppedHere: r.stopped_here }]),
  );
  return intakeInsight(tally, questions, leads);
}

/** The report's shape: the tenant's questions in its order, then the contact step and questions since removed. */
export function intakeInsight(
  tally: Map<string, IntakeTally>,
  questions: QualificationQuestion[],
  leads: number,
): ReportInsightsDto['funnel']['intake'] {
  const known = new Map<string, { id: string; field: string; question: string }>(
    questions.map((q) => [q.id, { id: q.id, field: q.field, question: q.question }]),
  );
  const order = [...questions.map((q) => q.id), ...[...tally.keys()].filter((id) => !known.has(id)).sort()];
  return {
    leadsRead: leads,
    // Kept for compatibility: every lead of the period is counted, so the "sample" is all of them.
    sampleLimit: leads,
    sampled: false,
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
