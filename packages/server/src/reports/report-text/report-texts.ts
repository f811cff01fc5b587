import type { ReportPeriod } from '@leaddesk/shared';
import { formatDuration } from './format-duration.js';

/**
 * The sentences reports say (headlines, the monthly email), in the tenant's
 * language: the six the product speaks, from the tenant's locale (`es-MX` →
 * Spanish), else English. Numbers, money, dates and plurals come from Intl
 * in the tenant's full locale, so `es-MX` and `es-ES` agree on the words but
 * each formats its own way. Durations keep SI symbols (s, min, h), read the
 * same in all six.
 */
export const REPORT_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'it'] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

interface Catalogue {
  thisMonth: string;
  lastMonth: string;
  lastDays: (n: number) => string;
  onDay: (day: string) => string;
  fromTo: (from: string, to: string) => string;
  noResponses: string;
  averageResponse: (duration: string) => string;
  /** "You had {n} after-hours inquiries {period}; {q} qualified, worth {money}" */
  afterHoursInquiries: Plural;
  missedRevenue: (inquiries: string, period: string, qualified: number, money: string) => string;
  qualifiedLeads: Plural;
  roi: (product: string, leads: string, money: string, period: string) => string;
  monthly: {
    subject: (product: string, business: string, month: string) => string;
    title: (product: string, business: string) => string;
    responseTime: string;
    overFirstResponses: (n: number) => string;
    target: (p90: string, target: string, met: boolean) => string;
    afterHours: string;
    missedRevenueCaught: string;
    worth: (n: number, money: string) => string;
    newLeads: string;
    qualified: string;
    temperature: string;
    won: string;
    scoring: string;
    model: (n: number, auc: string | null) => string;
    heuristic: string;
    chartTitle: string;
    chartText: string;
    hot: string;
    warm: string;
    cold: string;
    unscored: string;
    open: string;
  };
}

