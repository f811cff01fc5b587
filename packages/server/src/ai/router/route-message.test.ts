import { clientConfigSchema, type MessageDto } from '@leaddesk/shared';
import { describe, expect, it, vi } from 'vitest';
import type { ReplyContext } from '../../replies/reply-engine.js';
import { routeMessage } from './route-message.js';

function context(
  text: string,
  options: { locale?: string; historyLength?: number; keywords?: string[] } = {},
): ReplyContext {
  const message = (i: number, content: string): MessageDto => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    conversationId: '00000000-0000-4000-8000-000000000000',
    seq: i + 1,
    role: i % 2 === 0 ? 'visitor' : 'ai',
    content,
    attachments: [],
    deliveryState: 'sent',
    ai: null,
    // A fixed Wednesday: relative dates in the messages resolve the same on every run.
    createdAt: '2026-12-02T10:00:00.000Z',
  });
  const count = options.historyLength ?? 1;
  const history = Array.from({ length: count }, (_, i) => message(i, i === count - 1 ? text : 'earlier message'));
  const trigger = history.at(-1) as MessageDto;
  return {
    client: {
      id: 'c1',
      name: 'Sunset Dental',
      industry: 'dental',
      locale: options.locale ?? 'en',
      timezone: 'Europe/Madrid',
      config: clientConfigSchema.parse({ escalation: { keywords: options.keywords ?? [] } }),
    },
    conversation: { id: trigger.conversationId, channel: 'web', visitorId: 'v1' },
    lead: null,
    history,
    trigger,
    scoringRules: [],
  };
}

describe('router rules per language', () => {
  it.each([
    ['en', 'Can I speak to a human please?', 'human_request', 'visitor_request'],
    ['es', 'Quiero hablar con una persona, por favor', 'human_request', 'visitor_request'],
    ['fr', "Je voudrais parler à quelqu'un de l'équipe", 'human_request', 'visitor_request'],
    ['de', 'Ich möchte bitte mit einem Menschen sprechen', 'human_request', 'visitor_request'],
    ['pt', 'Quero falar com uma pessoa de verdade', 'human_request', 'visitor_request'],
    ['it', 'Vorrei parlare con una persona, grazie', 'human_request', 'visitor_request'],
    ['en', 'This is unacceptable, I want to file a complaint', 'complaint', 'complaint'],
    ['es', 'Esto es inaceptable, quiero poner una queja', 'complaint', 'complaint'],
    ['fr', "C'est inadmissible, je veux déposer une plainte", 'complaint', 'complaint'],
    ['de', 'Das ist inakzeptabel, ich möchte eine Beschwerde einreichen', 'complaint', 'complaint'],
    ['pt', 'Isso é inaceitável, quero fazer uma reclamação', 'complaint', 'complaint'],
    ['it', 'È inaccettabile, voglio fare un reclamo', 'complaint', 'complaint'],
  ])('%s: "%s" → %s, escalates (%s)', async (lang, text, intent, reason) => {
    const route = await routeMessage(context(text));
    expect(route.language).toBe(lang);
    expect(route.intent).toBe(intent);
    expect(route.escalate?.reason).toBe(reason);
    expect(route.source).toBe('rules');
  });

  it.each([
    ['en', 'I have severe pain in my tooth, it is an emergency'],
    ['es', 'Tengo mucho dolor en una muela, es urgente'],
    ['fr', "J'ai une forte douleur à une dent, c'est une urgence"],
    ['de', 'Ich habe starke Schmerzen am Zahn, es ist ein Notfall'],
    ['pt', 'Estou com muita dor no dente, é urgente'],
    ['it', 'Ho molto dolore a un dente, è urgente'],
  ])('%s: urgency words → high urgency and an urgent escalation', async (lang, text) => {
    const route = await routeMessage(context(text));
    expect(route.language).toBe(lang);
    expect(route.urgency).toBe('high');
    expect(route.escalate).toMatchObject({ reason: 'urgent', priority: 'urgent' });
  });

  it.each([
    ['Quanto costa lo sbiancamento dei denti?', 'it', 'pricing'],
    ['Ich möchte einen Termin für nächste Woche buchen', 'de', 'booking'],
    ['¿Cuánto cuesta una limpieza dental?', 'es', 'pricing'],
    ['Je voudrais réserver un rendez-vous pour mardi', 'fr', 'booking'],
  ])('"%s" → %s %s without escalating', async (text, lang, intent) => {
    const route = await routeMessage(context(text));
    expect(route).toMatchObject({ language: lang, intent, escalate: null, urgency: 'normal' });
  });

  it('reads the message once and hands the understanding to the reply', async () => {
    const route = await routeMessage(
      context('Tengo un dolor de muelas horrible, ¿me podéis ver mañana por la mañana?'),
    );
    expect(route.intent).toBe('booking');
    expect(route.understanding).toMatchObject({
      language: 'es',
      emergency: true,
      urgency: 'high',
      date: { start: '2026-12-03', partOfDay: 'morning' },
    });
    // Pain is an emergency, not a complaint, even with "horrible".
    expect(route.escalate).toMatchObject({ reason: 'urgent', priority: 'urgent' });
  });

  it('does not raise an alarm for a booking for tomorrow without urgent words', async () => {
    const route = await routeMessage(context('I would like to book a cleaning for tomorrow afternoon'));
    expect(route).toMatchObject({ intent: 'booking', urgency: 'high', escalate: null });
  });

  it('does not mistake a word inside another word for a rule ("booking" is not "book" + "ing" of "rebooking"... but "hi" is not in "this")', async () => {
    const route = await routeMessage(context('this'));
    expect(route.intent).toBe('other');
    expect(route.matched).toEqual([]);
  });

  it('hands a very long conversation to staff', async () => {
    const route = await routeMessage(context('ok thanks', { historyLength: 41 }), { longConversation: 40 });
    expect(route.escalate).toMatchObject({ reason: 'other' });
    expect(route.escalate?.detail).toContain('41 messages');
  });

  it("escalates on the tenant's own keywords", async () => {
    const route = await routeMessage(
      context('I need to talk about my invoice dispute', { keywords: ['invoice dispute'] }),
    );
    expect(route.escalate).toMatchObject({ reason: 'keyword' });
  });

  it('asks the fast model only when the rules are unsure', async () => {
    const classify = vi.fn(async () => ({
      language: 'en',
      urgency: 'high' as const,
      escalate: true,
      intent: 'complaint' as const,
    }));
    const sure = await routeMessage(context('Can I speak to a human please?'), { classify });
    expect(sure.source).toBe('rules');
    expect(classify).not.toHaveBeenCalled();

    const unsure = await routeMessage(context('Something happened during my last visit that I would like to discuss'), {
      classify,
    });
    expect(classify).toHaveBeenCalledTimes(1);
    expect(unsure).toMatchObject({ source: 'model', intent: 'complaint', urgency: 'high' });
    expect(unsure.escalate).toMatchObject({ reason: 'complaint', priority: 'urgent' });

    const short = await routeMessage(context('ok'), { classify });
    expect(short.source).toBe('rules');
    expect(classify).toHaveBeenCalledTimes(1);
  });

  it('keeps the rules’ answer when the fast model fails', async () => {
    const route = await routeMessage(context('Something happened during my last visit that I would like to discuss'), {
      classify: async () => {
        throw new Error('provider down');
      },
    });
    expect(route).toMatchObject({ source: 'rules', intent: 'other', escalate: null });
  });
});
