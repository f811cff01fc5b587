import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StructuredTenant, startStructuredTenant } from './support/structured-tenant.js';

/**
 * The structured mode's questions, end to end over the widget socket, with a
 * clinic whose price list and insurance policy are in English and whose
 * house rules are in Spanish:
 * - yes/no policy facts cross languages ("¿Aceptan Cigna?" from the English
 *   policy, "Prenez-vous les enfants ?" from the Spanish rules), said in the
 *   visitor's words with no sentence of the document pasted in;
 * - a message with two questions gets two answers;
 * - a question about the emergency service is answered as a question, while
 *   a patient in pain is handed over as an emergency, in several languages.
 */
const PRICE_LIST = [
  '# Riverside Dental: prices and insurance',
  '',
  '| Treatment | Price |',
  '| --- | --- |',
  '| Check-up and cleaning | $110 |',
  '| Teeth whitening, in office | $390 |',
  '| Emergency visit | $140 |',
  '',
  '## Insurance',
  '',
  'We are in network with Delta Dental and Aetna. We are not in network with Cigna: Cigna patients pay at the visit.',
  '',
  '## Payment',
  '',
  'We accept cash, credit cards and HealthPay. Treatments over $900 can be paid in 10 monthly instalments.',
].join('\n');

const RULES = [
  '# Riverside Dental: normas',
  '',
  '## Horario',
  '',
  'De lunes a viernes, de 8:30 a 18:30. Sábados, de 9:00 a 13:00. Domingos cerrado.',
  '',
  '## Aparcamiento',
  '',
  'El aparcamiento de la calle 12 cuesta 8 dólares por 2 horas.',
  '',
  '## Niños',
  '',
  'Atendemos a niños a partir de los 4 años.',
].join('\n');

/** Sentences of the documents: none may reach a visitor who writes in another language. */
const ENGLISH_DOC = /\b(in network|we accept|pay at the visit|can be paid|monthly instalments)\b/i;
const SPANISH_DOC = /\b(atendemos|a partir de|de lunes|cuesta 8|domingos cerrado)\b/i;

describe('structured mode: questions across languages, two at once, and emergencies (PostgreSQL)', () => {
  let clinic: StructuredTenant;

  beforeAll(async () => {
    clinic = await startStructuredTenant({
      name: 'Riverside Dental',
      industry: 'dental',
      withoutSampleFaqs: true,
      clockStart: '2027-03-01T15:00:00Z',
      documents: [
        {
          knowledgeBase: 'Prices',
          language: 'english',
          fileName: 'prices.md',
          content: PRICE_LIST,
          type: 'text/markdown',
        },
        { knowledgeBase: 'Normas', language: 'spanish', fileName: 'normas.md', content: RULES, type: 'text/markdown' },
      ],
    });
  }, 180_000);
  afterAll(async () => {
    await clinic?.dispose();
  });

  it('answers "¿Aceptan Cigna?" in Spanish from the English policy: no, and cites it', async () => {
    const { say } = clinic.visitor();
    const r = await say('Hola, ¿aceptan el seguro Cigna?');
    expect(r.message.content).toContain('Seguro Cigna: no.');
    expect(r.message.content).not.toMatch(ENGLISH_DOC);
    const ai = await clinic.storedAi(r.message.id);
    expect(ai?.entities?.source).toBe('prices.md › Riverside Dental: prices and insurance › Insurance');
  });

  it('answers a German card-payment question from the English policy in German words', async () => {
    const text = await clinic.ask('Kann ich bei Ihnen mit Kreditkarte zahlen?');
    expect(text).toContain('Zahlung: Bargeld, Kreditkarten, HealthPay.');
    expect(text).not.toMatch(ENGLISH_DOC);
  });

  it('answers a French question about children from the Spanish rules, without the Spanish sentence', async () => {
    const text = await clinic.ask('Est-ce que vous prenez les enfants ? Mon fils a 3 ans.');
    expect(text).toContain('Enfants: 4 ans.');
    expect(text).not.toMatch(SPANISH_DOC);
  });

  it('answers both questions of one message, each from its own document', async () => {
    const text = await clinic.ask('Are you open on Saturdays? And do you take Delta Dental?');
    expect(text).toContain('Saturday: 9:00–13:00.');
    expect(text).toContain('We are in network with Delta Dental and Aetna.');
    expect(text).not.toContain("I'll check that with our team");

    const es = await clinic.ask('¿Cuánto cuesta una limpieza? ¿Y cuánto cuesta el aparcamiento?');
    expect(es).toContain('$110');
    expect(es).toContain('El aparcamiento de la calle 12 cuesta 8 dólares por 2 horas.');
    expect(es).not.toMatch(ENGLISH_DOC);
  });

  it.each([
    ['en', 'Do you handle dental emergencies?', "I'm sorry you're going through this."],
    ['es', '¿Atienden urgencias dentales?', 'Siento mucho que estés pasando por esto.'],
    ['de', 'Behandeln Sie auch Zahnnotfälle?', 'Es tut mir leid, dass es Ihnen gerade so geht.'],
    ['it', 'Gestite le emergenze dentali?', 'Mi dispiace molto che tu stia passando tutto questo.'],
  ])('%s: a question about the emergency service is not handled as an emergency: %s', async (_l, text, ack) => {
    const r = await clinic.visitor().say(text);
    expect(r.message.content).not.toContain(ack);
    expect(await clinic.escalationsOf(r.message.conversationId)).toEqual([]);
    const lead = await clinic.leadOf(r.message.conversationId);
    expect(lead.qualification.custom.emergency).not.toBe('yes');
    expect(lead.qualification.urgency ?? null).not.toBe('high');
    expect(lead.qualification.custom.intent).toBe('information');
  });

  it.each([
    ['en', 'I have terrible tooth pain and swelling', "I'm sorry you're going through this."],
    ['es', 'Tengo un dolor de muelas horrible y la cara hinchada', 'Siento mucho que estés pasando por esto.'],
    ['fr', "J'ai très mal aux dents et la joue gonflée", 'Je suis désolé que vous traversiez cela.'],
    ['de', 'Ich habe starke Zahnschmerzen und eine Schwellung', 'Es tut mir leid, dass es Ihnen gerade so geht.'],
  ])('%s: a patient in pain is handed over as an emergency: %s', async (_l, text, ack) => {
    const r = await clinic.visitor().say(text);
    expect(r.message.content).toContain(ack);
    expect(await clinic.escalationsOf(r.message.conversationId)).toContainEqual({
      reason: 'urgent',
      priority: 'urgent',
    });
    const lead = await clinic.leadOf(r.message.conversationId);
    expect(lead.qualification.custom.emergency).toBe('yes');
    expect(lead.qualification.urgency).toBe('high');
  });
});
