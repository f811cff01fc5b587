import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

/** Spans and exclusions of requested dates; today is Wednesday 2 December 2026 in Madrid. */
const span = (text: string, industry = 'hotel') => {
  const d = read(text, { industry }).date;
  return d ? (d.end ? `${d.start}..${d.end}` : d.start) : null;
};

describe('"from <month>" is a start only', () => {
  it.each([
    ['en', 'We need a flat starting in April, 2 bedrooms', '2027-04-01'],
    ['es', 'Buscamos piso a partir de abril', '2027-04-01'],
    ['fr', 'Nous cherchons un appartement à partir de avril', '2027-04-01'],
    ['de', 'Wir suchen eine Wohnung ab April', '2027-04-01'],
    ['pt', 'Procuramos casa a partir de abril', '2027-04-01'],
    ['it', 'Cerchiamo casa da aprile', '2027-04-01'],
  ])('%s', (_l, text, expected) => expect(span(text, 'real_estate')).toBe(expected));
});

describe('two months joined are the whole span', () => {
  it.each([
    ['en', 'Could we rent something for March and April?', '2027-03-01..2027-04-30'],
    ['es', 'Queremos alquilar para marzo y abril', '2027-03-01..2027-04-30'],
    ['fr', 'Une location pour mars et avril', '2027-03-01..2027-04-30'],
    ['de', 'Eine Miete für März und April', '2027-03-01..2027-04-30'],
    ['pt', 'Arrendar durante março e abril', '2027-03-01..2027-04-30'],
    ['it', 'Un affitto per marzo e aprile', '2027-03-01..2027-04-30'],
  ])('%s', (_l, text, expected) => expect(span(text, 'real_estate')).toBe(expected));
});

describe('"the 14th or the 15th" is a range of both days', () => {
  it.each([
    ['en', 'A room on the 14th or the 15th?', '2026-12-14..2026-12-15'],
    ['es', 'Una habitación el 14 o el 15', '2026-12-14..2026-12-15'],
    ['pt', 'Um quarto no dia 14 ou 15', '2026-12-14..2026-12-15'],
    ['it', 'Una camera il 14 o il 15', '2026-12-14..2026-12-15'],
    ['es', '¿Hoy o mañana tenéis sitio?', '2026-12-02..2026-12-03'],
  ])('%s', (_l, text, expected) => expect(span(text)).toBe(expected));
});

describe('a weekday with its day number is that day', () => {
  it.each([
    ['es', '¿Hay habitación para el viernes 18?', '2026-12-18'],
    ['en', 'Is there a room for Friday the 18th?', '2026-12-18'],
    ['fr', 'Une chambre pour vendredi 18 ?', '2026-12-18'],
    ['it', 'Avete una camera per venerdì 18?', '2026-12-18'],
  ])('%s', (_l, text, expected) => expect(span(text)).toBe(expected));
});

describe('German day ranges with one month', () => {
  it('reads "14.–16.12." and "vom 3.-5.1." as ranges', () => {
    expect(span('Ein Doppelzimmer, 14.–16.12., bitte')).toBe('2026-12-14..2026-12-16');
    expect(span('Haben Sie vom 3.-5.1. etwas frei?')).toBe('2027-01-03..2027-01-05');
  });
});

describe('"the week of" is seven days', () => {
  it('starts on the day named', () => {
    expect(span('Could we come in the week of December 14?', 'dental')).toBe('2026-12-14..2026-12-20');
    expect(span('¿Podría ser la semana del 14 de diciembre?', 'dental')).toBe('2026-12-14..2026-12-20');
  });
});

describe('deadlines and occasions are not the requested date', () => {
  it.each([
    ['en', 'I want whiter teeth before Easter, can I come next week?', '2026-12-07..2026-12-13'],
    ['es', 'Quiero blanquearme antes de Navidad, ¿tenéis hueco la semana que viene?', '2026-12-07..2026-12-13'],
    ['fr', 'Avant Noël si possible, la semaine prochaine ?', '2026-12-07..2026-12-13'],
    ['de', 'Noch vor Weihnachten, am besten nächste Woche', '2026-12-07..2026-12-13'],
    ['it', 'Prima di Natale, magari la settimana prossima?', '2026-12-07..2026-12-13'],
  ])('%s', (_l, text, expected) => expect(span(text, 'dental')).toBe(expected));

  it('drops an anniversary date and keeps the visit', () => {
    expect(span('Our anniversary is on January 20th, could we visit on December 28?', 'dental')).toBe('2026-12-28');
    expect(span('Our anniversary is on January 20th', 'dental')).toBeNull();
  });

  it('the specific days after a holiday win over the holiday', () => {
    expect(span('Para las vacaciones de Navidad, el 28 o el 29', 'dental')).toBe('2026-12-28..2026-12-29');
  });

  it('an email address is not a month', () => {
    expect(span('Write to marco.abril@example.com please', 'real_estate')).toBeNull();
  });
});
