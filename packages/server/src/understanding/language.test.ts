import { describe, expect, it } from 'vitest';
import { detectLanguage, greetingLanguage } from './language.js';

describe('greetings and short phrases', () => {
  it.each([
    ['Buenas noches', 'es'],
    ['¡Hola hola!', 'es'],
    ['Bonsoir', 'fr'],
    ['Coucou 👋', 'fr'],
    ['Servus', 'de'],
    ['Guten Morgen!', 'de'],
    ['Boa tarde', 'pt'],
    ['Muito obrigada!!', 'pt'],
    ['Salve', 'it'],
    ['Buon Natale 🎅', 'it'],
    ['Good evening', 'en'],
  ])('%s is %s', (text, lang) => {
    expect(greetingLanguage(text)).toBe(lang);
    expect(detectLanguage(text, null, 'en')).toBe(lang);
  });

  it('a greeting overrides the tenant language, a neutral message keeps the conversation', () => {
    expect(detectLanguage('Bom dia', null, 'it')).toBe('pt');
    expect(detectLanguage('ok 👍', 'de', 'en')).toBe('de');
    expect(detectLanguage('12', 'fr', 'en')).toBe('fr');
  });

  it('says nothing about a phrase shared by two languages or a real sentence', () => {
    expect(greetingLanguage('por favor')).toBeUndefined();
    expect(greetingLanguage('Hola, necesito una cita')).toBeUndefined();
  });
});

describe('Portuguese and Spanish apart', () => {
  it('reads Portuguese spellings as Portuguese', () => {
    expect(detectLanguage('Vocês têm estacionamento perto da clínica?', null, 'en')).toBe('pt');
    expect(detectLanguage('A que horas é o pequeno-almoço?', null, 'en')).toBe('pt');
    expect(detectLanguage('Boa noite, queria saber se a piscina é aquecida', null, 'en')).toBe('pt');
    expect(detectLanguage('Não consigo ir amanhã, podemos mudar?', null, 'en')).toBe('pt');
  });
  it('keeps Spanish and Italian where they are', () => {
    expect(detectLanguage('¿Tienen estacionamiento cerca de la clínica?', null, 'en')).toBe('es');
    expect(detectLanguage('Mañana no puedo ir, ¿podemos cambiarlo?', null, 'en')).toBe('es');
    expect(detectLanguage('Avete un parcheggio vicino alla clinica?', null, 'en')).toBe('it');
    expect(detectLanguage('Est-ce que la piscine est chauffée ?', null, 'en')).toBe('fr');
  });
});
