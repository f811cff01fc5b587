import type { RuleDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { createFreshPostgresDatabase } from './support/databases.js';
import { waitFor } from './support/fake-providers.js';
import { type PrivateRedis, startPrivateRedis } from './support/private-redis.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, type Visitor } from './support/widget-client.js';

/**
 * Rules fire once when two processes see the same trigger: two servers on
 * one PostgreSQL database and one Redis (rooms and BullMQ jobs shared), the
 * same booking change emitted on both buses at once, the same no-reply
 * timer armed by both, and a restart that replays the event.
 */
describe('automation rules across processes', () => {
  let redis: PrivateRedis;
  let db: { url: string; drop(): Promise<void> };
  let a: TestServer;
  let b: TestServer;
  let apiKey: string;
  let clientId: string;
  let siteKey: string;
  const open: Visitor[] = [];

  const env = (redisUrl: string) => ({
    REDIS_URL: redisUrl,
    REDIS_PREFIX: 'rulesproc:',
    APP_SECRET: 'automation-processes-secret-0123456789abcdef',
    STRUCTURED_CHUNK_DELAY_MS: '0',
    AUTOMATION_MINUTE_MS: '100',
  });
  const api = async (server: TestServer, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  const firings = async (ruleId: string) =>
    a.db.orm.em
      .getConnection()
      .execute<{ id: string; actions: unknown[]; firing_key: string }[]>(
        'select id, actions, firing_key from automation_rule_firings where rule_id = ? and client_id = ?',
        [ruleId, clientId],
      );

  beforeAll(async () => {
    redis = await startPrivateRedis();
    db = await createFreshPostgresDatabase();
    a = await startTestServer({ db: 'postgres', reuse: { databaseUrl: db.url }, env: env(redis.url) });
    b = await startTestServer({ db: 'postgres', reuse: { databaseUrl: db.url }, env: env(redis.url) });
    const created = await createClient(a.db.orm.em.fork(), {
      name: 'Twin Process Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
      starterKnowledge: false,
    });
    apiKey = created.apiKey;
    clientId = created.client.id;
    siteKey = created.client.siteKey;
  }, 180_000);

  afterAll(async () => {
    for (const v of open) v.close();
    await a?.stop();
    await b?.stop();
    await db?.drop();
    await redis?.stop();
  });

  it('fires once for the same booking change emitted on two processes at once and replayed after a restart; a moved booking fires again', async () => {
    // Both processes ask for the rules at once: the template is installed once.
    const lists = await Promise.all([api(a, '/automation/rules'), api(b, '/automation/rules')]);
    expect(lists.map((l) => l.status)).toEqual([200, 200]);
    expect(
      ((await api(a, '/automation/rules')).body.data as RuleDto[]).filter((r) => r.source === 'template'),
    ).toHaveLength(3);
    const rule = (
      await api(a, '/automation/rules', {
        name: 'Booking made: tag',
        trigger: { kind: 'booking_changed', changes: ['created'] },
        actions: [{ type: 'add_tag', tag: 'booked' }],
      })
    ).body as RuleDto;
    const v = connectVisitor(a.url, { siteKey, origin: 'https://site.example' });
    open.push(v);
    await v.waitFor('session:ready');
    const identified = await v.socket.timeout(10_000).emitWithAck('visitor:identify', { email: 'twin@example.com' });
    if (!identified.ok) throw new Error(identified.error.message);
    const ack = await v.send('I would like an appointment');
    if (!ack.ok) throw new Error(ack.error.message);
    const booking = {
      clientId,
      leadId: identified.data.leadId,
      conversationId: ack.data.message.conversationId,
      bookingId: 'cal-twin-1',
      change: 'created' as const,
      startsAt: '2026-12-10T09:00:00.000Z',
      endsAt: null,
      service: null,
      by: 'calendar' as const,
    };
    for (let i = 0; i < 5; i++) {
      a.app.conversation.core.events.emit('booking.changed', booking);
      b.app.conversation.core.events.emit('booking.changed', booking);
    }
    await waitFor(async () => (await firings(rule.id)).some((f) => f.actions.length > 0));
    await new Promise((r) => setTimeout(r, 500));
    expect(await firings(rule.id)).toHaveLength(1);

    // A restarted process replays the event: the log still holds one firing for that moment.
    b = await b.restart();
    b.app.conversation.core.events.emit('booking.changed', booking);
    expect(
      await b.app.automation.engine.handle(
        clientId,
        { conversationId: booking.conversationId },
        {
          type: 'booking_changed',
          bookingId: booking.bookingId,
          change: booking.change,
          startsAt: booking.startsAt,
        },
      ),
    ).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(await firings(rule.id)).toHaveLength(1);
    // A moved booking is another moment.
    a.app.conversation.core.events.emit('booking.changed', { ...booking, startsAt: '2026-12-11T09:00:00.000Z' });
    await waitFor(async () => (await firings(rule.id)).length === 2);
  });

  it('runs a no-reply timer armed on both processes once, through the shared job queue', async () => {
    const rule = (
      await api(b, '/automation/rules', {
        name: 'No reply in 3 minutes: tag',
        trigger: { kind: 'no_staff_reply', minutes: 3, after: ['escalation'] },
        actions: [{ type: 'add_tag', tag: 'waited' }],
      })
    ).body as RuleDto;
    const v = connectVisitor(b.url, { siteKey, origin: 'https://site.example' });
    open.push(v);
    await v.waitFor('session:ready');
    const ack = await v.send('Can somebody call me back?');
    if (!ack.ok) throw new Error(ack.error.message);
    const conversationId = ack.data.message.conversationId;
    // Escalated on A (its bus arms the timer); B arms the same timer for the same escalation.
    const { escalationId } = await a.app.conversation.core.escalate({
      clientId,
      conversationId,
      reason: 'other',
      detail: 'test',
    });
    await Promise.all([
      b.app.automation.timers.armNoReply(clientId, conversationId, 'escalation', escalationId),
      a.app.automation.timers.armNoReply(clientId, conversationId, 'escalation', escalationId),
    ]);
    // And the due check raced on both processes directly: one claim wins.
    const raced = await Promise.all([
      a.app.automation.engine.fireDue(clientId, conversationId, {
        type: 'no_staff_reply_due',
        ruleId: rule.id,
        moment: escalationId,
      }),
      b.app.automation.engine.fireDue(clientId, conversationId, {
        type: 'no_staff_reply_due',
        ruleId: rule.id,
        moment: escalationId,
      }),
    ]);
    expect(raced.sort()).toEqual([0, 1]);
    // 3 minutes of 100 ms, plus slack for the worker: the job finds the firing claimed and adds none.
    await new Promise((r) => setTimeout(r, 1500));
    // (The visitor's request may have opened an escalation of its own, with its own timer and firing.)
    const ofThis = async () => (await firings(rule.id)).filter((f) => f.firing_key.endsWith(`nsr:${escalationId}`));
    expect(await ofThis()).toHaveLength(1);
    await waitFor(async () => (await ofThis())[0]?.actions.length);
  });
});
