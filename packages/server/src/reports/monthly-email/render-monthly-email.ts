import type { EffectiveBranding, ScoringReportDto } from '@leaddesk/shared';
import { brandSender, supportFooter, supportFooterHtml } from '../../branding/email-branding.js';
import type { MailSender } from '../../channels/email/mailer.js';
import { formatDuration } from '../build-report.js';

/** Last month's headline numbers, as the email shows them (docs/reports.md, "Monthly report email"). */
export interface MonthlyFigures {
  /** YYYY-MM */
  month: string;
  /** "November 2026" */
  monthLabel: string;
  currency: string;
  responseTime: {
    headline: string;
    averageSeconds: number | null;
    count: number;
    p90Seconds: number | null;
    targetSeconds: number;
    meetsTarget: boolean | null;
  };
  afterHours: { inquiries: number; qualified: number; qualifiedValue: number; won: number; wonValue: number };
  leads: ScoringReportDto['summary'];
  temperatureByWeek: ScoringReportDto['temperatureByWeek'];
  model: { source: 'model' | 'heuristic'; trainingSize: number; auc: number | null; brier: number | null };
}

export interface RenderedMonthlyEmail {
  subject: string;
  html: string;
  text: string;
  from: MailSender;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const SERIES = [
  ['hot', 'Hot', '#e11d48'],
  ['warm', 'Warm', '#f59e0b'],
  ['cold', 'Cold', '#3b82f6'],
  ['unscored', 'Unscored', '#94a3b8'],
] as const;

/** The widest bar, in pixels: a table of fixed cell widths renders the same in every mail client. */
const BAR_PX = 320;

/**
 * The chart as an HTML table: one row per week, a stacked bar of fixed-width
 * coloured cells (`bgcolor` and `width` attributes, which Outlook honours too)
 * with the counts beside it. Why not SVG or an image: most mail clients drop
 * inline SVG, and a PNG is blocked until the reader allows images; a table
 * is shown everywhere and stays readable as text.
 */
export function weeklyBarChart(weeks: MonthlyFigures['temperatureByWeek']): string {
  const total = (w: (typeof weeks)[number]) => w.hot + w.warm + w.cold + w.unscored;
  const max = Math.max(1, ...weeks.map(total));
  const rows = weeks
    .map((w) => {
      const cells = SERIES.filter(([k]) => w[k] > 0)
        .map(([k, label, color]) => {
          const px = Math.max(2, Math.round((w[k] / max) * BAR_PX));
          return `<td width="${px}" height="14" bgcolor="${color}" style="background:${color};width:${px}px;height:14px;font-size:0;line-height:0" title="${label}: ${w[k]}">&nbsp;</td>`;
        })
        .join('');
      const bar = cells
        ? `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>${cells}</tr></table>`
        : '';
      return `<tr data-week="${w.weekStart}"><td style="padding:3px 8px 3px 0;font-size:12px;color:#475569;white-space:nowrap">${w.weekStart.slice(5)}</td><td style="padding:3px 0">${bar}</td><td style="padding:3px 0 3px 8px;font-size:12px;white-space:nowrap" data-total>${total(w)}</td></tr>`;
    })
    .join('');
  const legend = SERIES.map(
    ([, label, color]) =>
      `<span style="display:inline-block;width:10px;height:10px;background:${color}"></span>&nbsp;${label}&nbsp;&nbsp;`,
  ).join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" data-chart="leads-by-week">${rows}</table><p style="font-size:12px;color:#475569;margin:6px 0 0">${legend}</p>`;
}

/** The monthly report email, HTML and plain text (English). */
export function renderMonthlyEmail(input: {
  business: string;
  figures: MonthlyFigures;
  dashboardUrl: string;
  /** The client's effective branding: product name, sender, support link. */
  brand: EffectiveBranding;
}): RenderedMonthlyEmail {
  const f = input.figures;
  const money = (v: number) =>
    new Intl.NumberFormat('en', { style: 'currency', currency: f.currency, maximumFractionDigits: 0 }).format(v);
  const rt = f.responseTime;
  const target =
    rt.meetsTarget === null
      ? ''
      : ` (p90 ${formatDuration(rt.p90Seconds ?? 0)}, target ${formatDuration(rt.targetSeconds)}: ${rt.meetsTarget ? 'met' : 'missed'})`;
  const model =
    f.model.source === 'model'
      ? `Conversion model fitted on ${f.model.trainingSize} closed leads${f.model.auc === null ? '' : `, AUC ${f.model.auc.toFixed(2)}`}`
      : 'Heuristic score (too few closed leads for a conversion model)';
  const rows: Array<[string, string, string]> = [
    ['response', 'Response time', `${rt.headline}${rt.count ? ` over ${rt.count} first responses` : ''}${target}`],
    ['after-hours', 'After-hours inquiries', String(f.afterHours.inquiries)],
    [
      'missed-revenue',
      'Qualified after hours (missed revenue caught)',
      `${f.afterHours.qualified}, worth ${money(f.afterHours.qualifiedValue)}`,
    ],
    ['leads', 'New leads', String(f.leads.leads)],
    ['qualified', 'Qualified leads', String(f.leads.qualified)],
    ['temperature', 'Hot / warm / cold', `${f.leads.hot} / ${f.leads.warm} / ${f.leads.cold}`],
    ['won', 'Won', String(f.leads.won)],
    ['scoring', 'Lead scoring', model],
  ];
  const subject = `${input.brand.productName} monthly report: ${input.business}, ${f.monthLabel}`;
  const text =
    [
      `${input.brand.productName} monthly report: ${input.business}`,
      f.monthLabel,
      '',
      ...rows.map(([, k, v]) => `${k}: ${v}`),
      '',
      'New leads by week (hot / warm / cold / unscored):',
      ...f.temperatureByWeek.map((w) => `  ${w.weekStart}: ${w.hot} / ${w.warm} / ${w.cold} / ${w.unscored}`),
      '',
      `Open the reports: ${input.dashboardUrl}`,
    ].join('\n') + supportFooter(input.brand);
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;color:#0f172a">
<h1 style="font-size:18px">${escapeHtml(input.brand.productName)} monthly report: ${escapeHtml(input.business)}</h1>
<p style="color:#475569">${escapeHtml(f.monthLabel)}</p>
<table role="presentation" style="border-collapse:collapse">${rows
    .map(
      ([id, k, v]) =>
        `<tr><td style="padding:4px 16px 4px 0">${escapeHtml(k)}</td><td style="padding:4px 0;font-weight:600" data-figure="${id}">${escapeHtml(v)}</td></tr>`,
    )
    .join('')}</table>
<h2 style="font-size:15px;margin-top:20px">New leads by week and temperature</h2>
${weeklyBarChart(f.temperatureByWeek)}
<p><a href="${escapeHtml(input.dashboardUrl)}">Open the reports</a></p>
${supportFooterHtml(input.brand)}
</body></html>`;
  return { subject, html, text, from: brandSender(input.brand) };
}
