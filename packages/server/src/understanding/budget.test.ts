import { describe, expect, it } from 'vitest';
import { formatBudget } from './budget.js';
import { read } from './test-support.js';

const budget = (text: string, region = 'ES') => read(text, { region, industry: 'real_estate' }).budget;
const formatted = (text: string, region = 'ES') => {
  const b = budget(text, region);
  return b ? formatBudget(b) : undefined;
};

describe('budget', () => {
  it.each([
    ['en', 'Looking for a 3-bed house, budget up to $600,000.', 'US', 'USD 600000'],
    ['en', 'We can spend about 450k', 'GB', 'GBP 450000'],
    ['es', 'Busco piso, unos 850 mil euros', 'ES', 'EUR 850000'],
    ['es', 'Presupuesto de 1,5 millones', 'ES', 'EUR 1500000'],
    ['fr', 'Budget environ 2 millions d’euros', 'FR', 'EUR 2000000'],
    ['de', 'Warmmiete max. 1.050 €, erreichbar unter 0157 12345678', 'DE', 'EUR 1050'],
    ['de', 'Kaufpreis bis 1,2 Mio €', 'DE', 'EUR 1200000'],
    ['pt', 'Procuro um T3 até 450k', 'PT', 'EUR 450000'],
    ['pt', 'Orçamento de R$ 3.000 por mês', 'BR', 'BRL 3000'],
    ['it', 'Affitto massimo 1.200 euro al mese', 'IT', 'EUR 1200'],
    ['it', 'Budget tra 300 e 400 mila euro', 'IT', 'EUR 300000-400000'],
    ['es', 'Entre 1.000 y 1.500 € al mes', 'ES', 'EUR 1000-1500'],
    ['en', 'between $200 and $300 a night', 'US', 'USD 200-300'],
  ])('%s: "%s" → %s', (_lang, text, region, expected) => {
    expect(formatted(text, region)).toBe(expected);
  });

  it('tells a ceiling from an approximation in every language', () => {
    for (const text of [
      'up to 500 €',
      'hasta 500 €',
      "jusqu'à 500 €",
      'höchstens 500 €',
      'até 500 €',
      'al massimo 500 €',
      'no more than 500 €',
    ]) {
      expect(budget(text), text).toMatchObject({ max: 500, approximate: false });
    }
    for (const text of [
      'around 500 €',
      'unos 500 €',
      'environ 500 €',
      'ca. 500 €',
      'cerca de 500 €',
      'intorno ai 500 €',
    ]) {
      expect(budget(text), text).toMatchObject({ max: 500, approximate: true });
    }
  });

  it.each([
    ['en', 'Another clinic quoted me 900 € for an implant, how much is yours?'],
    ['en', 'Booking.com shows 180€ for that room'],
    ['es', 'Otra clínica me pidió 900 € por el implante'],
    ['fr', 'Un autre cabinet m’a demandé 900 €'],
    ['de', 'Eine andere Praxis verlangt 900 € dafür'],
    ['pt', 'Noutra clínica cobraram-me 900 €'],
    ['it', "Un'altra clinica mi ha chiesto 900 €"],
  ])('%s: a price seen elsewhere is not the budget: "%s"', (_lang, text) => {
    expect(budget(text)).toBeUndefined();
  });

  it('takes the visitor’s own figure beside a competitor’s', () => {
    expect(formatted('Booking.com shows 180€. We can pay up to 150€ per night.')).toBe('EUR 150');
  });

  it.each([
    'I have 3 children',
    'Somos 4 personas',
    'Mi hija tiene 12 años',
    'Room 204 please',
    'A flat of 80 m2',
    'Call me at 612 34 56 78',
  ])('no budget in "%s"', (text) => {
    expect(budget(text)).toBeUndefined();
  });

  it("uses the tenant's currency when none is written", () => {
    expect(formatted('My budget is 300000', 'US')).toBe('USD 300000');
    expect(formatted('Mi presupuesto es 300000', 'ES')).toBe('EUR 300000');
  });
});
