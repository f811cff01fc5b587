import { describe, expect, it } from 'vitest';
import {
  asksForHuman,
  extractBudget,
  extractDates,
  extractEmail,
  extractName,
  extractPartySize,
  extractPhone,
  formatBudget,
  matchOption,
  parseYesNo,
} from './extract.js';
import { detectLanguage } from './language.js';

describe('structured-mode extraction', () => {
  it('finds emails and phone numbers inside sentences', () => {
    expect(extractEmail('you can write to Ana.Lopez+clinic@Example.COM thanks')).toBe('ana.lopez+clinic@example.com');
    expect(extractPhone('call me at +34 612 34 56 78 please')).toBe('+34612345678');
    expect(extractPhone('mi número es 612 34 56 78', 'ES')).toBe('+34612345678');
    expect(extractPhone('(415) 555-0132 is my cell', 'US')).toBe('+14155550132');
    expect(extractPhone('I have 2 kids and 3 dogs', 'US')).toBeUndefined();
  });

  it('parses dates in several languages, leaning forward', () => {
    const ref = new Date('2026-11-25T10:00:00Z');
    expect(extractDates('Friday would be great', 'en', ref)?.start).toBe('2026-11-27');
    expect(extractDates('del 3 al 5 de diciembre', 'es', ref)).toMatchObject({
      start: '2026-12-03',
      end: '2026-12-05',
    });
    expect(extractDates('le 12 décembre', 'fr', ref)?.start).toBe('2026-12-12');
    expect(extractDates('am 24. Dezember', 'de', ref)?.start).toBe('2026-12-24');
    expect(extractDates('2', 'en', ref)).toBeUndefined();
  });

  it('reads budgets with currencies, ranges and thousands separators', () => {
    expect(formatBudget(extractBudget('between $200 and $300 a night')!)).toBe('USD 200-300');
    expect(formatBudget(extractBudget('unos 1.500 € más o menos')!)).toBe('EUR 1500');
    expect(formatBudget(extractBudget('around 2k euros')!)).toBe('EUR 2000');
    expect(extractBudget('I have 3 children')).toBeUndefined();
    expect(formatBudget(extractBudget('250', { bareNumber: true })!)).toBe('250');
  });

  it('reads party sizes from digits and number words', () => {
    expect(extractPartySize('we are 4 people', 'en')).toBe(4);
    expect(extractPartySize('somos dos personas', 'es')).toBe(2);
    expect(extractPartySize('nous serons trois personnes', 'fr')).toBe(3);
    expect(extractPartySize('zwei Erwachsene', 'de')).toBe(2);
    expect(extractPartySize('a table for 6', 'en')).toBe(6);
    expect(extractPartySize('my phone is 555', 'en')).toBeUndefined();
  });

  it('recognises requests for a person in six languages and not ordinary questions', () => {
    for (const text of [
      'Can I talk to a human please?',
      'Quiero hablar con una persona',
      "Je voudrais parler à quelqu'un",
      'Ich möchte mit einem Mitarbeiter sprechen',
      'Posso falar com um atendente?',
      'Vorrei parlare con un operatore',
    ]) {
      expect(asksForHuman(text), text).toBe(true);
    }
    expect(asksForHuman('How much does whitening cost?')).toBe(false);
  });

  it('reads yes/no answers, option choices and names', () => {
    expect(parseYesNo('Sí, claro')).toBe(true);
    expect(parseYesNo('non merci')).toBe(false);
    expect(parseYesNo('maybe')).toBeUndefined();
    const options = ['Check-up', 'Whitening', 'Implants', 'Invisalign', 'Emergency'];
    expect(matchOption('2', options)).toBe(1);
    expect(matchOption('I think implants', options)).toBe(2);
    expect(matchOption('whatever', options, 4)).toBe(4);
    expect(matchOption('no idea', options)).toBeUndefined();
    expect(extractName('Hola, me llamo lucía')).toBe('Lucía');
    expect(extractName("Bonjour, je m'appelle Claire Dubois")).toBe('Claire Dubois');
  });

  it('detects the language of short chat messages and keeps it for ambiguous ones', () => {
    expect(detectLanguage('Hola, quiero reservar una habitación', null, 'en')).toBe('es');
    expect(detectLanguage('Bonjour, je voudrais un rendez-vous', null, 'en')).toBe('fr');
    expect(detectLanguage('Hallo, ich möchte einen Termin', null, 'en')).toBe('de');
    expect(detectLanguage('Ciao, vorrei prenotare una camera doppia', null, 'en')).toBe('it');
    expect(detectLanguage('Olá, gostaria de marcar uma consulta', null, 'en')).toBe('pt');
    expect(detectLanguage('ana@example.com', 'fr', 'en')).toBe('fr');
    expect(detectLanguage('2', 'es', 'en')).toBe('es');
  });
});
