import type { LeadDto, MessageDto } from '@leaddesk/shared';
import { describe, expect, it } from 'vitest';
import { buildClientConfig } from '../../tenants/tenant-service.js';
import type { Understanding } from '../../understanding/index.js';
import type { ReplyContext } from '../reply-engine.js';
import { compose, StructuredEngine } from './structured-engine.js';

/** A message as the understanding module would read it (for cases its rules decide, set by hand here). */
function read(text: string, over: Partial<Understanding>): Understanding {
  return {
    language: 'en',
    intent: 'other',
    intents: [],
    urgency: null,
    emergency: false,
    asksQuestion: /\?/.test(text),
    evidence: [],
    ...over,
  };
}

/**
 * The structured engine without a server: a conversation is replayed turn by
 * turn, applying each reply's lead updates as the orchestrator would.
 */
function conversation(
  industry: 'hotel' | 'dental' | 'real_estate',
  name: string,
  configure: (c: ReturnType<typeof buildClientConfig>) => void = () => {},
) {
  const config = buildClientConfig(industry);
  configure(config);
  const history: MessageDto[] = [];
  let lead: LeadDto = {
    id: '00000000-0000-4000-8000-000000000001',
    name: null,
    email: null,
    phone: null,
    language: null,
    source: 'web',
    qualification: { custom: {} },
    score: null,
    temperature: 'unscored',
    scoreEvidence: [],
    status: 'new',
    appointmentAt: null,
    assigneeId: null,
    crmId: null,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  let seq = 0;
  const message = (role: MessageDto['role'], content: string, ai: MessageDto['ai'] = null): MessageDto => ({
    id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
    conversationId: '00000000-0000-4000-8000-00000000c0c0',
    seq,
    role,
    content,
    attachments: [],
    deliveryState: 'sent',
    ai,
    createdAt: new Date().toISOString(),
  });
  return {
    say(text: string, quickReplyId?: string, understanding?: Partial<Understanding>) {
      const trigger = message('visitor', text);
      history.push(trigger);
      const context: ReplyContext = {
        client: { id: `client-${industry}-${name}`, name, industry, locale: 'en-US', timezone: 'UTC', config },
        conversation: { id: trigger.conversationId, channel: 'web', visitorId: 'v_test' },
        lead,
        history: [...history],
        trigger,
        scoringRules: [],
        quickReplyId,
      };
      const out = compose(context, understanding ? { understanding: read(text, understanding) } : {});
      history.push(message('ai', out.text, out.result.metadata));
      const u = out.result.leadUpdates ?? {};
      lead = {
        ...lead,
        name: lead.name ?? u.name ?? null,
        email: lead.email ?? u.email ?? null,
        phone: lead.phone ?? u.phone ?? null,
        language: u.language ?? lead.language,
        score: u.score ?? lead.score,
        temperature: u.temperature ?? lead.temperature,
        scoreEvidence: u.scoreEvidence ?? lead.scoreEvidence,
        status: u.status ?? lead.status,
        qualification: {
          ...lead.qualification,
          ...u.qualification,
          custom: { ...lead.qualification.custom, ...u.qualification?.custom },
        },
      };
      return { ...out, lead };
    },
  };
}

describe('structured engine', () => {
  it('books a hotel stay in German, every question and chip in German, confirming what it understood', () => {
    const c = conversation('hotel', 'Casa Azul');
    const r1 = c.say('Hallo, ich möchte ein Zimmer buchen');
    expect(r1.text).toBe(
      'Hallo, danke, dass Sie Casa Azul kontaktieren! Zimmer – notiert. Wann möchten Sie an- und abreisen?',
    );
    expect(r1.lead.qualification.serviceInterest).toBe('Rooms and suites');
    expect(r1.result.metadata.language).toBe('de');
    const r2 = c.say('vom 3. bis 5. Dezember');
    expect(r2.lead.qualification.timeline).toMatch(/^\d{4}-12-03 to \d{4}-12-05$/);
    // The range said back in German, then the next open question.
    expect(r2.text).toMatch(/^3\.[–\s-]+5\. Dezember – notiert\. Wie viele Gäste werden übernachten\?$/);
    const r3 = c.say('wir sind zwei Erwachsene');
    expect(r3.lead.qualification.custom.partySize).toBe('2');
    expect(r3.text).toContain('Welche Zimmerkategorie bevorzugen Sie?');
    expect(r3.result.quickReplies.map((q) => q.label)).toEqual(['Standard', 'Deluxe', 'Suite']);
    const r4 = c.say('Suite', 'q:room:2');
    expect(r4.lead.qualification.custom.roomType).toBe('Suite');
    expect(r4.text).toContain('An welches Budget pro Nacht haben Sie gedacht?');
    const r5 = c.say('ungefähr 250 € pro Nacht');
    expect(r5.lead.qualification.budgetRange).toBe('EUR 250');
    expect(r5.text).toContain('Unter welcher E-Mail-Adresse oder Telefonnummer erreichen wir Sie am besten?');
    const r6 = c.say('hans.mueller@example.de');
    expect(r6.text).toMatch(/^Danke, wir haben Ihre Kontaktdaten\. Vielen Dank! Das Team von Casa Azul/);
    expect(r6.lead).toMatchObject({ email: 'hans.mueller@example.de', status: 'qualified', language: 'de' });
    for (const r of [r1, r2, r3, r4, r5, r6]) expect(r.text).not.toMatch(/\b(What|How|Which|Do you|the)\b/);
  });

  it('answers a Spanish FAQ question with the Spanish translation, then asks in Spanish with Spanish chips', () => {
    const c = conversation('dental', 'Sonrisa');
    const r1 = c.say('¿Cuánto cuesta el blanqueamiento de dientes?');
    // Answered first; the service it asked about is stored, so the next open question is the urgency.
    expect(r1.text).toBe(
      '¡Hola, gracias por contactar con Sonrisa! El blanqueamiento en la clínica cuesta desde 350 $; los kits para casa, desde 180 $. ¿Tienes dolor o es urgente?',
    );
    expect(r1.result.metadata.entities?.source).toBe('How much does teeth whitening cost?');
    expect(r1.lead.qualification.serviceInterest).toBe('Teeth whitening');
    expect(r1.result.quickReplies.map((q) => q.label)).toEqual(['Sí, es urgente', 'Pronto', 'Solo estoy mirando']);
    const r2 = c.say('Pronto', 'q:urgency:1');
    expect(r2.lead.qualification.urgency).toBe('medium');
    expect(r2.text).toBe('Gracias, anotado. ¿Nos has visitado antes?');
    expect(r2.result.quickReplies.map((q) => q.label)).toEqual(['Sí', 'No']);
  });

  it('asks the service question with the translated options, and stores the chip as the tenant’s service', () => {
    const c = conversation('dental', 'Sonrisa');
    const r1 = c.say('Hola, buenas tardes');
    expect(r1.text).toBe('¡Hola, gracias por contactar con Sonrisa! ¿Qué tratamiento te interesa?');
    expect(r1.result.quickReplies.map((q) => q.label)).toEqual([
      'Revisión y limpieza',
      'Blanqueamiento',
      'Implantes',
      'Invisalign',
      'Urgencia',
    ]);
    const r2 = c.say('Implantes', 'q:service:2');
    expect(r2.lead.qualification.serviceInterest).toBe('Dental implants');
    expect(r2.text).toMatch(/¿Tienes dolor o es urgente\?$/);
  });

  it('never answers a question with an FAQ about something else; it says the team will confirm', () => {
    const c = conversation('dental', 'Sunset Dental');
    const r1 = c.say('How much is a cleaning?', undefined, {
      intent: 'pricing',
      intents: ['pricing'],
      asksQuestion: true,
    });
    expect(r1.text).not.toContain('$350');
    expect(r1.text).toContain("I'll check that with our team, who will confirm it for you.");
    expect(r1.result.metadata.entities?.unanswered).toBe(true);
  });

  it('does not ask again what the visitor gave up front, and stores it all on the lead', () => {
    const c = conversation('hotel', 'Casa Azul');
    const r1 = c.say("Hi, we'd like a room for 2 adults and 1 child from December 20 to 22", undefined, {
      intent: 'booking',
      intents: ['booking'],
      date: { start: '2026-12-20', end: '2026-12-22', text: 'from December 20 to 22' },
      party: { total: 3, adults: 2, children: 1, text: '2 adults and 1 child' },
      budget: { max: 200, currency: 'USD', approximate: true, text: 'around $200' },
      service: { name: 'Rooms and suites', matched: 'room' },
    });
    expect(r1.text).toContain('for 2 adults and 1 child');
    expect(r1.text).toContain('— noted.');
    expect(r1.text).toContain('Which room type would you prefer?');
    expect(r1.text).not.toMatch(/dates|How many guests|budget in mind/);
    expect(r1.lead.qualification).toMatchObject({
      timeline: '2026-12-20 to 2026-12-22',
      serviceInterest: 'Rooms and suites',
      budgetRange: 'USD 200',
      custom: { partySize: '3', adults: '2', children: '1', budgetApproximate: 'yes', intent: 'booking' },
    });
    expect(r1.lead.scoreEvidence.map((e) => e.reason)).toContain('Wants to book');
  });

  it('acknowledges a complaint, escalates it, and asks no sales question (then or after)', () => {
    const c = conversation('dental', 'Sunset Dental');
    const r1 = c.say('Estoy muy molesta, me cobraron dos veces la última visita', undefined, {
      language: 'es',
      intent: 'complaint',
      intents: ['complaint'],
    });
    expect(r1.result.escalation).toMatchObject({ reason: 'complaint', priority: 'high' });
    expect(r1.text).toContain('Siento mucho lo ocurrido.');
    expect(r1.text).toContain('¿puedes dejarnos un correo electrónico o un teléfono?');
    expect(r1.text).not.toContain('¿Qué tratamiento te interesa?');
    expect(r1.result.quickReplies).toEqual([]);
    expect(r1.lead.qualification.custom.intent).toBe('complaint');
    const r2 = c.say('ana@example.es', undefined, { language: 'es', email: 'ana@example.es' });
    expect(r2.text).not.toContain('¿Qué tratamiento te interesa?');
    expect(r2.text).toContain('Gracias, ya tenemos tus datos de contacto.');
  });

  it('hands a German toothache to staff at once: urgent lead, emergency stored, not scored cold', () => {
    const c = conversation('dental', 'Praxis Weiß');
    const r1 = c.say('Ich habe seit gestern starke Zahnschmerzen und die Backe ist geschwollen', undefined, {
      language: 'de',
      intent: 'booking',
      intents: ['booking'],
      urgency: 'high',
      emergency: true,
      service: { name: 'Emergency care', matched: 'zahnschmerzen' },
    });
    expect(r1.result.escalation).toMatchObject({ reason: 'urgent', priority: 'urgent' });
    expect(r1.text).toContain('Es tut mir leid, dass es Ihnen gerade so geht.');
    expect(r1.text).not.toMatch(/Welche Behandlung|\?.*\?/);
    expect(r1.lead.qualification).toMatchObject({ urgency: 'high', custom: { emergency: 'yes' } });
    expect(r1.lead.temperature).not.toBe('cold');
    expect(r1.lead.scoreEvidence.map((e) => e.reason)).toContain('Emergency (pain, bleeding or swelling)');
  });

  it('follows the tenant’s rules: a cancellation is acknowledged but not escalated when turned off', () => {
    const c = conversation('dental', 'Sunset Dental', (cfg) => {
      cfg.escalation.onCancellation = false;
    });
    const r1 = c.say('I need to cancel my appointment on Friday', undefined, {
      intent: 'cancellation',
      intents: ['cancellation'],
      email: 'jo@example.com',
    });
    expect(r1.result.escalation).toBeUndefined();
    expect(r1.text).toBe(
      'Hi, thanks for contacting Sunset Dental! No problem. A member of our team will follow up with you shortly.',
    );
  });

  it('skips an untranslated custom question rather than asking it in another language', () => {
    const c = conversation('dental', 'Sonrisa', (cfg) => {
      cfg.qualificationQuestions = [
        {
          id: 'x',
          field: 'favouriteColour',
          question: 'What is your favourite colour?',
          type: 'free_text',
          required: false,
          options: [],
          translations: {},
        },
        {
          id: 'u',
          field: 'urgency',
          question: 'How soon?',
          type: 'multiple_choice',
          options: ['Now', 'Later', 'Whenever'],
          required: false,
          translations: {},
        },
      ];
    });
    const r1 = c.say('Hola, me gustaría pedir cita');
    expect(r1.text).toBe('¡Hola, gracias por contactar con Sonrisa! ¿Es urgente?');
    expect(r1.result.quickReplies.map((q) => q.label)).toEqual(['Urgente', 'Pronto', 'Solo estoy planificando']);
    const r2 = c.say('Pronto', 'q:u:1');
    expect(r2.lead.qualification.urgency).toBe('medium');
  });

  it('streams the composed text as ordered deltas and stops when aborted', async () => {
    const engine = new StructuredEngine({ chunkDelayMs: 1, wordsPerChunk: 2 });
    const c = conversation('dental', 'Sunset Dental');
    const expected = c.say('Do you accept dental insurance?').text;
    const context = {
      client: {
        id: 'x',
        name: 'Sunset Dental',
        industry: 'dental',
        locale: 'en',
        timezone: 'UTC',
        config: buildClientConfig('dental'),
      },
      conversation: { id: 'c', channel: 'web' as const, visitorId: null },
      lead: null,
      history: [],
      trigger: {
        id: 't',
        conversationId: 'c',
        seq: 1,
        role: 'visitor' as const,
        content: 'Do you accept dental insurance?',
        attachments: [],
        deliveryState: 'sent' as const,
        ai: null,
        createdAt: new Date().toISOString(),
      },
      scoringRules: [],
    };
    let text = '';
    const kinds: string[] = [];
    for await (const ev of engine.reply(context, new AbortController().signal)) {
      kinds.push(ev.type);
      if (ev.type === 'delta') text += ev.text;
    }
    expect(text).toBe(expected);
    expect(kinds[0]).toBe('status');
    expect(kinds.at(-1)).toBe('done');
    expect(kinds.filter((k) => k === 'delta').length).toBeGreaterThan(5);

    const controller = new AbortController();
    let deltas = 0;
    for await (const ev of engine.reply(context, controller.signal)) {
      if (ev.type === 'delta' && ++deltas === 2) controller.abort();
      expect(ev.type).not.toBe('done');
    }
    expect(deltas).toBe(2);
  });
});
