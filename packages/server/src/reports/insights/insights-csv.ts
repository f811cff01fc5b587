import type { ReportInsightsDto } from '@leaddesk/shared';
import type { CsvColumn } from '../../http/csv-response.js';

/**
 * The insights report as one long table: a row per figure (section, item,
 * metric, value), so a spreadsheet filters and pivots it without knowing the
 * report's shape. The columns are documented in docs/reports.md.
 */
export interface InsightsCsvRow {
  section: string;
  item: string;
  label: string;
  metric: string;
  value: string | number | null;
}

const WEEKDAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function insightsCsvColumns(report: ReportInsightsDto): CsvColumn<InsightsCsvRow>[] {
  return [
    { header: 'from', value: () => report.from },
    { header: 'to', value: () => report.to },
    { header: 'timezone', value: () => report.timezone },
    { header: 'section', value: (r) => r.section },
    { header: 'item', value: (r) => r.item },
    { header: 'label', value: (r) => r.label },
    { header: 'metric', value: (r) => r.metric },
    { header: 'value', value: (r) => r.value },
  ];
}

/** One batch per section: sendCsv streams them as they come. */
export function* insightsCsvBatches(report: ReportInsightsDto): Generator<InsightsCsvRow[]> {
  const figures = (section: string, item: string, label: string, values: Record<string, string | number | null>) =>
    Object.entries(values).map(([metric, value]) => ({ section, item, label, metric, value }));

  yield [
    ...figures('best_channel', report.channels.best ?? '', report.channels.reason, {
      best_channel: report.channels.best ?? '',
      min_leads: report.channels.minLeads,
    }),
    ...report.channels.byChannel.flatMap((c) =>
      figures('channel', c.channel, c.channel, {
        leads: c.leads,
        qualified: c.qualified,
        booked: c.booked,
        qualification_rate: c.qualificationRate,
        booking_rate: c.bookingRate,
        eligible: yesNo(c.eligible),
      }),
    ),
  ];
  yield report.questions.clusters.flatMap((c, i) =>
    figures('question', String(i + 1), c.representative, {
      count: c.count,
      languages: c.languages.join(' '),
      terms: c.terms.join(' '),
      unanswered: c.unanswered,
      answered: yesNo(c.answered),
    }),
  );
  yield report.bookingHeatMap.cells.flatMap((c) =>
    figures(
      'booking_heat_map',
      `${c.weekday}-${String(c.hour).padStart(2, '0')}`,
      `${WEEKDAY_NAMES[c.weekday - 1]} ${String(c.hour).padStart(2, '0')}:00`,
      { requested: c.requested, booked: c.booked },
    ),
  );
  yield [
    ...report.funnel.steps.flatMap((s) =>
      figures('funnel', s.step, s.step, { count: s.count, drop_off: s.dropOff, drop_off_rate: s.dropOffRate }),
    ),
    ...report.funnel.intake.questions.flatMap((q) =>
      figures('intake_question', q.id, q.question, {
        asked: q.asked,
        answered: q.answered,
        stopped_here: q.stoppedHere,
      }),
    ),
  ];
  yield report.followUps.flatMap((f) =>
    figures('follow_up_step', `${f.sequence}:${f.step}`, `${f.sequence} step ${f.step}`, {
      sent: f.sent,
      replies: f.replies,
      reply_rate: f.replyRate,
      bookings: f.bookings,
      booking_rate: f.bookingRate,
    }),
  );
  yield report.promptVariants.variants.flatMap((v) =>
    figures('prompt_variant', v.variant, v.variant, {
      conversations: v.conversations,
      leads: v.leads,
      qualified: v.qualified,
      hot_leads: v.hotLeads,
      qualification_rate: v.qualificationRate?.rate ?? null,
      qualification_rate_low: v.qualificationRate?.low ?? null,
      qualification_rate_high: v.qualificationRate?.high ?? null,
      hot_lead_rate: v.hotLeadRate?.rate ?? null,
      hot_lead_rate_low: v.hotLeadRate?.low ?? null,
      hot_lead_rate_high: v.hotLeadRate?.high ?? null,
    }),
  );
}
