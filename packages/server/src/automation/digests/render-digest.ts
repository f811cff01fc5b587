import type { ContentLanguage, EffectiveBranding } from '@leaddesk/shared';
import { brandSender, supportFooter, supportFooterHtml } from '../../branding/email-branding.js';
import type { MailSender } from '../../channels/email/mailer.js';
import type { DigestFigures } from './digest-figures.js';

type Labels = Record<
  | 'title'
  | 'daily'
  | 'weekly'
  | 'newLeads'
  | 'hotLeads'
  | 'afterHours'
  | 'unanswered'
  | 'response'
  | 'followUps'
  | 'replies'
  | 'none'
  | 'open',
  string
>;

/** The digest's words in the six content languages (the tenant's locale picks one). */
const LABELS: Record<ContentLanguage, Labels> = {
  en: {
    title: '{product} digest',
    daily: 'Yesterday',
    weekly: 'Last 7 days',
    newLeads: 'New leads',
    hotLeads: 'Hot leads',
    afterHours: 'Leads caught after hours',
    unanswered: 'Escalations waiting for an answer',
    response: 'First response time (median / p90)',
    followUps: 'Follow-ups sent',
    replies: 'Leads who replied to a follow-up',
    none: 'none',
    open: 'Open the dashboard',
  },
  es: {
    title: 'Resumen de {product}',
    daily: 'Ayer',
    weekly: 'Últimos 7 días',
    newLeads: 'Nuevos leads',
    hotLeads: 'Leads calientes',
    afterHours: 'Leads atendidos fuera de horario',
    unanswered: 'Escalados sin respuesta',
    response: 'Tiempo de primera respuesta (mediana / p90)',
    followUps: 'Seguimientos enviados',
    replies: 'Leads que respondieron a un seguimiento',
    none: 'ninguno',
    open: 'Abrir el panel',
  },
  fr: {
    title: 'Récapitulatif {product}',
    daily: 'Hier',
    weekly: '7 derniers jours',
    newLeads: 'Nouveaux prospects',
    hotLeads: 'Prospects chauds',
    afterHours: 'Prospects pris en charge hors horaires',
    unanswered: 'Escalades en attente de réponse',
    response: 'Délai de première réponse (médiane / p90)',
    followUps: 'Relances envoyées',
    replies: 'Prospects ayant répondu à une relance',
    none: 'aucun',
    open: 'Ouvrir le tableau de bord',
  },
  de: {
    title: '{product} Zusammenfassung',
    daily: 'Gestern',
    weekly: 'Letzte 7 Tage',
    newLeads: 'Neue Leads',
    hotLeads: 'Heiße Leads',
    afterHours: 'Leads außerhalb der Geschäftszeiten',
    unanswered: 'Unbeantwortete Eskalationen',
    response: 'Erste Antwortzeit (Median / p90)',
    followUps: 'Gesendete Nachfassaktionen',
    replies: 'Leads, die auf eine Nachfassaktion antworteten',
    none: 'keine',
    open: 'Dashboard öffnen',
  },
  pt: {
    title: 'Resumo do {product}',
    daily: 'Ontem',
    weekly: 'Últimos 7 dias',
    newLeads: 'Novos leads',
    hotLeads: 'Leads quentes',
    afterHours: 'Leads atendidos fora de horas',
    unanswered: 'Escalamentos sem resposta',
    response: 'Tempo de primeira resposta (mediana / p90)',
    followUps: 'Seguimentos enviados',
    replies: 'Leads que responderam a um seguimento',
    none: 'nenhum',
    open: 'Abrir o painel',
  },
  it: {
    title: 'Riepilogo {product}',
    daily: 'Ieri',
    weekly: 'Ultimi 7 giorni',
    newLeads: 'Nuovi lead',
    hotLeads: 'Lead caldi',
    afterHours: 'Lead gestiti fuori orario',
    unanswered: 'Escalation senza risposta',
    response: 'Tempo di prima risposta (mediana / p90)',
    followUps: 'Follow-up inviati',
    replies: 'Lead che hanno risposto a un follow-up',
    none: 'nessuno',
    open: 'Apri la dashboard',
  },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
  from: MailSender;
}

/** The digest email, HTML and plain text, in the tenant's locale (numbers formatted for it). */
export function renderDigest(input: {
  business: string;
  locale: string;
  frequency: 'daily' | 'weekly';
  periodLabel: string;
  figures: DigestFigures;
  dashboardUrl: string;
  /** The client's effective branding: product name in the title, sender, support link. */
  brand: EffectiveBranding;
}): RenderedDigest {
  const lang = (Object.keys(LABELS) as ContentLanguage[]).find((l) => input.locale.toLowerCase().startsWith(l)) ?? 'en';
  const t = { ...LABELS[lang], title: LABELS[lang].title.replace('{product}', input.brand.productName) };
  let number: Intl.NumberFormat;
  try {
    number = new Intl.NumberFormat(input.locale);
  } catch {
    number = new Intl.NumberFormat('en');
  }
  const f = input.figures;
  const duration = (s: number | null) => {
    if (s === null) return t.none;
    if (s < 120) return `${number.format(s)} s`;
    if (s < 5400) return `${number.format(Math.round(s / 60))} min`;
    return `${number.format(Math.round(s / 360) / 10)} h`;
  };
  const rows: Array<[string, string]> = [
    [t.newLeads, number.format(f.newLeads)],
    [t.hotLeads, number.format(f.hotLeads)],
    [t.afterHours, number.format(f.afterHoursLeads)],
    [t.unanswered, number.format(f.unansweredEscalations)],
    [t.response, `${duration(f.responseSeconds.median)} / ${duration(f.responseSeconds.p90)}`],
    [t.followUps, number.format(f.followUpsSent)],
    [t.replies, number.format(f.followUpReplies)],
  ];
  const when = `${input.frequency === 'daily' ? t.daily : t.weekly} (${input.periodLabel})`;
  const subject = `${t.title}: ${input.business}, ${when}`;
  const text =
    [
      `${t.title}: ${input.business}`,
      when,
      '',
      ...rows.map(([k, v]) => `${k}: ${v}`),
      '',
      `${t.open}: ${input.dashboardUrl}`,
    ].join('\n') + supportFooter(input.brand);
  const html = `<!doctype html><html lang="${lang}"><body style="font-family:system-ui,sans-serif;color:#0f172a">
<h1 style="font-size:18px">${escapeHtml(t.title)}: ${escapeHtml(input.business)}</h1>
<p style="color:#475569">${escapeHtml(when)}</p>
<table style="border-collapse:collapse">${rows
    .map(
      ([k, v]) =>
        `<tr><td style="padding:4px 16px 4px 0">${escapeHtml(k)}</td><td style="padding:4px 0;font-weight:600" data-figure>${escapeHtml(v)}</td></tr>`,
    )
    .join('')}</table>
<p><a href="${escapeHtml(input.dashboardUrl)}">${escapeHtml(t.open)}</a></p>
${supportFooterHtml(input.brand)}
</body></html>`;
  return { subject, html, text, from: brandSender(input.brand) };
}
