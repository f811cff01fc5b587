import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpenAt } from '../src/http/routes/staff-desk.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { connectVisitor, type Visitor } from './support/widget-client.js';

/** The dashboard's REST reads: inbox filters, escalations (resolve, stats), analytics. */
describe('staff desk REST API', () => {
  let t: AuthTestServer;
  let dental: Awaited<ReturnType<typeof createClient>>;
  let other: Awaited<ReturnType<typeof createClient>>;
  let token: string;
  let otherToken: string;
  let managerId: string;
  const visitors: Visitor[] = [];
  const conversations: string[] = [];

  beforeAll(async () => {
    t = await startAuthServer({ db: 'postgres', env: { STRUCTURED_CHUNK_DELAY_MS: '0' } });
    dental = await createClient(t.server.db.orm.em.fork(), {
      name: 'Desk Dental',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    other = await createClient(t.server.db.orm.em.fork(), {
      name: 'Other Co',
      industry: 'hotel',
      allowedOrigins: ['*'],
    });
    const m = await t.createStaff({ client: dental.client, role: 'manager', name: 'Mara Manager' });
    managerId = m.user.id;
    token = (await t.login(m.email, m.password)).accessToken;
    const o = await t.createStaff({ client: other.client, role: 'manager' });
    otherToken = (await t.login(o.email, o.password)).accessToken;
    for (const text of ['Do you do implants?', 'I need a human please', 'Whitening price?']) {
      const v = connectVisitor(t.server.url, { siteKey: dental.client.siteKey, origin: 'https://x.example' });
      visitors.push(v);
      await v.waitFor('session:ready');
      const ack = await v.send(text);
      if (!ack.ok) throw new Error(ack.error.message);
      conversations.push(ack.data.message.conversationId);
      await v.waitFor('reply:ended');
    }
    await t.server.db.orm.em
      .getConnection()
      .execute(`update conversations set mode = 'human', mode_holder_id = ? where id = ?`, [
        managerId,
        conversations[2],
      ]);
  }, 60_000);
  afterAll(async () => {
    for (const v of visitors) v.close();
    await t?.server.dispose();
  });

  it('lists the inbox with filters and search, scoped to the client', async () => {
    const all = await t.api('/inbox', { token });
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.data[0]).toMatchObject({ channel: 'web', lastMessage: expect.any(String) });
    const escalated = await t.api('/inbox?filter=escalated', { token });
    expect(escalated.body.data.map((c: { id: string }) => c.id)).toEqual([conversations[1]]);
    const human = await t.api('/inbox?filter=human', { token });
    expect(human.body.data).toMatchObject([{ id: conversations[2], holder: { name: 'Mara Manager' } }]);
    const mine = await t.api('/inbox?filter=mine', { token });
    expect(mine.body.data.map((c: { id: string }) => c.id)).toEqual([conversations[2]]);
    const search = await t.api('/inbox?q=implants', { token });
    expect(search.body.data.map((c: { id: string }) => c.id)).toEqual([conversations[0]]);
    expect((await t.api('/inbox?filter=bogus', { token })).status).toBe(400);
    expect((await t.api('/inbox', { token: otherToken })).body.total).toBe(0);
  });

  it('resolves an escalation with a note once, and reports stats', async () => {
    const pending = await t.api('/escalations?status=pending', { token });
    expect(pending.body.data).toHaveLength(1);
    const esc = pending.body.data[0];
    expect(esc).toMatchObject({ conversationId: conversations[1], reason: 'visitor_request', status: 'pending' });
    expect(
      (await t.api(`/escalations/${esc.id}/resolve`, { token: otherToken, body: { resolution: 'x' } })).status,
    ).toBe(404);
    expect((await t.api(`/escalations/${esc.id}/resolve`, { token, body: { resolution: '' } })).status).toBe(400);
    const resolved = await t.api(`/escalations/${esc.id}/resolve`, {
      token,
      body: { resolution: 'Called the patient back' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution: 'Called the patient back',
      resolvedBy: 'Mara Manager',
    });
    expect((await t.api(`/escalations/${esc.id}/resolve`, { token, body: { resolution: 'again' } })).status).toBe(409);
    const conv = await t.api(`/conversations/${conversations[1]}`, { token });
    expect(conv.body.status).toBe('active');
    const stats = await t.api('/escalations/stats', { token });
    expect(stats.body).toMatchObject({ total: 1, pending: 0, mostCommonReason: 'visitor_request' });
    expect(stats.body.averageMinutesToResolve).toBeGreaterThanOrEqual(0);
  });

  it('computes analytics KPIs and series from the stored data', async () => {
    const res = await t.api('/analytics?days=7', { token });
    expect(res.status).toBe(200);
    expect(res.body.kpis).toMatchObject({ leads: 3, escalations: 1 });
    expect(res.body.kpis.avgFirstResponseSeconds).toBeGreaterThanOrEqual(0);
    expect(res.body.kpis.avgFirstResponseSeconds).toBeLessThan(30);
    expect(res.body.byChannel).toEqual([{ channel: 'web', leads: 3 }]);
    const days = res.body.leadsByDay as Array<{ hot: number; warm: number; cold: number }>;
    expect(days.reduce((s, d) => s + d.hot + d.warm + d.cold, 0)).toBe(3);
    expect(res.body.scoreDistribution.reduce((s: number, b: { leads: number }) => s + b.leads, 0)).toBe(3);
    expect(res.body.afterHours.conversations).toBeLessThanOrEqual(3);
    expect((await t.api('/analytics?days=0', { token })).status).toBe(400);
  });

  it('filters leads by creation date and minimum score', async () => {
    const today = new Date().toISOString().slice(0, 10);
    expect((await t.api(`/leads?from=${today}&to=${today}`, { token })).body.total).toBe(3);
    expect((await t.api('/leads?to=2000-01-01', { token })).body.total).toBe(0);
    expect((await t.api('/leads?minScore=101', { token })).status).toBe(400);
    expect((await t.api('/leads?from=yesterday', { token })).status).toBe(400);
    expect((await t.api('/leads?minScore=0', { token })).body.total).toBe(3);
  });

  it('knows after-hours time in the client’s time zone with several periods a day', () => {
    const hours = {
      mon: [
        { open: '09:00', close: '12:00' },
        { open: '14:00', close: '18:00' },
      ],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [],
      sun: [],
    };
    // Monday 2026-11-23 in Madrid (UTC+1).
    expect(isOpenAt(hours, 'Europe/Madrid', new Date('2026-11-23T09:30:00Z'))).toBe(true); // 10:30
    expect(isOpenAt(hours, 'Europe/Madrid', new Date('2026-11-23T12:30:00Z'))).toBe(false); // 13:30 lunch
    expect(isOpenAt(hours, 'Europe/Madrid', new Date('2026-11-23T13:30:00Z'))).toBe(true); // 14:30
    expect(isOpenAt(hours, 'Europe/Madrid', new Date('2026-11-23T17:30:00Z'))).toBe(false); // 18:30
  });
});