const CATALOGUES: Record<ReportLanguage, Catalogue> = {
  en: {
    thisMonth: 'this month',
    lastMonth: 'last month',
    lastDays: (n) => `in the last ${n} days`,
    onDay: (d) => `on ${d}`,
    fromTo: (a, b) => `from ${a} to ${b}`,
    noResponses: 'No responses in this period',
    averageResponse: (d) => `Average response time: ${d}`,
    afterHoursInquiries: { one: '# after-hours inquiry', other: '# after-hours inquiries' },
    missedRevenue: (i, p, q, m) => `You had ${i} ${p}; ${q} qualified, worth ${m}`,
    qualifiedLeads: { one: '# qualified lead', other: '# qualified leads' },
    roi: (product, l, m, p) => `${product} generated ${l} worth ${m} ${p}`,
    monthly: {
      subject: (product, b, m) => `${product} monthly report: ${b}, ${m}`,
      title: (product, b) => `${product} monthly report: ${b}`,
      responseTime: 'Response time',
      overFirstResponses: (n) => ` over ${n} first responses`,
      target: (p90, t, met) => ` (p90 ${p90}, target ${t}: ${met ? 'met' : 'missed'})`,
      afterHours: 'After-hours inquiries',
      missedRevenueCaught: 'Qualified after hours (missed revenue caught)',
      worth: (n, m) => `${n}, worth ${m}`,
      newLeads: 'New leads',
      qualified: 'Qualified leads',
      temperature: 'Hot / warm / cold',
      won: 'Won',
      scoring: 'Lead scoring',
      model: (n, auc) => `Conversion model fitted on ${n} closed leads${auc ? `, AUC ${auc}` : ''}`,
      heuristic: 'Heuristic score (too few closed leads for a conversion model)',
      chartTitle: 'New leads by week and temperature',
      chartText: 'New leads by week (hot / warm / cold / unscored):',
      hot: 'Hot',
      warm: 'Warm',
      cold: 'Cold',
      unscored: 'Unscored',
      open: 'Open the reports',
    },
  },
  es: {
    thisMonth: 'este mes',
    lastMonth: 'el mes pasado',
    lastDays: (n) => `en los últimos ${n} días`,
    onDay: (d) => `el ${d}`,
    fromTo: (a, b) => `del ${a} al ${b}`,
    noResponses: 'Sin respuestas en este periodo',
    averageResponse: (d) => `Tiempo medio de respuesta: ${d}`,
    afterHoursInquiries: { one: '# consulta fuera de horario', other: '# consultas fuera de horario' },
    missedRevenue: (i, p, q, m) => `Recibió ${i} ${p}; ${q} cualificadas, por valor de ${m}`,
    qualifiedLeads: { one: '# lead cualificado', other: '# leads cualificados' },
    roi: (product, l, m, p) => `${product} generó ${l} por valor de ${m} ${p}`,
    monthly: {
      subject: (product, b, m) => `Informe mensual de ${product}: ${b}, ${m}`,
      title: (product, b) => `Informe mensual de ${product}: ${b}`,
      responseTime: 'Tiempo de respuesta',
      overFirstResponses: (n) => ` en ${n} primeras respuestas`,
      target: (p90, t, met) => ` (p90 ${p90}, objetivo ${t}: ${met ? 'cumplido' : 'no cumplido'})`,
      afterHours: 'Consultas fuera de horario',
      missedRevenueCaught: 'Cualificadas fuera de horario (ingresos recuperados)',
      worth: (n, m) => `${n}, por valor de ${m}`,
      newLeads: 'Leads nuevos',
      qualified: 'Leads cualificados',
      temperature: 'Calientes / templados / fríos',
      won: 'Ganados',
      scoring: 'Puntuación de leads',
      model: (n, auc) => `Modelo de conversión ajustado con ${n} leads cerrados${auc ? `, AUC ${auc}` : ''}`,
      heuristic: 'Puntuación heurística (pocos leads cerrados para un modelo de conversión)',
      chartTitle: 'Leads nuevos por semana y temperatura',
      chartText: 'Leads nuevos por semana (calientes / templados / fríos / sin puntuar):',
      hot: 'Calientes',
      warm: 'Templados',
      cold: 'Fríos',
      unscored: 'Sin puntuar',
      open: 'Abrir los informes',
    },
  },
  fr: {
    thisMonth: 'ce mois-ci',
    lastMonth: 'le mois dernier',
    lastDays: (n) => `ces ${n} derniers jours`,
    onDay: (d) => `le ${d}`,
    fromTo: (a, b) => `du ${a} au ${b}`,
    noResponses: 'Aucune réponse sur cette période',
    averageResponse: (d) => `Temps de réponse moyen : ${d}`,
    afterHoursInquiries: { one: '# demande hors horaires', other: '# demandes hors horaires' },
    missedRevenue: (i, p, q, m) => `Vous avez reçu ${i} ${p} ; ${q} qualifiées, d’une valeur de ${m}`,
    qualifiedLeads: { one: '# prospect qualifié', other: '# prospects qualifiés' },
    roi: (product, l, m, p) => `${product} a généré ${l} d’une valeur de ${m} ${p}`,
    monthly: {
      subject: (product, b, m) => `Rapport mensuel ${product} : ${b}, ${m}`,
      title: (product, b) => `Rapport mensuel ${product} : ${b}`,
      responseTime: 'Temps de réponse',
      overFirstResponses: (n) => ` sur ${n} premières réponses`,
      target: (p90, t, met) => ` (p90 ${p90}, objectif ${t} : ${met ? 'atteint' : 'manqué'})`,
      afterHours: 'Demandes hors horaires',
      missedRevenueCaught: 'Qualifiées hors horaires (revenus rattrapés)',
      worth: (n, m) => `${n}, d’une valeur de ${m}`,
      newLeads: 'Nouveaux prospects',
      qualified: 'Prospects qualifiés',
      temperature: 'Chauds / tièdes / froids',
      won: 'Gagnés',
      scoring: 'Score des prospects',
      model: (n, auc) => `Modèle de conversion ajusté sur ${n} prospects clos${auc ? `, AUC ${auc}` : ''}`,
      heuristic: 'Score heuristique (trop peu de prospects clos pour un modèle de conversion)',
      chartTitle: 'Nouveaux prospects par semaine et température',
      chartText: 'Nouveaux prospects par semaine (chauds / tièdes / froids / sans score) :',
      hot: 'Chauds',
      warm: 'Tièdes',
      cold: 'Froids',
      unscored: 'Sans score',
      open: 'Ouvrir les rapports',
    },
  },
  de: {
    thisMonth: 'diesen Monat',
    lastMonth: 'letzten Monat',
    lastDays: (n) => `in den letzten ${n} Tagen`,
    onDay: (d) => `am ${d}`,
    fromTo: (a, b) => `vom ${a} bis ${b}`,
    noResponses: 'Keine Antworten in diesem Zeitraum',
    averageResponse: (d) => `Durchschnittliche Antwortzeit: ${d}`,
    afterHoursInquiries: {
      one: '# Anfrage außerhalb der Öffnungszeiten',
      other: '# Anfragen außerhalb der Öffnungszeiten',
    },
    missedRevenue: (i, p, q, m) => `Sie hatten ${p} ${i}; ${q} qualifiziert, im Wert von ${m}`,
    qualifiedLeads: { one: '# qualifizierten Lead', other: '# qualifizierte Leads' },
    roi: (product, l, m, p) => `${product} hat ${p} ${l} im Wert von ${m} eingebracht`,
    monthly: {
      subject: (product, b, m) => `${product}-Monatsbericht: ${b}, ${m}`,
      title: (product, b) => `${product}-Monatsbericht: ${b}`,
      responseTime: 'Antwortzeit',
      overFirstResponses: (n) => ` über ${n} erste Antworten`,
      target: (p90, t, met) => ` (p90 ${p90}, Ziel ${t}: ${met ? 'erreicht' : 'verfehlt'})`,
      afterHours: 'Anfragen außerhalb der Öffnungszeiten',
      missedRevenueCaught: 'Qualifiziert außerhalb der Öffnungszeiten (gerettete Umsätze)',
      worth: (n, m) => `${n}, im Wert von ${m}`,
      newLeads: 'Neue Leads',
      qualified: 'Qualifizierte Leads',
      temperature: 'Heiß / warm / kalt',
      won: 'Gewonnen',
      scoring: 'Lead-Bewertung',
      model: (n, auc) => `Konversionsmodell aus ${n} abgeschlossenen Leads${auc ? `, AUC ${auc}` : ''}`,
      heuristic: 'Heuristische Bewertung (zu wenige abgeschlossene Leads für ein Konversionsmodell)',
      chartTitle: 'Neue Leads nach Woche und Temperatur',
      chartText: 'Neue Leads nach Woche (heiß / warm / kalt / ohne Bewertung):',
      hot: 'Heiß',
      warm: 'Warm',
      cold: 'Kalt',
      unscored: 'Ohne Bewertung',
      open: 'Berichte öffnen',
    },
  },
  pt: {
    thisMonth: 'este mês',
    lastMonth: 'no mês passado',
    lastDays: (n) => `nos últimos ${n} dias`,
    onDay: (d) => `em ${d}`,
    fromTo: (a, b) => `de ${a} a ${b}`,
    noResponses: 'Sem respostas neste período',
    averageResponse: (d) => `Tempo médio de resposta: ${d}`,
    afterHoursInquiries: { one: '# pedido fora do horário', other: '# pedidos fora do horário' },
    missedRevenue: (i, p, q, m) => `Recebeu ${i} ${p}; ${q} qualificados, no valor de ${m}`,
    qualifiedLeads: { one: '# lead qualificado', other: '# leads qualificados' },
    roi: (product, l, m, p) => `${product} gerou ${l} no valor de ${m} ${p}`,
    monthly: {
      subject: (product, b, m) => `Relatório mensal ${product}: ${b}, ${m}`,
      title: (product, b) => `Relatório mensal ${product}: ${b}`,
      responseTime: 'Tempo de resposta',
      overFirstResponses: (n) => ` em ${n} primeiras respostas`,
      target: (p90, t, met) => ` (p90 ${p90}, meta ${t}: ${met ? 'cumprida' : 'não cumprida'})`,
      afterHours: 'Pedidos fora do horário',
      missedRevenueCaught: 'Qualificados fora do horário (receita recuperada)',
      worth: (n, m) => `${n}, no valor de ${m}`,
      newLeads: 'Leads novos',
      qualified: 'Leads qualificados',
      temperature: 'Quentes / mornos / frios',
      won: 'Ganhos',
      scoring: 'Pontuação de leads',
      model: (n, auc) => `Modelo de conversão ajustado com ${n} leads fechados${auc ? `, AUC ${auc}` : ''}`,
      heuristic: 'Pontuação heurística (poucos leads fechados para um modelo de conversão)',
      chartTitle: 'Leads novos por semana e temperatura',
      chartText: 'Leads novos por semana (quentes / mornos / frios / sem pontuação):',
      hot: 'Quentes',
      warm: 'Mornos',
      cold: 'Frios',
      unscored: 'Sem pontuação',
      open: 'Abrir os relatórios',
    },
  },
  it: {
    thisMonth: 'questo mese',
    lastMonth: 'il mese scorso',
    lastDays: (n) => `negli ultimi ${n} giorni`,
    onDay: (d) => `il ${d}`,
    fromTo: (a, b) => `dal ${a} al ${b}`,
    noResponses: 'Nessuna risposta in questo periodo',
    averageResponse: (d) => `Tempo medio di risposta: ${d}`,
    afterHoursInquiries: { one: '# richiesta fuori orario', other: '# richieste fuori orario' },
    missedRevenue: (i, p, q, m) => `Ha ricevuto ${i} ${p}; ${q} qualificate, per un valore di ${m}`,
    qualifiedLeads: { one: '# lead qualificato', other: '# lead qualificati' },
    roi: (product, l, m, p) => `${product} ha generato ${l} per un valore di ${m} ${p}`,
    monthly: {
      subject: (product, b, m) => `Report mensile ${product}: ${b}, ${m}`,
      title: (product, b) => `Report mensile ${product}: ${b}`,
      responseTime: 'Tempo di risposta',
      overFirstResponses: (n) => ` su ${n} prime risposte`,
      target: (p90, t, met) => ` (p90 ${p90}, obiettivo ${t}: ${met ? 'raggiunto' : 'mancato'})`,
      afterHours: 'Richieste fuori orario',
      missedRevenueCaught: 'Qualificate fuori orario (ricavi recuperati)',
      worth: (n, m) => `${n}, per un valore di ${m}`,
      newLeads: 'Nuovi lead',
      qualified: 'Lead qualificati',
      temperature: 'Caldi / tiepidi / freddi',
      won: 'Vinti',
      scoring: 'Punteggio dei lead',
      model: (n, auc) => `Modello di conversione stimato su ${n} lead chiusi${auc ? `, AUC ${auc}` : ''}`,
      heuristic: 'Punteggio euristico (troppo pochi lead chiusi per un modello di conversione)',
      chartTitle: 'Nuovi lead per settimana e temperatura',
      chartText: 'Nuovi lead per settimana (caldi / tiepidi / freddi / senza punteggio):',
      hot: 'Caldi',
      warm: 'Tiepidi',
      cold: 'Freddi',
      unscored: 'Senza punteggio',
      open: 'Apri i report',
    },
  },
};

