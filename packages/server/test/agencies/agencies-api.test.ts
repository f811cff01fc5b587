import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthTestServer,
  type MailCatcher,
  startAuthServer,
  startMailCatcher,
  strongPassword,
  tokenFromMail,
} from '../auth/support.js';

/**
 * Agencies over HTTP (issue 18): super admins create and rename agencies, move
 * clients in and out and invite an agency's first admin; agency staff read
 * their agency and its clients, create clients from a template, see the
 * overview (only their clients, also as CSV), and manage their own staff.
 * Bad input is a 4xx that changes nothing; every change has its audit entry.
 */
describe('agencies over HTTP', () => {
  let t: AuthTestServer;
  let mail: MailCatcher;
  let root: string;
  const rows = <T>(sql: string, params: unknown[] = []) =>
    t.server.db.orm.em.fork().getConnection().execute<T[]>(sql, params);
  const audit = (action: string, target: string) =>
    rows<{ client_id: string | null; user_id: string | null; metadata: Record<string, unknown> }>(
      'select client_id, user_id, metadata from audit_logs where action = ? and target = ? order by created_at',
      [action, target],
    );

  /** State an agency admin builds up through the tests below. */
  let agencyId: string;
  let agencyAdmin: string;
  let otherAgencyId: string;

  beforeAll(async () => {
    mail = await startMailCatcher();
    t = await startAuthServer({ db: 'postgres', env: { SMTP_URL: mail.url } });
    const s = await t.createStaff({ client: null, role: 'super_admin' });
    root = (await t.login(s.email, s.password)).accessToken;
  }, 60_000);
  afterAll(async () => {
    await mail?.close();
    await t?.server.dispose();
  });

  it('lets a super admin create, list, read and rename agencies, with clear 4xx for bad input', async () => {
    const bad = await t.api('/admin/agencies', { token: root, body: { name: '  ' } });
    expect(bad.status).toBe(400);
    const badSlug = await t.api('/admin/agencies', { token: root, body: { name: 'X', slug: 'Not A Slug' } });
    expect(badSlug.status).toBe(400);
    expect(badSlug.text).toMatch(/slug/);
    expect((await rows('select id from agencies')).length).toBe(0);

    const created = await t.api('/admin/agencies', { token: root, body: { name: 'Brightside Marketing' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Brightside Marketing', slug: 'brightside-marketing', clients: 0 });
    agencyId = created.body.id;
    const [entry] = await audit('agencies.created', agencyId);
    expect(entry).toMatchObject({ client_id: null, metadata: { agencyId, slug: 'brightside-marketing' } });

    const taken = await t.api('/admin/agencies', {
      token: root,
      body: { name: 'Other', slug: 'brightside-marketing' },
    });
    expect(taken.status).toBe(409);
    const second = await t.api('/admin/agencies', { token: root, body: { name: 'Brightside Marketing' } });
    expect(second.body.slug).toBe('brightside-marketing-2');
    otherAgencyId = second.body.id;

    const list = await t.api('/admin/agencies', { token: root });
    expect(list.body.data.map((a: { id: string }) => a.id).sort()).toEqual([agencyId, otherAgencyId].sort());

    expect((await t.api(`/admin/agencies/${randomUUID()}`, { token: root })).status).toBe(404);
    expect((await t.api('/admin/agencies/not-a-uuid', { token: root })).status).toBe(404);

    const empty = await t.api(`/admin/agencies/${agencyId}`, { method: 'PATCH', token: root, body: {} });
    expect(empty.status).toBe(400);
    const clash = await t.api(`/admin/agencies/${agencyId}`, {
      method: 'PATCH',
      token: root,
      body: { slug: 'brightside-marketing-2' },
    });
    expect(clash.status).toBe(409);
    const renamed = await t.api(`/admin/agencies/${agencyId}`, {
      method: 'PATCH',
      token: root,
      body: { name: 'Brightside Agency' },
    });
    expect(renamed.status).toBe(200);
    // A partial update changes only what it names.
    expect(renamed.body).toMatchObject({ name: 'Brightside Agency', slug: 'brightside-marketing' });
    const [updated] = await audit('agencies.updated', agencyId);
    expect(updated?.metadata).toMatchObject({ to: { name: 'Brightside Agency', slug: 'brightside-marketing' } });
  });

  it('moves clients into and out of an agency; an unknown agency is refused and changes nothing', async () => {
    const c = await t.newClient('Moved Dental');
    const unknown = await t.api(`/admin/clients/${c.client.id}`, {
      method: 'PATCH',
      token: root,
      body: { agencyId: randomUUID() },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(/no such agency/);
    const malformed = await t.api(`/admin/clients/${c.client.id}`, {
      method: 'PATCH',
      token: root,
      body: { agencyId: 'nope' },
    });
    expect(malformed.status).toBe(400);
    expect(
      (await rows<{ agency_id: string | null }>('select agency_id from clients where id = ?', [c.client.id]))[0],
    ).toEqual({ agency_id: null });

    const moved = await t.api(`/admin/clients/${c.client.id}`, {
      method: 'PATCH',
      token: root,
      body: { agencyId },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ agencyId, plan: 'starter', status: 'active' });
    const [entry] = await audit('clients.updated', c.client.id);
    expect(entry).toMatchObject({ client_id: c.client.id, metadata: { agencyId: { from: null, to: agencyId } } });
    const got = await t.api(`/admin/agencies/${agencyId}`, { token: root });
    expect(got.body).toMatchObject({ clients: 1, clientList: [{ id: c.client.id, name: 'Moved Dental' }] });

    const out = await t.api(`/admin/clients/${c.client.id}`, {
      method: 'PATCH',
      token: root,
      body: { agencyId: null },
    });
    expect(out.body.agencyId).toBeNull();
    const back = await t.api(`/admin/clients/${c.client.id}`, { method: 'PATCH', token: root, body: { agencyId } });
    expect(back.body.agencyId).toBe(agencyId);
  });

  it('invites an agency’s first admin, who signs in with the agency and no client', async () => {
    const invited = await t.api(`/admin/agencies/${agencyId}/invitations`, {
      token: root,
      body: { email: 'ada@brightside.example', name: 'Ada', role: 'admin' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ agencyId, clientId: null, role: 'admin' });
    const m = await mail.waitFor((x) => x.to.includes('ada@brightside.example'));
    expect(m.subject).toContain('Brightside Agency');
    const [entry] = await audit('users.invited', invited.body.id);
    expect(entry).toMatchObject({ client_id: null, metadata: { agencyId, role: 'admin' } });

    const password = strongPassword();
    const accepted = await t.api('/auth/invitations/accept', { body: { token: tokenFromMail(m), password } });
    expect(accepted.status).toBe(200);
    agencyAdmin = (await t.login('ada@brightside.example', password)).accessToken;
    const me = await t.api('/auth/me', { token: agencyAdmin });
    expect(me.body).toMatchObject({
      client: null,
      agency: { id: agencyId, name: 'Brightside Agency', slug: 'brightside-marketing' },
      user: { role: 'admin', agencyId },
    });
    // No client selected: tenant routes ask for one.
    expect((await t.api('/leads', { token: agencyAdmin })).status).toBe(400);
  });

  it('lets agency staff read their agency and create clients in it (plan and template), never in another', async () => {
    const agency = await t.api('/agency', { token: agencyAdmin });
    expect(agency.body).toMatchObject({ id: agencyId, name: 'Brightside Agency', clients: 1, staff: 1 });

    const invalid = await t.api('/agency/clients', { token: agencyAdmin, body: { name: '', plan: 'platinum' } });
    expect(invalid.status).toBe(400);
    const before = (await rows('select id from clients')).length;
    const created = await t.api('/agency/clients', {
      token: agencyAdmin,
      body: { name: 'Harbor Hotel', industry: 'hotel', plan: 'growth', starterKnowledge: false },
    });
    expect(created.status).toBe(201);
    expect(created.body.apiKey).toMatch(/^ld_/);
    expect(created.body.client).toMatchObject({ name: 'Harbor Hotel', industry: 'hotel', plan: 'growth', agencyId });
    expect((await rows('select id from clients')).length).toBe(before + 1);
    const [entry] = await audit('clients.created', created.body.client.id);
    expect(entry).toMatchObject({ client_id: created.body.client.id, metadata: { agencyId } });

    // A client of the other agency: never in this agency's list, not found when selected.
    const foreign = await t.newClient('Elsewhere Dental', 'starter', otherAgencyId);
    const list = await t.api('/agency/clients', { token: agencyAdmin });
    expect(list.body.data.map((c: { name: string }) => c.name)).toEqual(['Harbor Hotel', 'Moved Dental']);
    const selected = await t.api('/client', {
      token: agencyAdmin,
      headers: { 'x-client-id': foreign.client.id },
    });
    expect(selected.status).toBe(404);
    expect(selected.body.error.message).toBe('client not found');
    // The agency's own client: its admin role applies there.
    const own = await t.api('/plan', { token: agencyAdmin, headers: { 'x-client-id': created.body.client.id } });
    expect(own.status).toBe(200);
    expect(own.body.plan).toBe('growth');
  });

  it('shows the overview of the agency’s clients only, sortable, with plan and usage against budget, and as CSV', async () => {
    await rows("update clients set tokens_used_month = 5000, usage_month = to_char(now(), 'YYYY-MM') where name = ?", [
      'Harbor Hotel',
    ]);
    const res = await t.api('/agency/overview?sort=tokensUsed&order=desc', { token: agencyAdmin });
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { name: string }) => r.name)).toEqual(['Harbor Hotel', 'Moved Dental']);
    expect(res.body.rows[0]).toMatchObject({ plan: 'growth', tokensUsed: 5000, leads: 0, hotLeads: 0 });
    expect(res.body.rows[0].tokenBudget).toBeGreaterThan(5000);
    expect(res.body.rows[0].budgetUsed).toBeCloseTo(5000 / res.body.rows[0].tokenBudget);
    const asc = await t.api('/agency/overview?sort=tokensUsed&order=asc', { token: agencyAdmin });
    expect(asc.body.rows.map((r: { name: string }) => r.name)).toEqual(['Moved Dental', 'Harbor Hotel']);
    expect((await t.api('/agency/overview?sort=bogus', { token: agencyAdmin })).status).toBe(400);

    const csv = await t.api('/agency/overview.csv?sort=name', { token: agencyAdmin });
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines[0]).toContain('plan');
    expect(lines).toHaveLength(3);
    expect(csv.text).toContain('Harbor Hotel');
    expect(csv.text).not.toContain('Elsewhere Dental');

    // Super admins see every client, or one agency's.
    const all = await t.api('/admin/reports/overview', { token: root });
    expect(all.body.rows.map((r: { name: string }) => r.name)).toContain('Elsewhere Dental');
    const one = await t.api(`/admin/reports/overview?agencyId=${otherAgencyId}`, { token: root });
    expect(one.body.rows.map((r: { name: string }) => r.name)).toEqual(['Elsewhere Dental']);
  });

  it('lets an agency admin invite and manage the agency’s staff, and nobody else’s', async () => {
    const bad = await t.api('/agency/users/invitations', {
      token: agencyAdmin,
      body: { email: 'x@y.example', role: 'super_admin' },
    });
    expect(bad.status).toBe(400);
    const invited = await t.api('/agency/users/invitations', {
      token: agencyAdmin,
      body: { email: 'sam@brightside.example', role: 'agent' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ agencyId, clientId: null, role: 'agent' });
    const m = await mail.waitFor((x) => x.to.includes('sam@brightside.example'));
    const password = strongPassword();
    await t.api('/auth/invitations/accept', { body: { token: tokenFromMail(m), password } });
    const sam = (await t.login('sam@brightside.example', password)).accessToken;

    const staff = await t.api('/agency/users', { token: agencyAdmin });
    expect(staff.body.data.map((u: { email: string }) => u.email).sort()).toEqual([
      'ada@brightside.example',
      'sam@brightside.example',
    ]);

    // An agent reads the switcher list but neither the overview nor the staff.
    expect((await t.api('/agency/clients', { token: sam })).status).toBe(200);
    expect((await t.api('/agency/overview', { token: sam })).status).toBe(403);
    expect((await t.api('/agency/users', { token: sam })).status).toBe(403);

    const promoted = await t.api(`/agency/users/${invited.body.id}`, {
      method: 'PATCH',
      token: agencyAdmin,
      body: { role: 'manager' },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'manager', status: 'active' });
    const [entry] = await audit('users.updated', invited.body.id);
    expect(entry).toMatchObject({ client_id: null, metadata: { agencyId } });
    expect((await t.api('/agency/overview', { token: sam })).status).toBe(200);

    const self = await t.api(`/agency/users/${idOf(staff.body.data, 'ada@brightside.example')}`, {
      method: 'PATCH',
      token: agencyAdmin,
      body: { role: 'viewer' },
    });
    expect(self.status).toBe(403);

    // Another agency's member, and a client's member: not found here.
    const otherMember = await t.createStaff({ client: null, agency: { id: otherAgencyId }, role: 'agent' });
    const clientMember = await t.createStaff({ client: (await t.newClient('Solo Dental')).client, role: 'agent' });
    for (const id of [otherMember.user.id, clientMember.user.id]) {
      const res = await t.api(`/agency/users/${id}`, { method: 'PATCH', token: agencyAdmin, body: { disabled: true } });
      expect(res.status).toBe(404);
    }
    expect(
      (await rows<{ n: number }>('select count(*)::int as n from users where disabled_at is not null'))[0]?.n,
    ).toBe(0);
  });

  it('refuses agency routes to client staff, super admins and API keys', async () => {
    const c = await t.newClient('Plain Dental');
    const admin = await t.createStaff({ client: c.client, role: 'admin' });
    const clientAdmin = (await t.login(admin.email, admin.password)).accessToken;
    for (const [who, token] of [
      ['client admin', clientAdmin],
      ['super admin', root],
      ['api key', c.apiKey],
    ] as const) {
      for (const path of ['/agency', '/agency/clients', '/agency/overview', '/agency/users']) {
        const res = await t.api(path, { token });
        expect.soft(res.status, `${who} ${path}`).toBe(403);
      }
      const create = await t.api('/agency/clients', { token, body: { name: 'Sneaky' } });
      expect.soft(create.status, `${who} create`).toBe(403);
    }
    expect((await rows('select id from clients where name = ?', ['Sneaky'])).length).toBe(0);
    // And agency staff may not use the platform routes.
    expect((await t.api('/admin/agencies', { token: agencyAdmin })).status).toBe(403);
    expect((await t.api('/admin/clients', { token: agencyAdmin })).status).toBe(403);
  });

  it('asks agency staff for two-factor sign-in before they act for a client that requires it', async () => {
    const strict = await t.newClient('Strict Dental', 'starter', agencyId);
    await rows(`update clients set config = jsonb_set(config, '{require2fa}', 'true') where id = ?`, [
      strict.client.id,
    ]);
    const res = await t.api('/client', { token: agencyAdmin, headers: { 'x-client-id': strict.client.id } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/two-factor/);
  });
});

function idOf(users: Array<{ id: string; email: string }>, email: string): string {
  const user = users.find((u) => u.email === email);
  if (!user) throw new Error(`no user ${email}`);
  return user.id;
}
