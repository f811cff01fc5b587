import { randomUUID } from 'node:crypto';
import type { Channel } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChannelAdapter, DeliveryError } from '../../src/channels/channel-adapter.js';
import type { DeliverJob } from '../../src/channels/outbound/outbound-delivery.js';
import { Client, Lead } from '../../src/db/entities/index.js';
import { PermanentJobError } from '../../src/jobs/job-queue.js';
import { createClient } from '../../src/tenants/tenant-service.js';
import {
  type FakeHttpProvider,
  type SmtpCapture,
  startFakeGraphApi,
  startFakeSendGrid,
  startFakeTwilio,
  startSmtpCapture,
  textOf,
} from '../support/fake-providers.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * The contract every outbound channel adapter passes (WhatsApp, SMS, email by
 * SMTP and by SendGrid's API): it splits long text sensibly, sends text that
 * arrives at the provider, tells permanent from transient failures, and —
 * through OutboundDelivery — records the delivery state on the message.
 */
interface Env {
  server: TestServer;
  graph: FakeHttpProvider;
  twilio: FakeHttpProvider;
  smtp: SmtpCapture;
  sendgrid: FakeHttpProvider;
}

interface AdapterSpec {
  name: string;
  channel: Channel;
  /** Which server: the SMTP one or the SendGrid one (the mailer is per process). */
  mail: 'smtp' | 'sendgrid';
  contact: { phone?: string; email?: string; handles?: Record<string, string> };
  /** The hard limit of one part. */
  maxLength: number;
  /** Whether a long text goes as several messages. */
  splits: boolean;
  received(env: Env): string[];
  failPermanent(env: Env): void;
  failTransient(env: Env): void;
}

const SPECS: AdapterSpec[] = [
  {
    name: 'whatsapp',
    channel: 'whatsapp',
    mail: 'smtp',
    contact: { phone: '+16505557001', handles: { whatsapp: '16505557001' } },
    maxLength: 4096,
    splits: true,
    received: (e) => e.graph.requests.filter((r) => r.status === 200 && r.json?.type === 'text').map((r) => textOf(r)),
    failPermanent: (e) =>
      e.graph.failNext({ status: 400, body: { error: { message: '(#131026) Message undeliverable', code: 131026 } } }),
    failTransient: (e) =>
      e.graph.failNext({ status: 400, body: { error: { message: '(#130429) Rate limit hit', code: 130429 } } }),
  },
  {
    name: 'sms',
    channel: 'sms',
    mail: 'smtp',
    contact: { phone: '+14155557002' },
    maxLength: 1600,
    splits: true,
    received: (e) => e.twilio.requests.filter((r) => r.status === 201).map((r) => r.form?.Body ?? ''),
    failPermanent: (e) =>
      e.twilio.failNext({
        status: 400,
        body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 },
      }),
    failTransient: (e) =>
      e.twilio.failNext({ status: 503, body: { code: 20503, message: 'Service unavailable', status: 503 } }),
  },
  {
    name: 'email (SMTP)',
    channel: 'email',
    mail: 'smtp',
    contact: { email: 'conformance-smtp@example.org' },
    maxLength: Number.POSITIVE_INFINITY,
    splits: false,
    received: (e) => e.smtp.mails.map((m) => m.text ?? ''),
    failPermanent: (e) => e.smtp.refuseNext(550),
    failTransient: (e) => e.smtp.refuseNext(451),
  },
  {
    name: 'email (SendGrid API)',
    channel: 'email',
    mail: 'sendgrid',
    contact: { email: 'conformance-sendgrid@example.org' },
    maxLength: Number.POSITIVE_INFINITY,
    splits: false,
    received: (e) =>
      e.sendgrid.requests
        .filter((r) => r.status === 202)
        .map(
          (r) =>
            ((r.json?.content as Array<{ type: string; value: string }>) ?? []).find((c) => c.type === 'text/plain')
              ?.value ?? '',
        ),
    failPermanent: (e) =>
      e.sendgrid.failNext({
        status: 401,
        body: {
          errors: [
            { message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null },
          ],
        },
      }),
    failTransient: (e) => e.sendgrid.failNext({ status: 503, body: { errors: [{ message: 'Service Unavailable' }] } }),
  },
];

