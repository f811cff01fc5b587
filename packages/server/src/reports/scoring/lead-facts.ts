import { CHANNELS, type ResponseBucket } from '@leaddesk/shared';
import { isOpenAt, type Schedule } from '../../automation/business-hours/index.js';
import type { Sql } from '../../db/sql.js';

type Query = Pick<Sql, 'query'>;

/**
 * What the scoring report and the conversion model know of a lead: its
 * score and the facts the default scoring rules weigh, its channel, when it
 * came (in or out of hours) and how fast its first conversation was answered.
 * Definitions: docs/reports.md ("Lead scoring report").
 */
export interface LeadFacts {
  id: string;
  status: string;
  temperature: string;
  score: number | null;
  hasEmail: boolean;
  hasPhone: boolean;
  namedService: boolean;
  urgency: string | null;
  channel: string;
  createdAt: Date;
  /**
   * The lead's first conversation (the one whose first visitor message is
   * earliest): seconds from that message to the first AI or staff message after
   * it; null when never answered or when the lead has no visitor message.
   */
  firstResponseSeconds: number | null;
}

/** Upper bounds (seconds, exclusive) of the answered buckets, in RESPONSE_BUCKETS order. */
const BUCKET_LIMITS: Array<[ResponseBucket, number]> = [
  ['under_1_min', 60],
  ['1_5_min', 300],
  ['5_30_min', 1800],
  ['30_120_min', 7200],
  ['2_24_h', 86_400],
  ['over_24_h', Number.POSITIVE_INFINITY],
];

/** The first-response bucket of the scoring report (docs/reports.md, "Lead scoring report"). */
export function bucketOf(seconds: number | null): ResponseBucket {
  if (seconds === null) return 'never';
  return (BUCKET_LIMITS.find(([, limit]) => seconds < limit) as [ResponseBucket, number])[0];
}

/** The first response of each lead's first conversation, by message order (`seq`), like the SLA report's. */
const FIRST_RESPONSE = `left join lateral (
    select extract(epoch from (r.created_at - v.created_at))::float8 as seconds
    from conversations c
    cross join lateral (select m.seq, m.created_at from messages m
      where m.conversation_id = c.id and m.role = 'visitor' order by m.seq limit 1) v
    left join lateral (select m.created_at from messages m
      where m.conversation_id = c.id and m.seq > v.seq and m.role in ('ai', 'staff') order by m.seq limit 1) r on true
    where c.client_id = l.client_id and c.lead_id = l.id
    order by v.created_at, c.id limit 1) fr on true`;

const COLUMNS = `l.id, l.status, l.temperature, l.score, l.email is not null as has_email, l.phone is not null as has_phone,
    coalesce(l.qualification->>'serviceInterest', '') <> '' as named_service, l.qualification->>'urgency' as urgency,
    l.source, l.created_at, fr.seconds`;

interface Row {
  id: string;
  status: string;
  temperature: string;
  score: number | null;
  has_email: boolean;
  has_phone: boolean;
  named_service: boolean;
  urgency: string | null;
  source: string;
  created_at: Date | string;
  seconds: number | string | null;
}

const toFacts = (r: Row): LeadFacts => ({
  id: r.id,
  status: r.status,
  temperature: r.temperature,
  score: r.score === null ? null : Number(r.score),
  hasEmail: Boolean(r.has_email),
  hasPhone: Boolean(r.has_phone),
  namedService: Boolean(r.named_service),
  urgency: r.urgency,
  channel: r.source,
  createdAt: new Date(r.created_at),
  firstResponseSeconds: r.seconds === null ? null : Math.max(0, Number(r.seconds)),
});

/** Closed leads (won or lost) created in [start, end). */
export async function closedLeadsCreated(q: Query, clientId: string, start: Date, end: Date): Promise<LeadFacts[]> {
  const rows = await q.query<Row[]>(
    `select ${COLUMNS} from leads l ${FIRST_RESPONSE}
     where l.client_id = ? and l.created_at >= ? and l.created_at < ? and l.status in ('closed_won', 'closed_lost')`,
    [clientId, start, end],
  );
  return rows.map(toFacts);
}

/** The tenant's most recent closed leads (the model's training set), ordered by id (reproducible folds). */
export async function trainingLeads(q: Query, clientId: string, limit = 5000): Promise<LeadFacts[]> {
  const rows = await q.query<Row[]>(
    `select * from (select ${COLUMNS} from leads l ${FIRST_RESPONSE}
       where l.client_id = ? and l.status in ('closed_won', 'closed_lost')
       order by l.created_at desc limit ?) t order by t.id`,
    [clientId, limit],
  );
  return rows.map(toFacts);
}

export async function leadFacts(q: Query, clientId: string, leadId: string): Promise<LeadFacts | null> {
  const rows = await q.query<Row[]>(
    `select ${COLUMNS} from leads l ${FIRST_RESPONSE} where l.client_id = ? and l.id = ?`,
    [clientId, leadId],
  );
  return rows[0] ? toFacts(rows[0]) : null;
}

/** The model's features, in order (docs/reports.md, "Conversion probability"). */
export const FEATURES = [
  'score',
  'has_email',
  'has_phone',
  'named_service',
  'urgency',
  'after_hours',
  'log_first_response_minutes',
  'never_answered',
  ...CHANNELS.map((c) => `channel_${c}`),
] as const;

/** A day: slower first answers are all "a day or more" to the model. */
const CAP_MINUTES = 1440;

export function featureVector(facts: LeadFacts, schedule: Schedule): number[] {
  const minutes =
    facts.firstResponseSeconds === null ? CAP_MINUTES : Math.min(CAP_MINUTES, facts.firstResponseSeconds / 60);
  return [
    (facts.score ?? 0) / 100,
    facts.hasEmail ? 1 : 0,
    facts.hasPhone ? 1 : 0,
    facts.namedService ? 1 : 0,
    facts.urgency === 'high' ? 1 : facts.urgency === 'medium' ? 0.5 : 0,
    isOpenAt(schedule, facts.createdAt) ? 0 : 1,
    Math.log1p(minutes),
    facts.firstResponseSeconds === null ? 1 : 0,
    ...CHANNELS.map((c) => (facts.channel === c ? 1 : 0)),
  ];
}
