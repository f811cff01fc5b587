import type { ReportInsightsDto, WilsonInterval } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';
import { wilsonInterval } from './wilson.js';

type Query = Pick<Sql, 'query'>;

/**
 * The A/B prompt variants over the conversations started in the period that
 * were assigned one (`conversations.prompt_variant`, written the first time
 * the AI answers; partial index on `(client_id, created_at)`). The unit is
 * the conversation, as assignment is per conversation; a conversation counts
 * as qualified / hot by its lead as it stands now (the same statuses as the
 * experiment's own statistics: qualified, appointment booked, handed off,
 * closed won). A lead with conversations in both variants counts in both.
 */
export async function variantResults(
  sql: Query,
  clientId: string,
  window: { start: Date; end: Date },
): Promise<ReportInsightsDto['promptVariants']> {
  const rows = await sql.query<
    Array<{ variant: string; conversations: number; leads: number; qualified: number; hot: number }>
  >(
    `select c.prompt_variant as variant, count(*)::int as conversations, count(distinct c.lead_id)::int as leads,
       count(*) filter (where l.status in ('qualified', 'appointment_booked', 'handed_off', 'closed_won'))::int as qualified,
       count(*) filter (where l.temperature = 'hot')::int as hot
     from conversations c left join leads l on l.id = c.lead_id and l.client_id = c.client_id
     where c.client_id = ? and c.prompt_variant is not null and c.created_at >= ? and c.created_at < ?
     group by 1 order by 1`,
    [clientId, window.start, window.end],
  );
  const variants = rows.map((r) => ({
    variant: r.variant,
    conversations: r.conversations,
    leads: r.leads,
    qualified: r.qualified,
    hotLeads: r.hot,
    qualificationRate: wilsonInterval(r.qualified, r.conversations),
    hotLeadRate: wilsonInterval(r.hot, r.conversations),
  }));
  return {
    variants,
    qualificationLeader: leader(variants.map((v) => [v.variant, v.qualificationRate])),
    hotLeadLeader: leader(variants.map((v) => [v.variant, v.hotLeadRate])),
  };
}

/** The variant whose whole interval lies above every other's (no overlap): a difference the data supports. */
function leader(rates: Array<[string, WilsonInterval | null]>): string | null {
  if (rates.length < 2) return null;
  for (const [variant, interval] of rates) {
    if (!interval) continue;
    if (rates.every(([other, o]) => other === variant || (o !== null && interval.low > o.high))) return variant;
  }
  return null;
}
