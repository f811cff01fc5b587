import { describe, expect, it } from 'vitest';
import { answerQuestion } from './answer-question.js';
import { questionParts } from './question-parts.js';
import { renderFact } from './render-fact.js';

const opts = (label: string, askedNames: string[] = []) => ({ label, askedNames });

describe('renderFact: a foreign sentence said as facts in the visitor’s language', () => {
  it('keeps amounts, quantities with their unit, limits and rates, translating the words', () => {
    expect(renderFact('Dogs up to 15 kg are welcome for 25 € per night.', 'de', opts('Haustiere'))).toBe(
      'Haustiere: bis 15 kg, 25 € pro Nacht.',
    );
    expect(renderFact('Tenants pay a deposit of two months’ rent.'.replace('’', "'"), 'it', opts('Acconto'))).toBe(
      'Acconto: 2 mesi.',
    );
    expect(renderFact('Venda de imóvel: comissão de 4% + IVA sobre o preço de venda.', 'en', opts('Commission'))).toBe(
      'Commission: 4% + VAT.',
    );
  });

  it('says a free period with its limit, never a bare "free"', () => {
    expect(renderFact('Cancellation is free up to 7 days before arrival.', 'es', opts('Cancelación'))).toBe(
      'Cancelación: gratis hasta 7 días antes.',
    );
  });

  it('answers yes or no about the name asked, from what the sentence affirms or denies', () => {
    expect(
      renderFact('We are not in network with Cigna: Cigna patients pay at the visit.', 'es', opts('Seguro', ['Cigna'])),
    ).toBe('Seguro Cigna: no.');
    expect(renderFact('We are in network with Delta Dental, MetLife and Aetna.', 'pt', opts('Seguro', ['Delta']))).toBe(
      'Seguro Delta Dental: sim (MetLife, Aetna).',
    );
  });

  it('names payment methods and languages in the visitor’s words, and keeps proper names', () => {
    expect(renderFact('We accept cash, all major credit cards and CareCredit.', 'fr', opts('Paiement'))).toBe(
      'Paiement: espèces, cartes bancaires, CareCredit.',
    );
    expect(renderFact('Our agents speak Portuguese, English, French and German.', 'de', opts('Sprachen'))).toBe(
      'Sprachen: Portugiesisch, Englisch, Französisch, Deutsch.',
    );
  });

  it('renders nothing from a sentence with no such fact', () => {
    expect(renderFact('Please bring an identity document.', 'es', opts('Visita'))).toBeNull();
  });
});

describe('answers across languages, and one answer per question', () => {
  const policies = {
    citation: 'policies.md › Insurance',
    heading: 'Policies › Insurance',
    text: 'We are in network with Delta Dental and Aetna. We are not in network with Cigna: Cigna patients pay at the visit.',
  };
  const normas = {
    citation: 'normas.md › Aparcamiento',
    heading: 'Normas › Aparcamiento',
    text: 'El aparcamiento de la calle 12 cuesta 8 dólares por 2 horas.',
  };

  it('says "no" to "¿Aceptan Cigna?" and never pastes the English sentence', () => {
    const a = answerQuestion('¿Aceptan Cigna?', 'es', [policies]);
    expect(a?.text).toBe('Seguro Cigna: no.');
    expect(a?.rendered).toBe(true);
  });

  it('answers each question of a two-question message', () => {
    const a = answerQuestion('Do you take Aetna? And how much is parking?', 'en', [policies, normas]);
    expect(a?.text).toContain('We are in network with Delta Dental and Aetna.');
    expect(a?.text).toContain('Parking: $8, 2 hours.');
    expect(a?.citations).toEqual(['policies.md › Insurance', 'normas.md › Aparcamiento']);
    expect(a?.partial).toBe(false);
  });

  it('a place named in the question says where, it is not what must be answered', () => {
    const pets = { citation: 'p', heading: 'Rentals › Pets', text: 'About half of our rental listings accept pets.' };
    expect(answerQuestion('Looking to rent in Lisbon. We have a cat, is that a problem?', 'en', [pets])?.text).toBe(
      'About half of our rental listings accept pets.',
    );
  });

  it('splits a message into its questions only when they ask about different things', () => {
    expect(questionParts('Hola, hay desayuno incluido? A que hora?')).toHaveLength(1);
    expect(questionParts('Are you open on Saturdays? And how much is parking?')).toHaveLength(2);
    expect(questionParts("Je voudrais faire estimer ma maison. C'est payant ?")).toHaveLength(1);
  });
});
