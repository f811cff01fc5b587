import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StructuredTenant, startStructuredTenant } from './support/structured-tenant.js';

/**
 * The structured mode as a receptionist, end to end: real server, real widget
 * sockets, a knowledge base filled through the REST API, and the lead read
 * back over REST. Every reply must be in the visitor's language, answer only
 * what a passage really answers, and never ask again what was already given.
 */
const PRICE_LIST = [
  'Bright Smile Dental - price list',
  'Check-up and cleaning: $95 per visit.',
  'Teeth whitening: in-office $350, take-home kit $180.',
  'Dental implants start at $2,400 per tooth.',
  'We accept Cigna, Delta Dental and Aetna insurance plans and bill them directly.',
  'Cancellations with less than 24 hours notice are charged a $40 fee.',
].join('\n');

/** Words that only English has: none may appear in a reply to a Spanish or German visitor. */
const ENGLISH = /\b(the|and|what|which|how|your|you|price|cleaning|whitening|per visit|we)\b/i;

describe('structured mode: a receptionist without an AI key (PostgreSQL)', () => {
  let clinic: StructuredTenant;
  const start = () => clinic.visitor();
  const leadOf = (conversationId: string) => clinic.leadOf(conversationId);
  const storedAi = (messageId: string) => clinic.storedAi(messageId);
  const escalationsOf = (conversationId: string) => clinic.escalationsOf(conversationId);

  beforeAll(async () => {
    clinic = await startStructuredTenant({
      name: 'Bright Smile',
      industry: 'dental',
      // Monday 1 March 2027, 10:00 UTC (and running on from there): relative dates in messages resolve
      // against it, not against the machine's date.
      clockStart: '2027-03-01T10:00:00Z',
      documents: [{ knowledgeBase: 'Prices', language: 'english', fileName: 'price-list.txt', content: PRICE_LIST }],
    });
  }, 180_000);
  afterAll(async () => {
    await clinic?.dispose();
  });

  it('answers a Spanish visitor entirely in Spanish, FAQ first, with Spanish quick replies', async () => {
    const { say } = await start();
    const r = await say('Hola, ¿aceptan seguros dentales?');
    expect(r.message.content).toMatch(/^¡Hola, gracias por contactar con Bright Smile!/);
    expect(r.message.content).toContain('Sí, aceptamos la mayoría de los seguros dentales');
    expect(r.message.content).toContain('¿Qué tratamiento te interesa?');
    expect(r.message.content).not.toMatch(ENGLISH);
    expect(r.quickReplies.map((q) => q.label)).toEqual([
      'Revisión y limpieza',
      'Blanqueamiento',
      'Implantes',
      'Invisalign',
      'Urgencia',
    ]);
    expect(r.message.ai?.language).toBe('es');
  });

  it('answers "How much is a cleaning?" from the price list with the cleaning price, not the whitening one', async () => {
    const { say } = await start();
    const r = await say('How much is a cleaning?');
    expect(r.message.content).toContain('Check-up and cleaning: $95 per visit.');
    expect(r.message.content).not.toMatch(/\$350|\$180|whitening starts/);
    const ai = await storedAi(r.message.id);
    expect(ai?.entities?.source).toBe('price-list.txt');
  });

  it('answers "Do you take Cigna insurance?" with the insurance sentence only', async () => {
    const { say } = await start();
    const r = await say('Do you take Cigna insurance?');
    expect(r.message.content).toContain(
      'We accept Cigna, Delta Dental and Aetna insurance plans and bill them directly.',
    );
    expect(r.message.content).not.toMatch(/\$95|\$2,400|price list|Cancellations/);
  });

  it('answers a Spanish question about the English document in Spanish, pasting no English', async () => {
    const { say } = await start();
    const r = await say('¿Cuánto cuesta una limpieza?');
    expect(r.message.content).toContain('$95');
    expect(r.message.content).not.toMatch(ENGLISH);
    expect(r.message.content).not.toContain('$350');
  });

  it('invents nothing for a question the knowledge base cannot answer, and records it as unanswered', async () => {
    const { say } = await start();
    const r = await say('Do you offer botox treatments?');
    expect(r.message.content).toContain("I'll check that with our team, who will confirm it for you.");
    expect(r.message.content).not.toMatch(/\$\d/);
    const rows = await clinic.server.db.orm.em
      .getConnection()
      .execute<{ question: string }[]>('select question from knowledge_unanswered_questions where client_id = ?', [
        clinic.tenant.client.id,
      ]);
    expect(rows.map((q) => q.question)).toContain('Do you offer botox treatments?');
  });

  it('acknowledges and escalates a complaint and a cancellation with no sales question', async () => {
    const complaint = await start();
    const c = await complaint.say(
      'I am really unhappy, I was charged twice for my last visit and nobody called me back. This is unacceptable.',
    );
    expect(c.message.content).toContain("I'm very sorry to hear that.");
    expect(c.message.content).not.toContain('Which treatment are you interested in?');
    expect(c.quickReplies).toEqual([]);
    expect((await escalationsOf(c.message.conversationId)).map((e) => e.reason)).toContain('complaint');

    const cancellation = await start();
    const k = await cancellation.say('Hola, necesito cancelar mi cita del jueves, gracias');
    expect(k.message.content).toContain('He pasado tu cancelación a nuestro equipo');
    expect(k.message.content).not.toContain('¿Qué tratamiento te interesa?');
    expect(k.quickReplies).toEqual([]);
    expect(await escalationsOf(k.message.conversationId)).not.toEqual([]);
    const lead = await leadOf(k.message.conversationId);
    expect(lead.qualification.custom.intent).toBe('cancellation');
  });

  it('escalates a German toothache and marks the lead urgent, an emergency and not cold', async () => {
    const { say } = await start();
    const r = await say('Hallo, ich habe seit gestern starke Zahnschmerzen und mein Zahnfleisch blutet.');
    expect(r.message.content).toContain('Es tut mir leid, dass es Ihnen gerade so geht.');
    expect(r.message.content).not.toMatch(ENGLISH);
    expect(r.message.content).not.toContain('Welche Behandlung interessiert Sie?');
    const escalations = await escalationsOf(r.message.conversationId);
    expect(escalations).toContainEqual({ reason: 'urgent', priority: 'urgent' });
    const lead = await leadOf(r.message.conversationId);
    expect(lead.qualification.urgency).toBe('high');
    expect(lead.qualification.custom.emergency).toBe('yes');
    expect(lead.temperature).not.toBe('cold');
  });

  it('never asks for what was given up front, and stores everything understood on the lead', async () => {
    const { say } = await start();
    const r1 = await say(
      'Hi, I would like to book a teeth whitening next Tuesday afternoon. You can reach me at mia.jones@example.com',
    );
    expect(r1.message.content).toContain('— noted.');
    expect(r1.message.content).not.toContain('Which treatment are you interested in?');
    expect(r1.message.content).not.toContain('When would you like to come in?');
    expect(r1.message.content).not.toContain('email address or phone number');
    const lead = await leadOf(r1.message.conversationId);
    expect(lead.email).toBe('mia.jones@example.com');
    expect(lead.qualification.serviceInterest).toBe('Teeth whitening');
    // "next Tuesday" from Monday 1 March 2027 on the server's clock.
    expect(lead.qualification.timeline).toBe('2027-03-02');
    expect(lead.qualification.custom.intent).toBe('booking');
    expect(lead.scoreEvidence.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['Shared an email address', 'Named the service they want', 'Gave a date']),
    );

    // A later message updates only what it names.
    const r2 = await say('Actually it is quite urgent');
    const after = await leadOf(r2.message.conversationId);
    expect(after.qualification.serviceInterest).toBe('Teeth whitening');
    expect(after.qualification.timeline).toBe(lead.qualification.timeline);
    expect(after.qualification.urgency).toBe('high');
  });
});
