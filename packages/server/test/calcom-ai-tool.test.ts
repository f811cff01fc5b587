import type { LeadDto, MessageDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { longWhen, slotLabel } from '../src/booking/booking-texts.js';
import { type CalcomTenant, createCalcomTenant } from './support/calcom-tenant.js';
import {
  defaultScript,
  type FakeAiServer,
  type RecordedRequest,
  type Script,
  startFakeAnthropic,
  toolName,
} from './support/fake-ai-servers.js';
import { type FakeCalcom, startFakeCalcom } from './support/fake-calcom.js';
import { waitFor } from './support/fake-providers.js';
import { spokenTime } from './support/spoken-time.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, nextAiReply, type Visitor } from './support/widget-client.js';

/**
 * Booking through the AI: Claude (a local fake speaking the Messages API with
 * tool_use) answers the visitor and calls `record_qualification` with
 * nextAction `book_appointment`; the post-reply actions hand that to the same
 * booking conversation the structured mode uses, so the visitor gets three
 * free Cal.com slots as quick replies in their own language, and their tap is
 * booked once on Cal.com with the name and email the model recorded.
 */
type QuickReplies = Array<{ id: string; label: string }>;

const ANTHROPIC_KEY = 'sk-ant-test-booking-secret';
const ASK =
  'Hola, soy Ana García, mi correo es ana.garcia@example.com. Quisiera reservar una cita para un blanqueamiento.';

/** "el 5 de diciembre a las 11:00": a slot's day and time in Rome, as a Spanish visitor would ask for it. */
function inSpanish(iso: string): string {
  const { day, time } = spokenTime(iso, 'Europe/Rome', 'es');
  return `el ${day} a las ${time}`;
}

/** The model's turn for the booking request: a short answer and the tool call asking for an appointment. */
function bookingTurn(requestedTime: string): Script {
  return {
    kind: 'stream',
    text: ['¡Claro, Ana! ', 'Le busco ', 'un horario.'],
    tool: {
      name: 'record_qualification',
      input: {
        intent: 'book whitening',
        nextAction: 'book_appointment',
        score: 70,
        temperature: 'warm',
        evidence: [{ reason: 'Asked to book a whitening', points: 40 }],
        confidence: 0.9,
        fieldUpdates: { name: 'Ana García', email: 'ana.garcia@example.com', serviceInterest: 'Teeth whitening' },
        booking: { service: 'Teeth whitening', requestedTime },
      },
    },
    usage: { input: 600, output: 60 },
  };
}

const lastUserText = (r: RecordedRequest): string => {
  const content = r.body.messages?.at(-1)?.content as unknown;
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((c: { text?: string }) => c.text ?? '').join(' ') : '';
};

describe('Cal.com booking through the AI tool call (fake Anthropic, fake Cal.com, widget socket)', () => {
  let anthropic: FakeAiServer;
  let calcom: FakeCalcom;
  let server: TestServer;
  let tenant: CalcomTenant;
  const open: Visitor[] = [];

  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
    calcom = await startFakeCalcom();
    // The visitor asks for the day and hour of the fifth free slot: the offer starts there.
    anthropic.respond((r) =>
      toolName(r) === 'record_qualification' && lastUserText(r).includes('blanqueamiento')
        ? bookingTurn(inSpanish(calcom.slotStarts[4] as string))
        : defaultScript(r),
    );
    server = await startTestServer({
      env: {
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL: anthropic.url,
        AI_MAX_RETRIES: '0',
        AI_REQUEST_TIMEOUT_MS: '5000',
        CALCOM_BASE_URL: calcom.url,
        STRUCTURED_CHUNK_DELAY_MS: '0',
      },
    });
    tenant = await createCalcomTenant(server, calcom);
  }, 120_000);
  afterAll(async () => {
    for (const v of open) v.close();
    await server?.dispose();
    await anthropic?.close();
    await calcom?.close();
  });

  it('offers three Cal.com slots in the visitor’s language after the tool call, and books the one tapped', async () => {
    const v = connectVisitor(server.url, { siteKey: tenant.client.siteKey, origin: 'https://x.example' });
    open.push(v);
    await v.waitFor('session:ready');
    const ack = await v.send(ASK);
    if (!ack.ok) throw new Error(ack.error.message);

    // The model's own reply first, streamed as usual.
    const answer = await nextAiReply(v, ack.data.message.seq, 20_000);
    expect(answer.message.content).toBe('¡Claro, Ana! Le busco un horario.');
    expect(anthropic.replyRequests()).toHaveLength(1);
    // The model is told that booking is this tool call, and not to pick times itself.
    const stable = anthropic.replyRequests()[0]?.body.system?.[0]?.text ?? '';
    expect(stable).toContain('set nextAction to book_appointment');
    expect(stable).toContain('Never propose or confirm a time yourself');

    // Then the booking flow's offer: three real slots of the service's event type, in Spanish.
    const offer = await v.waitFor<{ message: MessageDto; quickReplies?: QuickReplies }>(
      'message:created',
      (p) => Boolean(p.quickReplies?.some((q) => q.id.startsWith('booking:'))),
      20_000,
    );
    expect(offer.message.seq).toBeGreaterThan(answer.message.seq);
    expect(offer.message.content).toBe(
      'Estos son los próximos horarios libres para Teeth whitening. ¿Cuál le viene bien?',
    );
    const slotQueries = calcom.calls('GET', '/v2/slots');
    expect(slotQueries).toHaveLength(1);
    expect(new URL(slotQueries[0]?.path ?? '', 'http://x').searchParams.get('eventTypeId')).toBe('200');
    // From the time asked for in the tool call on, not the first free hour.
    const labels = calcom.slotStarts.slice(4, 7).map((s) => slotLabel(s, 'Europe/Rome', 'es'));
    expect(offer.quickReplies?.map((q) => q.label)).toEqual(labels);
    // Spanish weekday and month names, not English ones.
    expect(labels.join(' ')).not.toMatch(/Mon|Tue|Wed|Thu|Fri|Sat|Sun/);

    // The tap is answered by the booking flow, not by another model call.
    const chosen = offer.quickReplies?.[2] as { id: string; label: string };
    const tap = await v.send(chosen.label, undefined, chosen.id);
    if (!tap.ok) throw new Error(tap.error.message);
    const confirmation = await nextAiReply(v, Math.max(offer.message.seq, tap.data.message.seq), 20_000);
    await server.app.conversation.orchestrator.idle();
    expect(confirmation.message.content).toBe(
      `Reserva confirmada para Teeth whitening: ${longWhen(calcom.slotStarts[6] as string, 'Europe/Rome', 'es')}. ¡Hasta pronto!`,
    );
    expect(anthropic.replyRequests()).toHaveLength(1);

    const posts = calcom.calls('POST', '/v2/bookings');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.status).toBe(201);
    expect(posts[0]?.json).toMatchObject({
      start: calcom.slotStarts[6],
      eventTypeId: 200,
      attendee: { name: 'Ana García', email: 'ana.garcia@example.com', timeZone: 'Europe/Rome', language: 'es' },
    });
    const found = await tenant.api<{ data: LeadDto[] }>('GET', '/leads?q=ana.garcia%40example.com');
    expect(found.body.data).toHaveLength(1);
    const lead = found.body.data[0] as LeadDto;
    expect(posts[0]?.json?.metadata).toMatchObject({ leaddeskLeadId: lead.id });
    expect(lead).toMatchObject({
      status: 'appointment_booked',
      appointmentAt: calcom.slotStarts[6],
      name: 'Ana García',
      email: 'ana.garcia@example.com',
    });

    // Asking again with a booking already made offers nothing new and books nothing more.
    const again = await v.send('Quisiera reservar otra cita para un blanqueamiento, por favor.');
    if (!again.ok) throw new Error(again.error.message);
    await nextAiReply(v, again.data.message.seq, 20_000);
    await server.app.conversation.orchestrator.idle();
    await waitFor(() => anthropic.replyRequests().length === 2);
    const offers = v
      .messages()
      .filter((m) => m.ai?.quickReplies?.some((q) => q.id.startsWith('booking:')) && m.seq > offer.message.seq);
    expect(offers).toHaveLength(0);
    expect(calcom.calls('POST', '/v2/bookings')).toHaveLength(1);
  }, 60_000);
});
