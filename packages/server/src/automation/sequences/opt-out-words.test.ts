import { describe, expect, it } from 'vitest';
import { optOutWord } from './opt-out-words.js';

describe('opt-out words', () => {
  it.each([
    ['STOP', 'stop'],
    ['  Stop!! ', 'stop'],
    ['BAJA', 'baja'],
    ['Darme de baja', 'darme de baja'],
    ['ARRÊT', 'arret'],
    ['arret', 'arret'],
    ['Désabonner', 'desabonner'],
    ['STOPP', 'stopp'],
    ['Abmelden', 'abmelden'],
    ['stopp bitte', 'stopp'],
    ['PARAR', 'parar'],
    ['Sair', 'sair'],
    ['ANNULLA', 'annulla'],
    ['basta.', 'basta'],
    ['unsubscribe', 'unsubscribe'],
  ])('%s is an opt-out (%s)', (text, word) => {
    expect(optOutWord(text)).toBe(word);
  });

  it.each([
    "don't stop the treatment please, I want to continue",
    'Is the parking free on Saturday?',
    'Can I book for Tuesday at 9?',
    'where do I stop my car',
    '',
  ])('%s is not an opt-out', (text) => {
    expect(optOutWord(text)).toBeNull();
  });
});
