import { describe, expect, it } from 'vitest';
import { renderMonthlyEmail } from '../monthly-email/render-monthly-email.js';
import { REPORT_LANGUAGES, reportTexts } from './report-texts.js';

describe('report texts', () => {
  it('has every sentence in all six languages, each with its own words', () => {
    const headlines = REPORT_LANGUAGES.map((l) =>
      reportTexts(l).missedRevenueHeadline({ afterHours: 2, qualified: 1, value: 10, currency: 'EUR', period: 'P' }),
    );
    expect(new Set(headlines).size).toBe(6);
    for (const l of REPORT_LANGUAGES) {
      const t = reportTexts(l);
      expect(t.language).toBe(l);
      expect(t.responseHeadline(null)).not.toBe('');
      for (const value of Object.values(t.monthly)) expect(value).toBeTruthy();
    }
  });

  it('chooses singular or plural by the language’s rules', () => {
    const one = (l: string, n: number) =>
      reportTexts(l).roiHeadline({ product: 'X', qualified: n, value: 0, currency: 'EUR', period: '' });
    expect(one('en', 1)).toContain('1 qualified lead worth');
    expect(one('en', 2)).toContain('2 qualified leads worth');
    // French counts 0 as singular; English does not.
    expect(one('fr', 0)).toContain('0 prospect qualifié ');
    expect(one('en', 0)).toContain('0 qualified leads');
    expect(one('es', 1_500)).toContain('1500 leads cualificados');
    expect(one('de', 1_500)).toContain('1.500 qualifizierte Leads');
  });

  it('formats money, dates and months in the full locale; falls back to English for others and junk', () => {
    expect(reportTexts('en-US').money(1234, 'USD')).toBe('$1,234');
    expect(reportTexts('pt-BR').money(1234, 'BRL')).toBe('R$\u00a01.234');
    expect(reportTexts('fr-FR').month('2026-11')).toBe('novembre 2026');
    expect(reportTexts('it').period(null, '2026-03-01', '2026-03-01')).toBe('il 1 mar 2026');
    expect(reportTexts('ja').language).toBe('en');
    expect(reportTexts('not a locale!').period('last_month', '', '')).toBe('last month');
    expect(reportTexts(undefined).locale).toBe('en');
  });

  it('renders the monthly email in the tenant’s language', () => {
    const figures = {
      month: '2026-11',
      monthLabel: reportTexts('fr').month('2026-11'),
      currency: 'EUR',
      responseTime: {
        headline: reportTexts('fr').responseHeadline(5),
        averageSeconds: 5,
        count: 4,
        p90Seconds: 8,
        targetSeconds: 10,
        meetsTarget: true,
      },
      afterHours: { inquiries: 3, qualified: 2, qualifiedValue: 3300, won: 1, wonValue: 300 },
      leads: { leads: 4, qualified: 3, hot: 1, warm: 1, cold: 1, won: 1 } as never,
      temperatureByWeek: [{ weekStart: '2026-11-02', hot: 1, warm: 1, cold: 0, unscored: 0 }],
      model: { source: 'heuristic' as const, trainingSize: 0, auc: null, brier: null },
    };
    const mail = renderMonthlyEmail({
      business: 'Clinique',
      figures,
      dashboardUrl: 'https://x/',
      locale: 'fr-FR',
      brand: {
        productName: 'Brand',
        logoUrl: '',
        faviconUrl: '',
        primaryColor: '#111111',
        accentColor: '#222222',
        emailFromName: 'Brand',
        emailFromAddress: 'reports@brand.example',
        poweredBy: { hidden: true },
      },
    });
    expect(mail.subject).toBe('Rapport mensuel Brand : Clinique, novembre 2026');
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain(
      'Temps de réponse moyen : 5 s sur 4 premières réponses (p90 8 s, objectif 10 s : atteint)',
    );
    expect(mail.html).toContain('2, d’une valeur de 3\u202f300\u00a0€');
    expect(mail.html).toContain('title="Chauds: 1"');
    expect(mail.text).toContain('Ouvrir les rapports: https://x/');
    expect(mail.text).not.toMatch(/Lead Desk|Response time|worth/);
  });
});
