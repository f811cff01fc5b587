import { FUNNEL_STEPS, type ReportInsightsDto } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';

type Query = Pick<Sql, 'query'>;

/** A channel needs this many leads in the period before it can be called the best. */
export const MIN_CHANNEL_LEADS = 10;

/**
 * How far a lead got, as it stands now (0 new … 4 won); a later step implies
 * the earlier ones. Statuses that leave the funnel (nurturing, lost,
 * disqualified) keep what the lead shows: an appointment time means it
 * booked, an intake answer that it was qualifying.
 */
export const STAGE = `case
    when l.status = 'closed_won' then 4
    when l.status = 'appointment_booked' or l.appointment_at is not null then 3
    when l.status in ('qualified', 'handed_off') then 2
    when l.status = 'qualifying' then 1
    when l.status in ('nurturing', 'closed_lost', 'disqualified')
      and (jsonb_strip_nulls(l.qualification - 'custom') <> '{}'::jsonb
        or coalesce(l.qualification -> 'custom', '{}'::jsonb) <> '{}'::jsonb) then 1
    else 0 end`;

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * The period's leads (created on the local days [from, to]) counted by
 * source channel and stage, summed from the daily rollup (`report_lead_daily`,
 * where the refresh wrote each day's leads with STAGE): the best-channel table
 * and the funnel.
 */
export async function leadFunnel(
  sql: Query,
  clientId: string,
  days: { from: string; to: string },
): Promise<{ channels: ReportInsightsDto['channels']; steps: ReportInsightsDto['funnel']['steps'] }> {
  const rows = await sql.query<Array<{ channel: string; stage: number; n: number }>>(
    `select channel, stage, sum(n)::int as n
     from report_lead_daily where client_id = ? and day between ?::date and ?::date
     group by 1, 2`,
    [clientId, days.from, days.to],
  );
  const reached = (stage: number, channel?: string) =>
    rows.filter((r) => r.stage >= stage && (!channel || r.channel === channel)).reduce((s, r) => s + r.n, 0);

  const byChannel = [...new Set(rows.map((r) => r.channel))].sort().map((channel) => {
    const leads = reached(0, channel);
    const qualified = reached(2, channel);
    const booked = reached(3, channel);
    return {
      channel,
      leads,
      qualified,
      booked,
      qualificationRate: ratio(qualified, leads),
      bookingRate: ratio(booked, leads),
      eligible: leads >= MIN_CHANNEL_LEADS,
    };
  });
  // Best: the highest booking rate; ties go to the higher qualification rate, then more leads, then A–Z.
  const ranked = byChannel
    .filter((c) => c.eligible)
    .sort(
      (a, b) =>
        b.booked / b.leads - a.booked / a.leads ||
        b.qualified / b.leads - a.qualified / a.leads ||
        b.leads - a.leads ||
        a.channel.localeCompare(b.channel),
    );
  const best = ranked[0] ?? null;
  const percent = (r: number | null) => `${Math.round((r ?? 0) * 1000) / 10} %`;
  const reason = best
    ? `${best.channel}: ${percent(best.bookingRate)} of its ${best.leads} leads booked (${best.booked}), ${percent(best.qualificationRate)} qualified`
    : `no channel has ${MIN_CHANNEL_LEADS} leads in the period`;

  const counts = FUNNEL_STEPS.map((_, i) => reached(i));
  const steps = FUNNEL_STEPS.map((step, i) => {
    const previous = i === 0 ? null : (counts[i - 1] ?? 0);
    const dropOff = previous === null ? 0 : previous - (counts[i] ?? 0);
    return {
      step,
      count: counts[i] ?? 0,
      dropOff,
      dropOffRate: previous === null ? null : ratio(dropOff, previous),
    };
  });
  return {
    channels: { minLeads: MIN_CHANNEL_LEADS, best: best?.channel ?? null, reason, byChannel },
    steps,
  };
}
