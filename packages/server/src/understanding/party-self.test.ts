import { describe, expect, it } from 'vitest';
import { read } from './test-support.js';

const party = (text: string) => read(text, { industry: 'hotel' }).party;

describe('the visitor and a relative', () => {
  it.each([
    ['en', 'A table for me and my sister on Friday', { total: 2, adults: 2 }],
    ['es', 'Una revisión para mí y mi marido', { total: 2, adults: 2 }],
    ['es', 'Es para mí y para mi hijo', { total: 2, adults: 1, children: 1 }],
    ['fr', 'Une chambre pour moi et mon mari', { total: 2, adults: 2 }],
    ['de', 'Ein Zimmer für mich und meine Tochter', { total: 2, adults: 1, children: 1 }],
    ['pt', 'Uma consulta para mim e para as minhas duas filhas', { total: 3, adults: 1, children: 2 }],
    ['it', 'Una camera per me e mia moglie', { total: 2, adults: 2 }],
  ])('%s: %s', (_l, text, expected) => {
    expect(party(text)).toMatchObject(expected);
  });
});

describe('a child named without a count', () => {
  it('adds "a 3 year old" and "a baby" to the adults', () => {
    expect(party('We are 2 adults and a 3 year old')).toMatchObject({ total: 3, adults: 2, children: 1 });
    expect(party('Two adults and a baby, is a cot available?')).toMatchObject({ total: 3, adults: 2, children: 1 });
    expect(party('2 adultes et un enfant de 5 ans')).toMatchObject({ total: 3, adults: 2, children: 1 });
  });
});

describe('articles and couples', () => {
  it('"una persona" or "a family" is not a party of one', () => {
    expect(party('Quisiera hablar con una persona')).toBeUndefined();
    expect(party('Somos una familia de 6')).toMatchObject({ total: 6 });
    expect(party('Wir sind eine Familie mit 4 Personen')?.total).toBe(4);
  });
  it('"un couple de retraités" is a couple, "a couple of days" is not', () => {
    expect(party('Nous sommes un couple de retraités')).toMatchObject({ total: 2, adults: 2 });
    expect(party('Siamo una coppia con un bambino')).toMatchObject({ total: 3, adults: 2, children: 1 });
    expect(party('We want to stay a couple of days')).toBeUndefined();
  });
});
