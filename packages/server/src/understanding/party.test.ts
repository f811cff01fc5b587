import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

const party = (text: string, industry = 'hotel') => read(text, { industry }).party;
const bedrooms = (text: string, industry = 'real_estate') => read(text, { industry }).bedrooms;

describe('party size', () => {
  it.each([
    ['en', '2 adults and 2 kids', { total: 4, adults: 2, children: 2 }],
    ['en', 'Me and my wife', { total: 2, adults: 2 }],
    ['en', 'My husband and I with our 3 children', { total: 5, adults: 2, children: 3 }],
    ['es', 'Llegamos a las 22:30 y somos 4', { total: 4 }],
    ['es', 'Dos adultos y un niño', { total: 3, adults: 2, children: 1 }],
    ['es', 'Mi mujer y yo', { total: 2 }],
    ['fr', 'Nous serons 3 personnes', { total: 3 }],
    ['fr', 'Ma femme et moi avec deux enfants', { total: 4, adults: 2, children: 2 }],
    ['de', 'Ein Zimmer für 3 Personen', { total: 3 }],
    ['de', 'Wir sind zu viert', { total: 4 }],
    ['de', 'Wir sind 5 Erwachsene', { total: 5, adults: 5 }],
    ['pt', 'Somos 2 adultos e 1 criança', { total: 3, adults: 2, children: 1 }],
    ['pt', 'Um quarto para duas pessoas', { total: 2 }],
    ['it', 'Una famiglia di 5', { total: 5 }],
    ['it', 'Siamo in 6', { total: 6 }],
    ['en', 'A table for two', { total: 2 }],
  ])('%s: "%s"', (_lang, text, expected) => {
    expect(party(text)).toMatchObject(expected);
  });

  it.each([
    'Mi hija de 12 años necesita una revisión',
    'My 8 year old has a toothache',
    'We arrive at 22:30',
    'Room 12 was noisy',
    'For 3 nights please',
    'Para el 2 de mayo',
    'Una habitación para un fin de semana',
    'A budget of 500 €',
  ])('no party in "%s"', (text) => {
    expect(party(text)).toBeUndefined();
  });
});

describe('bedrooms', () => {
  it.each([
    ['en', 'Looking for a 3-bed flat', 3],
    ['en', 'A house with 4 bedrooms', 4],
    ['es', 'Piso de 2 habitaciones en Madrid', 2],
    ['es', 'Busco casa con 3 dormitorios', 3],
    // Rooms counted with the living room are converted to bedrooms (docs/eval.md).
    ['fr', 'Un appartement T3 à Lyon', 2],
    ['fr', 'Maison 4 chambres', 4],
    ['de', 'Wir suchen eine 3-Zimmer-Wohnung', 2],
    ['pt', 'Procuro um T2 em Lisboa', 2],
    ['pt', 'Apartamento com 3 quartos', 3],
    ['it', 'Cerco un trilocale a Milano', 2],
    ['it', 'Appartamento con 2 camere da letto', 2],
  ])('%s: "%s" → %d', (_lang, text, n) => {
    expect(bedrooms(text)).toBe(n);
  });

  it('does not read a hotel booking, a room number or a party as bedrooms', () => {
    expect(bedrooms('Necesitamos 2 habitaciones para 4 personas', 'hotel')).toBeUndefined();
    expect(bedrooms('We stayed in room 204', 'hotel')).toBeUndefined();
    expect(bedrooms('Somos 4 personas')).toBeUndefined();
  });
});