/** A locale Intl accepts (the tenant's own when valid), and the catalogue of its language. */
function resolve(locale: string | null | undefined): { locale: string; language: ReportLanguage } {
  let valid = 'en';
  try {
    valid = locale ? (Intl.getCanonicalLocales(locale)[0] ?? 'en') : 'en';
  } catch {
    // A malformed stored locale must not break a report: English.
  }
  const base = valid.split('-')[0]?.toLowerCase() as ReportLanguage;
  return (REPORT_LANGUAGES as readonly string[]).includes(base)
    ? { locale: valid, language: base }
    : { locale: 'en', language: 'en' };
}

export interface ReportTexts {
  language: ReportLanguage;
  locale: string;
  number(n: number): string;
  money(value: number, currency: string): string;
  duration(seconds: number): string;
  /** A YYYY-MM-DD local date, as the locale writes it. */
  day(isoDate: string): string;
  /** "November 2026", in the locale. */
  month(yyyyMm: string): string;
  period(period: ReportPeriod | null, from: string, to: string): string;
  responseHeadline(averageSeconds: number | null): string;
  missedRevenueHeadline(input: {
    afterHours: number;
    qualified: number;
    value: number;
    currency: string;
    period: string;
  }): string;
  roiHeadline(input: { product: string; qualified: number; value: number; currency: string; period: string }): string;
  monthly: Catalogue['monthly'];
}

