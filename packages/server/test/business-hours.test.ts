import type { CallbackTaskDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthServer, testClock } from './auth/support.js';
import { createAutomationTenant } from './support/automation-tenant.js';
import { connectVisitor, nextAiReply, type Visitor } from './support/widget-client.js';

/**
 * Business-hours intelligence end to end: a visitor writes on the widget
 * while the business is closed; the (structured) reply promises the next
 * opening in the visitor's language, a call-back task is due at that
 * instant, and both stay right across a daylight-saving change between now
 * and the opening. The clock is injected; nothing sleeps for hours.
 */
describe('business hours', () => {
  let t: AuthTestServer;
  // Saturday 28 March 2026, 22:00 in Berlin: clocks go forward on Sunday night.
  const clock = testClock(Date.parse('2026-03-28T21:00:00Z'));
  const open: Visitor[] = [];

  const visitor = async (siteKey: string) => {
    const v = connectVisitor(t.server.url, { siteKey, origin: 'https://site.example' });
    open.push(v);
    await v.waitFor('session:ready');
    return v;
  };
  const say = async (v: Visitor, text: string) => {
    const ack = await v.send(text);
    if (!ack.ok) throw new Error(ack.error.message);
    const reply = await nextAiReply(v, ack.data.message.seq, 20_000);
    return { conversationId: ack.data.message.conversationId, reply: reply.message };
  };

  const entitiesOf = async (messageId: string) => {
    const rows = await t.server.db.orm.em
      .getConnection()
      .execute<{ ai: { entities?: Record<string, unknown> } }[]>('select ai from messages where id = ?', [messageId]);
    return rows[0]?.ai.entities;
  };

  beforeAll(async () => {
    t = await startAuthServer({ db: 'postgres', clock, env: { STRUCTURED_CHUNK_DELAY_MS: '0' } });
  }, 120_000);

  afterAll(async () => {
    for (const v of open) v.close();
    await t?.server.dispose();
  });

  it('promises Monday 09:00 local on a Saturday night before the spring change, once, with one call-back task', async () => {
    const berlin = await createAutomationTenant(t, 'Berlin Smiles', {
      timezone: 'Europe/Berlin',
      config: { hours: {} },
    });
    const status = await t.api('/automation/hours', { token: berlin.admin.token });
    expect(status.body).toEqual({
      mode: 'weekend',
      open: false,
      timezone: 'Europe/Berlin',
      // 09:00 CEST (UTC+2) after the change, not 08:00Z as before it.
      nextOpenAt: '2026-03-30T07:00:00.000Z',
    });
    const en = await visitor(berlin.siteKey);
    const first = await say(en, 'Hello, I would like to book a check-up');
    expect(first.reply.content).toContain(
      "We're closed for the weekend. Someone from our team will call you on Monday at 09:00.",
    );
    // The mode that applied is recorded on the reply (staff see it; the visitor's copy carries no metadata).
    expect(await entitiesOf(first.reply.id)).toMatchObject({
      hoursMode: 'weekend',
      callbackAt: '2026-03-30T07:00:00.000Z',
    });
    const second = await say(en, 'My name is Tom');
    expect(second.reply.content).not.toContain('call you');

    const es = await visitor(berlin.siteKey);
    const spanish = await say(es, 'Hola, quiero pedir una cita para una limpieza');
    expect(spanish.reply.content).toContain('Alguien de nuestro equipo le llamará el lunes a las 09:00.');

    const tasks = (await t.api('/automation/callbacks', { token: berlin.admin.token })).body.data as CallbackTaskDto[];
    const byConversation = (id: string) => tasks.filter((x) => x.conversationId === id);
    expect(byConversation(first.conversationId)).toEqual([
      expect.objectContaining({ mode: 'weekend', dueAt: '2026-03-30T07:00:00.000Z', status: 'open' }),
    ]);
    expect(byConversation(spanish.conversationId)).toHaveLength(1);
  });

  it('runs the weekend flow separately from the after-hours flow, and says nothing in hours', async () => {
    clock.set(Date.parse('2026-03-28T21:00:00Z'));
    const tenant = await createAutomationTenant(t, 'Quiet Weekends', {
      timezone: 'Europe/Berlin',
      config: { hours: { weekend: { promiseCallback: false, callbackTask: false } } },
    });
    const sat = await say(await visitor(tenant.siteKey), 'Hello, do you do whitening?');
    expect(sat.reply.content).not.toContain('call you');
    // Tuesday 21:30 (after hours, summer time now) and Tuesday 10:00 (in hours).
    clock.set(Date.parse('2026-03-31T19:30:00Z'));
    const night = await say(await visitor(tenant.siteKey), 'Hello, do you do implants?');
    expect(night.reply.content).toContain(
      "We're closed right now. Someone from our team will call you tomorrow at 09:00.",
    );
    clock.set(Date.parse('2026-03-31T08:00:00Z'));
    const day = await say(await visitor(tenant.siteKey), 'Hello, do you do Invisalign?');
    expect(day.reply.content).not.toContain('call you');
    expect(await entitiesOf(day.reply.id)).toMatchObject({ hoursMode: 'in_hours' });
    const tasks = await t.server.db.orm.em
      .getConnection()
      .execute<{ conversation_id: string; due_at: Date; mode: string }[]>(
        'select conversation_id, due_at, mode from callback_tasks where client_id = ?',
        [tenant.clientId],
      );
    expect(tasks.map((r) => ({ c: r.conversation_id, due: new Date(r.due_at).toISOString(), mode: r.mode }))).toEqual([
      { c: night.conversationId, due: '2026-04-01T07:00:00.000Z', mode: 'after_hours' },
    ]);
  });

  it('keeps the 09:00 promise across the autumn change in New York, and skips a holiday', async () => {
    // Saturday 31 October 2026, 23:00 in New York (EDT); clocks go back on Sunday; Monday is a closure day.
    clock.set(Date.parse('2026-11-01T03:00:00Z'));
    const ny = await createAutomationTenant(t, 'Brooklyn Dental', {
      timezone: 'America/New_York',
      config: { hours: { holidays: [{ date: '2026-11-02', name: 'Staff training' }] } },
    });
    const { reply, conversationId } = await say(await visitor(ny.siteKey), 'Hi, I need a cleaning appointment');
    // Tuesday 09:00 EST = 14:00Z (it would be 13:00Z in summer time).
    expect(reply.content).toContain('Someone from our team will call you on Tuesday at 09:00.');
    const tasks = (await t.api('/automation/callbacks', { token: ny.admin.token })).body.data as CallbackTaskDto[];
    expect(tasks).toEqual([expect.objectContaining({ conversationId, dueAt: '2026-11-03T14:00:00.000Z' })]);
    // Another tenant's tasks are not listed.
    expect(tasks.every((x) => x.conversationId === conversationId)).toBe(true);
  });
});
