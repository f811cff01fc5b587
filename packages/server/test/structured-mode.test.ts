import { randomUUID } from 'node:crypto';
import type { LeadDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lead, QualificationRule } from '../src/db/entities/index.js';
import { leadToDto } from '../src/leads/lead-service.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, nextAiReply, type Visitor } from './support/widget-client.js';

/**
 * Whole conversations with the structured engine through real sockets: the
 * dental template's questions, FAQs and escalation keywords, in English,
 * Spanish and French, each ending with a scored lead.
 */
describe('structured mode conversations (embedded)', () => {
  let server: TestServer;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  const open: Visitor[] = [];

  beforeAll(async () => {
    server = await startTestServer({ db: 'embedded', env: { STRUCTURED_CHUNK_DELAY_MS: '0' } });
    tenant = await createClient(server.db.orm.em.fork(), {
      name: 'Sunset Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    const em = server.db.orm.em.fork();
    em.create(QualificationRule, {
      id: randomUUID(),
      client: tenant.client.id,
      field: 'serviceInterest',
      operator: 'equals',
      value: 'Teeth whitening',
      points: 40,
      label: 'Wants whitening (our top treatment)',
      position: 0,
    });
    await em.flush();
    // Starting embedded PGlite (migrations included) takes well over a minute on a loaded machine.
  }, 180_000);
  afterAll(async () => {
    for (const v of open) v.close();
    await server?.dispose();
  });

  async function start() {
    const v = connectVisitor(server.url, { siteKey: tenant.client.siteKey, origin: 'https://x.example' });
    open.push(v);
    await v.waitFor('session:ready');
    let lastSeq = 0;
    const say = async (text: string, quickReplyId?: string) => {
      const ack = await v.send(text, undefined, quickReplyId);
      if (!ack.ok) throw new Error(ack.error.message);
      const reply = await nextAiReply(v, Math.max(ack.data.message.seq, lastSeq));
      lastSeq = reply.message.seq;
      await server.app.conversation.orchestrator.idle();
      return reply;
    };
    return { v, say };
  }

  async function leadOf(conversationId: string): Promise<LeadDto> {
    const rows = await server.db.orm.em
      .getConnection()
      .execute<{ lead_id: string }[]>('select lead_id from conversations where id = ?', [conversationId]);
    const lead = await server.db.orm.em.fork().findOneOrFail(Lead, { id: rows[0]!.lead_id });
    return leadToDto(lead);
  }

  /** The AI metadata as stored (staff see it; a visitor's copy keeps only language and chips). */
  async function storedAi(messageId: string): Promise<{ intent?: string } | null> {
    const rows = await server.db.orm.em
      .getConnection()
      .execute<{ ai: { intent?: string } | null }[]>('select ai from messages where id = ?', [messageId]);
    return rows[0]?.ai ?? null;
  }

  it('qualifies an English visitor: FAQ answer, questions in order with quick replies, contact, hot-ish score', async () => {
    const { v, say } = await start();
    const r1 = await say('Hi, do you accept dental insurance?');
    expect(v.events.some(([n, p]) => n === 'ai:status' && (p as { status: string }).status === 'looking_up')).toBe(
      true,
    );
    expect(r1.message.content).toMatch(/^Hi, thanks for contacting Sunset Dental!/);
    expect(r1.message.content).toContain('we accept most major dental insurance plans');
    expect(r1.message.content).toContain('Which treatment are you interested in?');
    expect(r1.message.ai?.language).toBe('en');
    expect((await storedAi(r1.message.id))?.intent).toBe('ask:service');
    expect(r1.message.ai?.intent).toBeUndefined();
    const implants = r1.quickReplies.find((q) => q.label === 'Implants');
    expect(implants?.id).toBe('q:service:2');

    const r2 = await say('Implants', implants?.id);
    expect(r2.message.content).toMatch(
      /^(Thanks, got it\.|Dental implants — noted\.) Are you in pain or is this urgent\?$/,
    );
    expect(r2.quickReplies.map((q) => q.label)).toEqual(['Yes, urgent', 'Soon', 'Just planning']);

    const r3 = await say('Yes, urgent');
    expect(r3.message.content).toContain('Have you visited us before?');
    expect(r3.quickReplies.map((q) => q.label)).toEqual(['Yes', 'No']);

    const r4 = await say('No, first time');
    expect(r4.message.content).toContain('When would you like to come in?');

    const r5 = await say('Friday morning if possible');
    expect(r5.message.content).toContain('What is the best email address or phone number to reach you?');

    const r6 = await say('My name is John Smith, john.smith@example.com or +1 415 555 0132');
    expect(r6.message.content).toContain('The Sunset Dental team has everything they need');

    const lead = await leadOf(r6.message.conversationId);
    expect(lead).toMatchObject({
      name: 'John Smith',
      email: 'john.smith@example.com',
      phone: '+14155550132',
      language: 'en',
      status: 'qualified',
    });
    // The chip's option stored as the tenant's service.
    expect(lead.qualification).toMatchObject({ serviceInterest: 'Dental implants', urgency: 'high' });
    expect(lead.qualification.custom.newPatient).toBe('no');
    expect(lead.qualification.timeline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Implants match no tenant rule; the tenant's rule replaces the default service points.
    expect(lead.scoreEvidence.map((e) => e.reason)).toEqual(
      expect.arrayContaining(['Shared an email address', 'Shared a phone number', 'Urgent need', 'Gave a date']),
    );
    expect(lead.scoreEvidence.map((e) => e.reason)).not.toContain('Named the service they want');
    expect(lead.score).toBe(lead.scoreEvidence.reduce((sum, e) => sum + e.points, 0));
    expect(lead.score).toBeGreaterThanOrEqual(15 + 15 + 5 + 20 + 10);
    expect(lead.temperature).toBe(lead.score >= 70 ? 'hot' : 'warm');
  });

  it('qualifies a Spanish visitor in Spanish and applies the tenant’s scoring rule', async () => {
    const { say } = await start();
    const r1 = await say('Hola, quería información sobre sus tratamientos');
    expect(r1.message.content).toMatch(/^¡Hola, gracias por contactar con Sunset Dental!/);
    expect(r1.message.ai?.language).toBe('es');
    const r2 = await say('2');
    expect(r2.message.content).toMatch(/^Gracias, anotado\./);
    await say('Sí, es bastante urgente');
    const r4 = await say('Sí');
    // The tenant's question in Spanish (it used to be asked in English).
    expect(r4.message.content).toContain('¿Cuándo te gustaría venir?');
    // A date months ahead: a date within a day would alert staff as urgent (and this test runs on the real clock).
    const r5 = await say('el 3 de marzo por la tarde');
    expect(r5.message.content).toContain('¿Cuál es el mejor correo electrónico o teléfono para contactarte?');
    const r6 = await say('Me llamo Lucía, mi correo es lucia@example.es');
    expect(r6.message.content).toMatch(
      /^Gracias, ya tenemos tus datos de contacto\. ¡Gracias! El equipo de Sunset Dental/,
    );

    const lead = await leadOf(r6.message.conversationId);
    expect(lead).toMatchObject({ name: 'Lucía', email: 'lucia@example.es', language: 'es', status: 'qualified' });
    expect(lead.qualification).toMatchObject({ serviceInterest: 'Teeth whitening', urgency: 'high' });
    expect(lead.qualification.timeline).toMatch(/-03-03$/);
    expect(lead.scoreEvidence).toContainEqual({ reason: 'Wants whitening (our top treatment)', points: 40 });
    expect(lead.score).toBe(
      Math.min(
        100,
        lead.scoreEvidence.reduce((sum, e) => sum + e.points, 0),
      ),
    );
    expect(lead.score).toBeGreaterThanOrEqual(40 + 20 + 10 + 15 + 5);
    expect(lead.temperature).toBe('hot');
    const escalations = await server.db.orm.em
      .getConnection()
      .execute<{ reason: string }[]>('select reason from escalations where conversation_id = ?', [
        r6.message.conversationId,
      ]);
    expect(escalations.map((e) => e.reason)).toEqual(['hot_lead']);
    const conv = await server.db.orm.em
      .getConnection()
      .execute<{ status: string }[]>('select status from conversations where id = ?', [r6.message.conversationId]);
    expect(conv[0]?.status).toBe('active');
  });

  it('escalates a French visitor who asks for a person, in French, and still scores the lead', async () => {
    const { v, say } = await start();
    const r1 = await say('Bonjour, je voudrais prendre rendez-vous pour un blanchiment');
    expect(r1.message.content).toMatch(/^Bonjour, merci d'avoir contacté Sunset Dental !/);
    const r2 = await say("Je préfère parler à quelqu'un de l'équipe s'il vous plaît");
    expect(r2.message.content).toContain('Je transmets votre conversation à un membre de notre équipe');
    expect(r2.message.content).toContain('pourriez-vous laisser une adresse e-mail');
    expect((await storedAi(r2.message.id))?.intent).toBe('ask:contact');
    const conversationId = r2.message.conversationId;
    const conn = server.db.orm.em.getConnection();
    const escalations = await conn.execute<{ reason: string; priority: string; status: string }[]>(
      'select reason, priority, status from escalations where conversation_id = ?',
      [conversationId],
    );
    expect(escalations).toEqual([{ reason: 'visitor_request', priority: 'high', status: 'pending' }]);
    const conv = await conn.execute<{ status: string }[]>('select status from conversations where id = ?', [
      conversationId,
    ]);
    expect(conv[0]?.status).toBe('escalated');

    const r3 = await say('claire.dubois@example.fr');
    expect(r3.message.content).toMatch(/^Merci, nous avons vos coordonnées\./);
    const lead = await leadOf(conversationId);
    expect(lead).toMatchObject({ email: 'claire.dubois@example.fr', language: 'fr', status: 'qualifying' });
    // Everything understood counts, not only answers to intake questions (the whitening asked for).
    expect(lead.scoreEvidence).toContainEqual({ reason: 'Shared an email address', points: 15 });
    expect(lead.score).toBe(lead.scoreEvidence.reduce((sum, e) => sum + e.points, 0));
    // Nothing was asked, so nothing was looked up (the status line used to say so on every message).
    expect(v.events.some(([n, p]) => n === 'ai:status' && (p as { status: string }).status === 'looking_up')).toBe(
      false,
    );
  });

  it('answers from the knowledge base when the configured FAQ entries do not, and records the source', async () => {
    const api = (path: string, body: unknown) =>
      fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const kb = await (await api('/knowledge-bases', { name: 'Clinic policies', language: 'english' })).json();
    const faq = await api(`/knowledge-bases/${kb.id}/faqs`, {
      question: 'Do you offer sedation for anxious patients?',
      answer: 'Yes: we offer nitrous oxide and oral sedation for anxious patients, at no extra charge for check-ups.',
    });
    expect(faq.status).toBe(201);

    const { say } = await start();
    const reply = await say('Do you offer sedation? I am an anxious patient');
    expect(reply.message.content).toContain('nitrous oxide and oral sedation');
    const ai = (await storedAi(reply.message.id)) as { entities?: { faq?: string; source?: string } } | null;
    expect(ai?.entities?.faq).toBe('Do you offer sedation for anxious patients?');
    expect(ai?.entities?.source).toMatch(/sedation/i);

    // Nothing in the configuration or the knowledge base: no made-up answer.
    const other = await say('Can I pay with cryptocurrency?');
    expect(other.message.content).not.toContain('nitrous oxide');
  });
});
