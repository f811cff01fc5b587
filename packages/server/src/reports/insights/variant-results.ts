import type { ReportInsightsDto, WilsonInterval } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';
import { wilsonInterval } from './wilson.js';

type Query = Pick<Sql, 'query'>;

export interface VariantCount {
  variant: string;
  conversations: number;
  /** Distinct leads. */
  leads: number;
  qualified: number;
  hot: number;
  /** The leads that also had a conversation in this variant outside the window. */
  shared_leads: string[];
}

/**
 * The A/B prompt variants over the conversations started in [start, end) that
 * were assigned one (`conversations.prompt_variant`, written the first time
 * the AI answers; partial index on `(client_id, created_at)`). The unit is
 * the conversation, as assignment is per conversation; a conversation counts
 * as qualified / hot by its lead as it stands now (the same statuses as the
 * experiment's own statistics: qualified, appointment booked, handed off,
 * closed won). A lead with conversations in both variants counts in both.
 */
export async function variantCounts(
  sql: Query,
  clientId: string,
  window: { start: Date; end: Date },
): Promise<VariantCount[]> {
  return sql.query<VariantCount[]>(
    `select c.prompt_variant as variant, count(*)::int as conversations, count(distinct c.lead_id)::int as leads,
       count(*) filter (where l.status in ('qualified', 'appointment_booked', 'handed_off', 'closed_won'))::int as qualified,
       count(*) filter (where l.temperature = 'hot')::int as hot,
       coalesce(array_agg(distinct c.lead_id) filter (where c.lead_id is not null and exists (
         select 1 from conversations o where o.client_id = c.client_id and o.lead_id = c.lead_id
           and o.prompt_variant = c.prompt_variant and (o.created_at < ? or o.created_at >= ?))), '{}') as shared_leads
     from conversations c left join leads l on l.id = c.lead_id and l.client_id = c.client_id
     where c.client_id = ? and c.prompt_variant is not null and c.created_at >= ? and c.created_at < ?
     group by 1 order by 1`,
    [window.start, window.end, clientId, window.start, window.end],
  );
}

/**
 * The variants of the local days [from, to], summed from the daily rollup
 * (`report_variant_daily`). A lead is counted once however many of the
 * period's days it had conversations in the variant: each day counts its
 * distinct leads and lists those that also had one on another day
 * (`shared_leads`); a lead listed on k of the period's days was counted k
 * times, so k − 1 come off.
 */
export async function variantResults(
  sql: Query,
  clientId: string,
  days: { from: string; to: string },
): Promise<ReportInsightsDto['promptVariants']> {
  const rows = await sql.query<
    Array<{ variant: string; conversations: number; leads: number; qualified: number; hot: number }>
  >(
    `with d as (select * from report_variant_daily where client_id = ? and day between ?::date and ?::date),
     repeats as (select variant, count(*) - count(distinct lead) as n from d cross join unnest(d.shared_leads) lead
       group by 1)
     select d.variant, sum(d.conversations)::int as conversations,
       (sum(d.leads) - coalesce(max(r.n), 0))::int as leads,
       sum(d.qualified)::int as qualified, sum(d.hot)::int as hot
     from d left join repeats r on r.variant = d.variant group by 1 order by 1`,
    [clientId, days.from, days.to],
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
