import { describe, expect, it } from 'vitest';
import { extractBudget } from './budget.js';

describe('money already spent or held is not a budget', () => {
  it.each([
    ['en', 'I paid $2,100 for my crown last year and it broke'],
    ['es', 'Pagué 350 euros por dos noches y la habitación estaba sucia'],
    ['fr', "J'ai payé 900 € pour ce séjour, c'est inadmissible"],
    ['de', 'Wir haben 2.000 € Kaution hinterlegt und nichts zurückbekommen'],
    ['pt', 'Comprei a casa por 250 mil em 2018, quanto vale hoje?'],
    ['it', 'Ho pagato 180 euro a notte e il bagno era rotto'],
    ['en', 'What is the stamp duty tax on a 300k house?'],
  ])('%s: %s', (_l, text) => expect(extractBudget(text, 'PT')).toBeUndefined());

  it('still reads a budget in another clause', () => {
    expect(extractBudget('We paid 200 € last time. This time our budget is up to 300 €', 'PT')).toMatchObject({
      max: 300,
      approximate: false,
    });
  });
});

describe('amounts written in other ways', () => {
  it('reads "M€" as millions and a per-month amount after a slash', () => {
    expect(extractBudget('budget vers 2,5 M€', 'FR')).toMatchObject({ max: 2_500_000, currency: 'EUR' });
    expect(extractBudget('Looking to rent, max €2,300/month', 'PT')).toMatchObject({ max: 2300, approximate: false });
    expect(extractBudget('loyer max 950 €/mois', 'FR')).toMatchObject({ max: 950, approximate: false });
  });
  it('"aprox" is approximate', () => {
    expect(extractBudget('presupuesto aprox 8.000 €', 'ES')).toMatchObject({ max: 8000, approximate: true });
  });
  it('a date with a slash is still not money', () => {
    expect(extractBudget('Llegamos el 12/03, somos 4', 'ES')).toBeUndefined();
  });
});
