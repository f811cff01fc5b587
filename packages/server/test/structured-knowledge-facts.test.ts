import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StructuredTenant, startStructuredTenant } from './support/structured-tenant.js';

/**
 * Knowledge answers restated as facts, end to end: a Spanish policy document
 * answers French, German and English visitors with its opening hours, address
 * and fees said in their own words (weekday names, times), never its Spanish
 * sentences; a message with two questions gets both answers; a cancellation
 * that asks about the fee gets the policy before the hand-over.
 */
const POLICY = [
  '# Clínica Sol: horario y normas',
  '',
  '## Horario',
  '',
  'De lunes a jueves, de 8:30 a 18:00. Viernes, de 8:30 a 15:00. Sábados y domingos cerrado.',
  '',
  '## Dirección',
  '',
  'Calle Mayor 21, 3.º piso, Valencia, al lado del mercado central.',
  '',
  '## Aparcamiento',
  '',
  'El aparcamiento del mercado cuesta 3 € la hora.',
  '',
  '## Cancelaciones',
  '',
  'Si cancela con menos de 48 horas de antelación, cobramos 30 €.',
].join('\n');

/** Spanish words that must not leak into a reply to a French, German or English visitor. */
const SPANISH = /\b(de lunes|cerrado|sábados|calle mayor 21, 3\.º piso, valencia|al lado|cobramos|antelación)\b/i;

describe('structured mode: facts from a document in another language (PostgreSQL)', () => {
  let clinic: StructuredTenant;
  const ask = (text: string) => clinic.ask(text);

  beforeAll(async () => {
    clinic = await startStructuredTenant({
      name: 'Clínica Sol',
      industry: 'dental',
      // Only the document answers: the template's sample FAQs go.
      withoutSampleFaqs: true,
      documents: [
        { knowledgeBase: 'Normas', language: 'spanish', fileName: 'normas.md', content: POLICY, type: 'text/markdown' },
      ],
    });
  }, 180_000);
  afterAll(async () => {
    await clinic?.dispose();
  });

  it('gives a French visitor the Friday hours in French', async () => {
    const text = await ask('Bonjour, quels sont vos horaires le vendredi ?');
    expect(text).toContain('Vendredi: 8:30–15:00.');
    expect(text).not.toMatch(SPANISH);
  });

  it('answers both questions of an English message: Saturday hours and the parking price', async () => {
    const text = await ask('Are you open on Saturdays? And how much is parking?');
    expect(text).toContain('Saturday: closed.');
    expect(text).toContain('3 €');
    expect(text).not.toMatch(SPANISH);
  });

  it('gives a German visitor the address as street and number, without the Spanish around it', async () => {
    const text = await ask('Wie ist Ihre Adresse?');
    expect(text).toContain('Calle Mayor 21');
    expect(text).not.toMatch(/al lado|mercado central/);
  });

  it('answers the fee of a cancellation before handing it over', async () => {
    const text = await ask('I need to cancel my appointment. Is there a cancellation fee?');
    expect(text).toContain('30 €');
    expect(text).not.toMatch(SPANISH);
  });
});