/** The report sentences for a tenant's locale. */
export function reportTexts(tenantLocale: string | null | undefined): ReportTexts {
  const { locale, language } = resolve(tenantLocale);
  const c = CATALOGUES[language];
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  const count = (n: number, forms: Plural) => (forms[plurals.select(n)] ?? forms.other).replace('#', numbers.format(n));
  const day = (iso: string) => {
    const [y = 1970, m = 1, d = 1] = iso.split('-').map(Number);
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(Date.UTC(y, m - 1, d)),
    );
  };
  const money = (value: number, currency: string) =>
    new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);
  return {
    language,
    locale,
    number: (n) => numbers.format(n),
    money,
    duration: formatDuration,
    day,
    month: (yyyyMm) => {
      const [y = 1970, m = 1] = yyyyMm.split('-').map(Number);
      return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(Date.UTC(y, m - 1, 15)),
      );
    },
    period: (period, from, to) => {
      switch (period) {
        case 'this_month':
          return c.thisMonth;
        case 'last_month':
          return c.lastMonth;
        case 'last_7_days':
          return c.lastDays(7);
        case 'last_30_days':
          return c.lastDays(30);
        case 'last_90_days':
          return c.lastDays(90);
        default:
          return from === to ? c.onDay(day(from)) : c.fromTo(day(from), day(to));
      }
    },
    responseHeadline: (average) => (average === null ? c.noResponses : c.averageResponse(formatDuration(average))),
    missedRevenueHeadline: (i) =>
      c.missedRevenue(count(i.afterHours, c.afterHoursInquiries), i.period, i.qualified, money(i.value, i.currency)),
    roiHeadline: (i) => c.roi(i.product, count(i.qualified, c.qualifiedLeads), money(i.value, i.currency), i.period),
    monthly: c.monthly,
  };
}