const LONG = Array.from(
  { length: 14 },
  (_, i) => `Sentence number ${i + 1} explains one more detail of the offer, with enough words to matter.`,
).join(' ');
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

const envs: Partial<Record<'smtp' | 'sendgrid', Env>> = {};
let fakes: Omit<Env, 'server'>;

beforeAll(async () => {
  fakes = {
    graph: await startFakeGraphApi(),
    twilio: await startFakeTwilio(),
    smtp: await startSmtpCapture(),
    sendgrid: await startFakeSendGrid(),
  };
  const common = {
    META_GRAPH_BASE_URL: fakes.graph.url,
    TWILIO_BASE_URL: fakes.twilio.url,
    STRUCTURED_CHUNK_DELAY_MS: '0',
  };
  const [smtpServer, sendgridServer] = await Promise.all([
    startTestServer({ env: { ...common, SMTP_URL: fakes.smtp.url } }),
    startTestServer({ env: { ...common, SENDGRID_API_KEY: 'SG.fixture-key', SENDGRID_BASE_URL: fakes.sendgrid.url } }),
  ]);
  envs.smtp = { ...fakes, server: smtpServer };
  envs.sendgrid = { ...fakes, server: sendgridServer };
}, 60_000);

afterAll(async () => {
  await Promise.all([envs.smtp?.server.dispose(), envs.sendgrid?.server.dispose()]);
  await Promise.all(Object.values(fakes ?? {}).map((f) => f.close()));
});

