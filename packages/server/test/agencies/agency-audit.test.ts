import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthServer } from '../auth/support.js';
import { createAgencyStaff } from '../support/white-label.js';

/**
 * `GET /agency/audit` (issue 18, docs/agencies.md "Audit"): an agency's admins read the agency-level entries
 * (which belong to no client) of their own agency only, newest first, by cursor, filtered like the client
 * audit log; other roles and other kinds of accounts are refused.
 */
interface Entry {
  id: string;
  action: string;
  userId: string | null;
  target: string | null;
  metadata: Record<string, unknown>;
  createdAt: string;
}

describe('the agency audit log over HTTP', () => {
  let t: AuthTestServer;
  let root: string;
  let agencyA: string;
  let agencyB: string;
  let adminA: string;
  let managerA: string;
  let adminB: string;
  let clientAdmin: string;
  let agentAUserId: string;
  let createdClientId: string;

  const page = (token: string, query = '') => t.api(`/agency/audit${query}`, { token });

  beforeAll(async () => {
    t = await startAuthServer({ db: 'postgres' });
    const s = await t.createStaff({ client: null, role: 'super_admin' });
    root = (await t.login(s.email, s.password)).accessToken;
    agencyA = (await t.api('/admin/agencies', { token: root, body: { name: 'Audit Agency A' } })).body.id;
    agencyB = (await t.api('/admin/agencies', { token: root, body: { name: 'Audit Agency B' } })).body.id;
    const orm = t.server.db.orm;
    const login = async (who: { email: string; password: string }) =>
      (await t.login(who.email, who.password)).accessToken;
    adminA = await login(await createAgencyStaff(orm, agencyA, 'admin'));
    managerA = await login(await createAgencyStaff(orm, agencyA, 'manager'));
    adminB = await login(await createAgencyStaff(orm, agencyB, 'admin'));
    const agent = await createAgencyStaff(orm, agencyA, 'agent');
    const [row] = await orm.em
      .fork()
      .getConnection()
      .execute<{ id: string }[]>('select id from users where email = ?', [agent.email]);
    agentAUserId = row?.id as string;
    const plain = await t.newClient('Plain Clinic');
    clientAdmin = await login(await t.createStaff({ client: plain.client, role: 'admin' }));

    // Agency A's actions: its branding (once with one of its clients selected), a domain, a client, a staff change.
    expect(
      (await t.api('/agency/branding', { method: 'PATCH', token: adminA, body: { productName: 'A' } })).status,
    ).toBe(200);
    const created = await t.api('/agency/clients', { token: adminA, body: { name: 'A Client', industry: 'dental' } });
    expect(created.status).toBe(201);
    createdClientId = created.body.client.id;
    const selected = await t.api('/agency/branding', {
      method: 'PATCH',
      token: adminA,
      body: { accentColor: '#abc' },
      headers: { 'x-client-id': createdClientId },
    });
    expect(selected.status).toBe(200);
    expect((await t.api('/agency/brand-domains', { token: adminA, body: { host: 'a.agency.example' } })).status).toBe(
      201,
    );
    const changed = await t.api(`/agency/users/${agentAUserId}`, {
      method: 'PATCH',
      token: adminA,
      body: { role: 'viewer' },
    });
    expect(changed.status).toBe(200);
    // Agency B's, and a super admin's change to B.
    expect(
      (await t.api('/agency/branding', { method: 'PATCH', token: adminB, body: { productName: 'B' } })).status,
    ).toBe(200);
    expect(
      (await t.api(`/admin/agencies/${agencyB}`, { method: 'PATCH', token: root, body: { name: 'B2' } })).status,
    ).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await t?.server.dispose();
  });

  it("lists the agency's own entries, newest first, and none of another agency's", async () => {
    const res = await page(adminA, '?limit=100');
    expect(res.status).toBe(200);
    const entries = res.body.data as Entry[];
    expect(res.body.nextCursor).toBeNull();
    expect(entries.map((e) => e.action)).toEqual([
      'users.updated',
      'agency.brand_domain_added',
      'agency.branding_updated',
      'clients.created',
      'agency.branding_updated',
      'agencies.created',
    ]);
    const times = entries.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(JSON.stringify(entries)).not.toContain(agencyB);
    expect(entries.find((e) => e.action === 'users.updated')?.target).toBe(agentAUserId);

    const b = (await page(adminB, '?limit=100')).body.data as Entry[];
    expect(b.map((e) => e.action)).toEqual(['agencies.updated', 'agency.branding_updated', 'agencies.created']);
    expect(JSON.stringify(b)).not.toContain(agencyA);
  });

  it('files agency-level actions under the agency only, never under the client the caller selected', async () => {
    const res = await t.api('/audit-logs', { token: adminA, headers: { 'x-client-id': createdClientId } });
    expect(res.status).toBe(200);
    const actions = (res.body.data as Entry[]).map((e) => e.action);
    // The client it created is the client's business too; the agency's branding is not.
    expect(actions).toContain('clients.created');
    expect(actions).not.toContain('agency.branding_updated');
  });

  it('pages by cursor without repeats or gaps, and filters by action and user', async () => {
    const all = ((await page(adminA, '?limit=100')).body.data as Entry[]).map((e) => e.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await page(adminA, `?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(res.status).toBe(200);
      walked.push(...(res.body.data as Entry[]).map((e) => e.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(walked).toEqual(all);

    const branding = (await page(adminA, '?action=agency.branding_updated')).body.data as Entry[];
    expect(branding.map((e) => e.action)).toEqual(['agency.branding_updated', 'agency.branding_updated']);
    const adminAUserId = ((await page(adminA, '?action=users.updated')).body.data as Entry[])[0]?.userId;
    const byAdmin = (await page(adminA, `?userId=${adminAUserId}`)).body.data as Entry[];
    // Everything but the agency's creation, which a super admin did.
    expect(byAdmin.map((e) => e.action)).toHaveLength(5);
    expect(byAdmin.map((e) => e.action)).not.toContain('agencies.created');
    expect((await page(adminB, `?userId=${adminAUserId}`)).body.data).toEqual([]);

    expect((await page(adminA, '?cursor=not-a-cursor')).status).toBe(400);
    expect((await page(adminA, '?limit=0')).status).toBe(400);
    expect((await page(adminA, '?userId=nope')).status).toBe(400);
  });

  it("is the agency admins': managers, client staff and super admins get 403", async () => {
    expect((await page(managerA)).status).toBe(403);
    expect((await page(clientAdmin)).status).toBe(403);
    expect((await page(root)).status).toBe(403);
  });
});
