import { describe, expect, it } from 'vitest';
import { type AnswerCandidate, answerQuestion } from './answer-question.js';
import { parseOpeningHours, renderOpeningHours, renderTimes, weekdaysAsked } from './opening-hours.js';
import { addressIn, splitSentences } from './sentences.js';

/** Documents of an imaginary physiotherapy practice, a guesthouse and an agency, in several languages. */
const germanHours: AnswerCandidate = {
  citation: 'praxis.pdf › Öffnungszeiten',
  heading: 'Öffnungszeiten',
  text: 'Praxis › Öffnungszeiten\n\nMontag bis Donnerstag von 7:30 bis 18:00 Uhr. Freitag von 7:30 bis 13:00 Uhr. Am Wochenende ist die Praxis geschlossen.',
};
const italianHours: AnswerCandidate = {
  citation: 'agenzia.md › Orari',
  heading: 'Orari',
  text: 'Agenzia › Orari\n\nDal lunedì al venerdì, dalle 9.00 alle 18.30. Sabato dalle 9.30 alle 12.30. La spa è aperta tutti i giorni dalle 10:00 alle 21:00.',
};
const englishHouse: AnswerCandidate = {
  citation: 'house-rules.docx',
  text: [
    'Arrival is possible from 2 pm (14:00). Rooms must be vacated by 10 am.',
    'Breakfast is served from 7:30 to 10:00 in the garden room.',
    'The heated pool is open from 8:00 to 19:00.',
    'The wine tasting costs 35 € per person.',
  ].join('\n'),
};
const frenchFees: AnswerCandidate = {
  citation: 'honoraires.pdf',
  text: [
    "Pour vendre votre bien : commission de 5 % TTC, payée à la signature de l'acte.",
    'Estimation de votre bien : gratuite.',
  ].join('\n'),
};
const portugueseAddress: AnswerCandidate = {
  citation: 'contactos.md › Morada',
  heading: 'Morada',
  text: 'Clínica › Morada\n\nRua Augusta 120, 2.º andar, Lisboa, perto do Rossio. Metro: Baixa-Chiado.',
};

describe('opening hours as facts', () => {
  it('reads day ranges, single days, weekends and closed days in several languages', () => {
    const facts = parseOpeningHours(splitSentences(germanHours.text.split('\n\n')[1]!));
    expect(facts).toEqual([
      { days: [0, 1, 2, 3], ranges: [['7:30', '18:00']], closed: false },
      { days: [4], ranges: [['7:30', '13:00']], closed: false },
      { days: [5, 6], ranges: [], closed: true },
    ]);
    expect(renderOpeningHours(facts, 'en', [])).toBe(
      'Monday–Thursday: 7:30–18:00; Friday: 7:30–13:00; Saturday, Sunday: closed.',
    );
    expect(renderOpeningHours(facts, 'es', [6])).toBe('Domingo: cerrado.');
    expect(weekdaysAsked('¿Abren los sábados?')).toEqual([5]);
    expect(weekdaysAsked('Are you open on Friday or Saturday?')).toEqual([4, 5]);
    expect(weekdaysAsked('How much is a cleaning?')).toEqual([]);
  });

  it('answers an hours question in the visitor’s language from a document in another', () => {
    expect(answerQuestion('Êtes-vous ouverts le samedi ?', 'fr', [italianHours])?.text).toBe('Samedi: 9:30–12:30.');
    expect(answerQuestion('What are your opening hours?', 'en', [germanHours])).toMatchObject({
      text: 'Monday–Thursday: 7:30–18:00; Friday: 7:30–13:00; Saturday, Sunday: closed.',
      citation: 'praxis.pdf › Öffnungszeiten',
      rendered: true,
    });
    // The spa's timetable in the same passage is not the agency's hours.
    expect(answerQuestion('A que horas abrem ao domingo?', 'pt', [italianHours])).toBeNull();
  });

  it('answers both questions of a message: the hours and the parking', () => {
    const parking: AnswerCandidate = {
      citation: 'praxis.pdf › Parken',
      heading: 'Parken',
      text: 'Praxis › Parken\n\nParking: free spaces behind the building.',
    };
    const a = answerQuestion('What are your hours on Fridays? And is there parking?', 'en', [germanHours, parking]);
    expect(a?.text).toBe('Friday: 7:30–13:00. Parking: free spaces behind the building.');
  });
});

describe('times, addresses, fees and "free" restated from another language', () => {
  it('states check-in, check-out and breakfast times with from/until in each language', () => {
    expect(renderTimes('Arrival is possible from 2 pm (14:00).', 'it')).toBe('dalle 14:00');
    expect(renderTimes('Rooms must be vacated by 10 am.', 'de')).toBe('bis 10:00');
    expect(renderTimes('We have 3 rooms and 2 cats.', 'en')).toBeNull();
    expect(answerQuestion('A che ora è la colazione?', 'it', [englishHouse])?.text).toBe('Colazione: 7:30–10:00.');
    expect(answerQuestion('Hay piscina?', 'es', [englishHouse])?.text).toBe('Piscina: 8:00–19:00.');
  });

  it('gives a commission and a free service in the visitor’s words, never the fee of another service', () => {
    expect(answerQuestion('Wie hoch ist Ihre Provision beim Verkauf?', 'de', [frenchFees])?.text).toBe(
      'Provision / Verkauf: 5 %.',
    );
    expect(answerQuestion('What does a valuation cost?', 'en', [frenchFees])?.text).toBe('Valuation: free.');
    // Renting is not selling: the sale commission does not answer.
    expect(answerQuestion('Quanto è la provvigione per affittare?', 'it', [frenchFees])).toBeNull();
    // A renting line with an amount but no word of a deposit does not answer a deposit question.
    const rentals: AnswerCandidate = {
      citation: 'rentals.md › Renting',
      heading: 'Renting',
      text: 'Agency › Renting\n\nThe contract costs 150 € to register.',
    };
    expect(answerQuestion('¿Cuánto es el depósito para alquilar?', 'es', [rentals])).toBeNull();
    // The wine tasting price is not the pool's.
    expect(answerQuestion('How much is the pool?', 'en', [englishHouse])).toBeNull();
  });

  it('says whether something is included, in the visitor’s words', () => {
    const rates: AnswerCandidate = {
      citation: 'tarifas.pdf',
      text: 'Precios por habitación y noche, desayuno incluido. La tasa turística no está incluida: 2 € por noche.',
    };
    expect(answerQuestion('Is breakfast included in the price?', 'en', [rates])?.text).toBe('Breakfast: included.');
    expect(answerQuestion('Ist das Frühstück inklusive?', 'de', [rates])?.text).toBe('Frühstück: inklusive.');
    // Nothing about parking in the rates: no answer rather than the breakfast line.
    expect(answerQuestion('Is parking included?', 'en', [rates])).toBeNull();
  });

  it('gives an address as its street and number, without the foreign words around it', () => {
    expect(addressIn('350 West 57th Street, Suite 4B, entre la Octava y la Novena Avenida.')).toBe(
      '350 West 57th Street, Suite 4B',
    );
    expect(answerQuestion('What is your address?', 'en', [portugueseAddress])?.text).toBe(
      'Address: Rua Augusta 120, 2.º andar.',
    );
    expect(answerQuestion('Où se trouve votre bureau ?', 'fr', [portugueseAddress])?.text).toBe(
      'Adresse: Rua Augusta 120, 2.º andar.',
    );
  });
});