describe.each(SPECS)('ChannelAdapter conformance: $name', (spec) => {
  let env: Env;
  let adapter: ChannelAdapter;
  let clientId: string;
  let conversationId: string;

  beforeAll(async () => {
    env = envs[spec.mail] as Env;
    const server = env.server;
    const found = server.app.channels.delivery.adapter(spec.channel);
    if (!found) throw new Error(`no adapter for ${spec.channel}`);
    adapter = found;
    const tenant = await createClient(server.db.orm.em.fork(), { name: `Conformance ${spec.name}`, industry: 'other' });
    clientId = tenant.client.id;
    const put = (p: string, body: unknown) =>
      fetch(`http://127.0.0.1:${server.port}/api/v1/channels/${p}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${tenant.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    if (spec.channel === 'whatsapp') {
      expect(
        (await put('whatsapp', { phoneNumberId: `7${Date.now()}`.slice(0, 15), accessToken: 'EAAG-conformance' }))
          .status,
      ).toBe(200);
    }
    if (spec.channel === 'sms') {
      expect(
        (
          await put('twilio', {
            accountSid: `AC${'a'.repeat(32)}`,
            authToken: 'twilio-conformance-token',
            phoneNumber: '+14155557999',
          })
        ).status,
      ).toBe(200);
    }
    const client = await server.db.orm.em.fork().findOneOrFail(Client, { id: clientId });
    // The lead writes first (on WhatsApp that opens the 24-hour window).
    const inbound = await server.app.conversation.core.receiveInbound({
      client,
      channel: spec.channel,
      contact: spec.contact,
      externalId: `in-${randomUUID()}`,
      content: 'Hello, I have a question.',
      requestReply: false,
    });
    conversationId = inbound.conversation.id;
  });

  const store = async (content: string) =>
    env.server.app.conversation.core.appendMessage({ clientId, conversationId, role: 'staff', content });
  const job = (messageId: string): DeliverJob => ({
    clientId,
    conversationId,
    messageId,
    channel: spec.channel,
    purpose: 'reply',
  });
  const row = async (messageId: string) =>
    (
      await env.server.db.orm.em.getConnection().execute<
        {
          delivery_state: string;
          delivery_error: { code?: unknown; message: string } | null;
          external_id: string | null;
          delivery_refs: string[];
        }[]
      >('select delivery_state, delivery_error, external_id, delivery_refs from messages where id = ?', [messageId])
    )[0];

  it('splits long text sensibly: parts within the limit, whole sentences, nothing lost', () => {
    const parts = adapter.split(LONG);
    expect(parts.length).toBeGreaterThanOrEqual(1);
    for (const p of parts) {
      expect(p.length).toBeGreaterThan(0);
      expect(p.length).toBeLessThanOrEqual(spec.maxLength);
      expect(p).toMatch(/[.!?]$/);
    }
    expect(norm(parts.join(' '))).toBe(norm(LONG));
    if (spec.splits) {
      expect(parts.length).toBeGreaterThan(1);
      // A few messages, not a stream of fragments.
      expect(parts.length).toBeLessThanOrEqual(5);
    } else {
      expect(parts).toHaveLength(1);
    }
    expect(adapter.split('   ')).toEqual([]);
  });

  it('sends text that arrives at the provider and records the delivery state', async () => {
    const before = spec.received(env).length;
    const message = await store('Thanks for your question! We are open until 6 pm today.');
    expect((await row(message.id))?.delivery_state).toBe('pending');
    await env.server.app.channels.delivery.run(job(message.id), 1);
    const received = spec.received(env).slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('We are open until 6 pm today.');
    const stored = await row(message.id);
    expect(stored?.delivery_state).toBe('sent');
    expect(stored?.external_id).toBeTruthy();
    expect(stored?.delivery_refs[0]).toBe(stored?.external_id);
    // Running the job again (a duplicate job) sends nothing more.
    await env.server.app.channels.delivery.run(job(message.id), 1);
    expect(spec.received(env).slice(before)).toHaveLength(1);
  });

  it('reports a permanent failure as permanent, records it on the message and stops', async () => {
    const message = await store('This one will be refused.');
    spec.failPermanent(env);
    const error = await env.server.app.channels.delivery.run(job(message.id), 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    const stored = await row(message.id);
    expect(stored?.delivery_state).toBe('failed');
    expect(stored?.delivery_error?.message.length).toBeGreaterThan(0);
    expect(stored?.delivery_error?.code).toBeDefined();
  });

  it('reports a transient failure as retryable, keeps the message pending, and the retry delivers it once', async () => {
    const before = spec.received(env).length;
    const message = await store('This one meets a temporary problem first.');
    spec.failTransient(env);
    const error = await env.server.app.channels.delivery.run(job(message.id), 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(false);
    expect((await row(message.id))?.delivery_state).toBe('pending');
    await env.server.app.channels.delivery.run(job(message.id), 2);
    expect((await row(message.id))?.delivery_state).toBe('sent');
    expect(spec.received(env).slice(before)).toEqual([expect.stringContaining('temporary problem first.')]);
  });

  it('gives up after the last attempt of transient failures and shows the failure', async () => {
    const message = await store('This one never gets through.');
    spec.failTransient(env);
    const error = await env.server.app.channels.delivery.run(job(message.id), 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((await row(message.id))?.delivery_state).toBe('failed');
  });

  it('refuses permanently when the lead cannot be reached on the channel', async () => {
    const lead = await env.server.db.orm.em.fork().findOneOrFail(Lead, { client: clientId });
    const client = await env.server.db.orm.em.fork().findOneOrFail(Client, { id: clientId });
    const message = await store('Nobody to send to.');
    const unreachableLead = { ...lead, phone: null, email: null, handles: {} } as typeof lead;
    const error = await adapter
      .deliver(
        { client, lead: unreachableLead, conversationId, message, sentParts: [], purpose: 'reply' },
        async () => {},
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).permanent).toBe(true);
  });
});
