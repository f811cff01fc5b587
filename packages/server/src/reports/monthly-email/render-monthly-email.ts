import type { EffectiveBranding, ScoringReportDto } from '@leaddesk/shared';
import { brandSender, supportFooter, supportFooterHtml } from '../../branding/email-branding.js';
import type { MailSender } from '../../channels/email/mailer.js';
import { type ReportTexts, reportTexts } from '../report-text/report-texts.js';

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
  ['hot', '#e11d48'],
  ['warm', '#f59e0b'],
  ['cold', '#3b82f6'],
  ['unscored', '#94a3b8'],
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
export function weeklyBarChart(
  weeks: MonthlyFigures['temperatureByWeek'],
  labels: ReportTexts['monthly'] = reportTexts('en').monthly,
): string {
  const total = (w: (typeof weeks)[number]) => w.hot + w.warm + w.cold + w.unscored;
  const max = Math.max(1, ...weeks.map(total));
  const rows = weeks
    .map((w) => {
      const cells = SERIES.filter(([k]) => w[k] > 0)
        .map(([k, color]) => {
          const label = labels[k];
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
    ([k, color]) =>
      `<span style="display:inline-block;width:10px;height:10px;background:${color}"></span>&nbsp;${labels[k]}&nbsp;&nbsp;`,
  ).join('');
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" data-chart="leads-by-week">${rows}</table><p style="font-size:12px;color:#475569;margin:6px 0 0">${legend}</p>`;
}

/** The monthly report email, HTML and plain text, in the tenant's language (report-text/). */
export function renderMonthlyEmail(input: {
  business: string;
  figures: MonthlyFigures;
  dashboardUrl: string;
  locale?: string | null;
  /** The client's effective branding: product name, sender, support link. */
  brand: EffectiveBranding;
}): RenderedMonthlyEmail {
  const f = input.figures;
  const texts = reportTexts(input.locale);
  const t = texts.monthly;
  const product = input.brand.productName;
  const money = (v: number) => texts.money(v, f.currency);
  const n = texts.number;
  const rt = f.responseTime;
  const target =
    rt.meetsTarget === null
      ? ''
      : t.target(texts.duration(rt.p90Seconds ?? 0), texts.duration(rt.targetSeconds), rt.meetsTarget);
  const model =
    f.model.source === 'model'
      ? t.model(f.model.trainingSize, f.model.auc === null ? null : f.model.auc.toFixed(2))
      : t.heuristic;
  const rows: Array<[string, string, string]> = [
    ['response', t.responseTime, `${rt.headline}${rt.count ? t.overFirstResponses(rt.count) : ''}${target}`],
    ['after-hours', t.afterHours, n(f.afterHours.inquiries)],
    ['missed-revenue', t.missedRevenueCaught, t.worth(f.afterHours.qualified, money(f.afterHours.qualifiedValue))],
    ['leads', t.newLeads, n(f.leads.leads)],
    ['qualified', t.qualified, n(f.leads.qualified)],
    ['temperature', t.temperature, `${n(f.leads.hot)} / ${n(f.leads.warm)} / ${n(f.leads.cold)}`],
    ['won', t.won, n(f.leads.won)],
    ['scoring', t.scoring, model],
  ];
  const subject = t.subject(product, input.business, f.monthLabel);
  const title = t.title(product, input.business);
  const text =
    [
      title,
      f.monthLabel,
      '',
      ...rows.map(([, k, v]) => `${k}: ${v}`),
      '',
      t.chartText,
      ...f.temperatureByWeek.map((w) => `  ${w.weekStart}: ${w.hot} / ${w.warm} / ${w.cold} / ${w.unscored}`),
      '',
      `${t.open}: ${input.dashboardUrl}`,
    ].join('\n') + supportFooter(input.brand);
  const html = `<!doctype html><html lang="${escapeHtml(texts.language)}"><body style="font-family:system-ui,sans-serif;color:#0f172a">
<h1 style="font-size:18px">${escapeHtml(title)}</h1>
<p style="color:#475569">${escapeHtml(f.monthLabel)}</p>
<table role="presentation" style="border-collapse:collapse">${rows
    .map(
      ([id, k, v]) =>
        `<tr><td style="padding:4px 16px 4px 0">${escapeHtml(k)}</td><td style="padding:4px 0;font-weight:600" data-figure="${id}">${escapeHtml(v)}</td></tr>`,
    )
    .join('')}</table>
<h2 style="font-size:15px;margin-top:20px">${escapeHtml(t.chartTitle)}</h2>
${weeklyBarChart(f.temperatureByWeek, t)}
<p><a href="${escapeHtml(input.dashboardUrl)}">${escapeHtml(t.open)}</a></p>
${supportFooterHtml(input.brand)}
</body></html>`;
  return { subject, html, text, from: brandSender(input.brand) };
}
