import type { LeadDto, MessageDto } from '@leaddesk/shared';
import { describe, expect, it } from 'vitest';
import { buildClientConfig } from '../../tenants/tenant-service.js';
import type { ReplyContext } from '../reply-engine.js';
import { compose, StructuredEngine } from './structured-engine.js';

/**
 * The structured engine without a server: a conversation is replayed turn by
 * turn, applying each reply's lead updates as the orchestrator would.
 */
function conversation(industry: 'hotel' | 'dental', name: string) {
  const config = buildClientConfig(industry);
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
    say(text: string, quickReplyId?: string) {
      const trigger = message('visitor', text);
      history.push(trigger);
      const context: ReplyContext = {
        client: { id: `client-${industry}-${name}`, name, industry, locale: 'en', timezone: 'UTC', config },
        conversation: { id: trigger.conversationId, channel: 'web', visitorId: 'v_test' },
        lead,
        history: [...history],
        trigger,
        scoringRules: [],
        quickReplyId,
      };
      const out = compose(context);
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
  it('books a hotel stay in German: date range, party size, room, budget, contact', () => {
    const c = conversation('hotel', 'Casa Azul');
    const r1 = c.say('Hallo, ich möchte ein Zimmer buchen');
    expect(r1.text).toBe('Hallo, danke, dass Sie Casa Azul kontaktieren! What are your check-in and check-out dates?');
    expect(r1.result.metadata.language).toBe('de');
    const r2 = c.say('vom 3. bis 5. Dezember');
    expect(r2.lead.qualification.timeline).toMatch(/^\d{4}-12-03 to \d{4}-12-05$/);
    expect(r2.text).toBe('Danke, notiert. How many guests will be staying?');
    const r3 = c.say('wir sind zwei Erwachsene');
    expect(r3.lead.qualification.custom.partySize).toBe('2');
    expect(r3.result.quickReplies.map((q) => q.label)).toEqual(['Standard', 'Deluxe', 'Suite']);
    const r4 = c.say('Suite', 'q:room:2');
    expect(r4.lead.qualification.serviceInterest).toBe('Suite');
    const r5 = c.say('ungefähr 250 € pro Nacht');
    expect(r5.lead.qualification.budgetRange).toBe('EUR 250');
    expect(r5.text).toContain('Unter welcher E-Mail-Adresse oder Telefonnummer erreichen wir Sie am besten?');
    const r6 = c.say('hans.mueller@example.de');
    expect(r6.text).toMatch(/^Danke, wir haben Ihre Kontaktdaten\. Vielen Dank! Das Team von Casa Azul/);
    expect(r6.lead).toMatchObject({ email: 'hans.mueller@example.de', status: 'qualified', language: 'de' });
    expect(r6.lead.score).toBe(15 + 15 + 10 + 15 + 5);
  });

  it('answers in Italian and Portuguese, picks up details given early, and escalates on request', () => {
    const it = conversation('hotel', 'Casa Azul');
    const r1 = it.say('Ciao, siamo quattro persone e vorremmo una camera');
    expect(r1.text.startsWith('Ciao, grazie per aver contattato Casa Azul!')).toBe(true);
    expect(r1.lead.qualification.custom.partySize).toBe('4');
    const r2 = it.say('Posso parlare con un operatore?');
    expect(r2.result.escalation).toMatchObject({ reason: 'visitor_request', priority: 'high' });
    expect(r2.text).toContain('Passo la conversazione a una persona del nostro team');

    const pt = conversation('dental', 'Sorriso');
    const p1 = pt.say('Olá, gostaria de marcar uma consulta de implantes');
    expect(p1.text.startsWith('Olá, obrigado por contactar Sorriso!')).toBe(true);
    expect(p1.result.metadata.language).toBe('pt');
    const p2 = pt.say('3');
    expect(p2.lead.qualification.serviceInterest).toBe('Implants');
    expect(p2.text.startsWith('Obrigado, anotado.')).toBe(true);
  });

  it('re-asks a question it did not understand, and answers an FAQ that also answers the question', () => {
    const c = conversation('dental', 'Sunset Dental');
    c.say('Hello there, I need some help');
    const r2 = c.say('hmm not sure');
    expect(r2.text).toBe("Sorry, I didn't quite catch that. Which treatment are you interested in?");
    const r3 = c.say('How much does teeth whitening cost?');
    expect(r3.text).toContain('In-office whitening starts at $350');
    // Asking about whitening while the treatment question is open answers it too.
    expect(r3.lead.qualification.serviceInterest).toBe('Whitening');
    expect(r3.result.metadata.intent).toBe('ask:urgency');
    expect(r3.text).toContain('Are you in pain or is this urgent?');
    expect(r3.result.metadata.confidence).toBeGreaterThan(0.7);
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
