/**
 * The PATCH routes on records (a client as a super admin manages it, a staff
 * member, a knowledge base, a lead's status) change only the fields sent,
 * end to end over HTTP: every other column of the row comes back byte for
 * byte; an invalid merged result (null for a required field, a bad value) is
 * a 400 naming the field with the row untouched; concurrent patches of
 * different fields all survive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateLead } from '../src/leads/find-or-create-lead.js';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { DB_KINDS } from './support/databases.js';

type Json = Record<string, unknown>;

describe.each(DB_KINDS)('PATCH on records is a merge patch on %s', (kind) => {
  let t: AuthTestServer;
  let clientId = '';
  let apiKey = '';
  let rootToken = '';

  beforeAll(async () => {
    t = await startAuthServer({ db: kind });
    const tenant = await t.newClient('Records Dental');
    clientId = tenant.client.id;
    apiKey = tenant.apiKey;
    const root = await t.createStaff({ client: null, role: 'super_admin' });
    rootToken = (await t.login(root.email, root.password)).accessToken;
  });
  afterAll(async () => {
    await t?.server.dispose();
  });

  /** The whole row as PostgreSQL stores it, as JSON text, minus `updated_at` (which every write moves). */
  const rowText = async (table: string, id: string, ...ignore: string[]): Promise<string> => {
    const drop = ['updated_at', ...ignore].map((c) => `'${c}'`).join(', ');
    const rows = await t.server.db.orm.em
      .getConnection()
      .execute<{ r: string }[]>(
        `select (to_jsonb(t) - array[${drop}]::text[])::text as r from ${table} t where id = ?`,
        [id],
      );
    if (!rows[0]) throw new Error(`no ${table} row ${id}`);
    return rows[0].r;
  };
  const rowJson = async (table: string, id: string): Promise<Json> => JSON.parse(await rowText(table, id));

  /** Each invalid body is a 400 naming `field`, and the row is left exactly as it was. */
  const expectRefused = async (
    table: string,
    id: string,
    send: (body: unknown) => Promise<{ status: number; body: { error: { code: string; message: string } } }>,
    cases: Array<[unknown, string]>,
  ) => {
    const before = await rowText(table, id);
    for (const [body, field] of cases) {
      const res = await send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain(field);
    }
    expect(await rowText(table, id)).toBe(before);
  };

  describe('PATCH /admin/clients/:id', () => {
    const patch = (body: unknown) => t.api(`/admin/clients/${clientId}`, { method: 'PATCH', token: rootToken, body });

    it('changes only the plan; status and every other column survive', async () => {
      const before = await rowText('clients', clientId, 'plan');
      const res = await patch({ plan: 'scale' });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ plan: 'scale', status: 'active' });
      expect((await rowJson('clients', clientId)).plan).toBe('scale');
      expect(await rowText('clients', clientId, 'plan')).toBe(before);
    });

    it('refuses null for a required field, a bad value and an empty patch, changing nothing', async () => {
      await expectRefused('clients', clientId, patch, [
        [{ plan: null }, 'plan'],
        [{ status: 'gone', plan: 'growth' }, 'status'],
        [{}, 'send status, plan and/or agencyId'],
      ]);
    });

    it('keeps both of two concurrent patches of different fields', async () => {
      const [a, b] = await Promise.all([patch({ plan: 'growth' }), patch({ status: 'paused' })]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(await rowJson('clients', clientId)).toMatchObject({ plan: 'growth', status: 'paused' });
      expect((await patch({ status: 'active' })).status).toBe(200);
    });
  });

  describe('PATCH /users/:id', () => {
    let userId = '';
    const patch = (body: unknown) => t.api(`/users/${userId}`, { method: 'PATCH', token: apiKey, body });
    beforeAll(async () => {
      const { user } = await t.createStaff({ client: { id: clientId } as never, role: 'agent', name: 'Pat Agent' });
      userId = user.id;
    });

    it('changes only the role; the rest of the row survives', async () => {
      const before = await rowText('users', userId, 'role');
      const res = await patch({ role: 'manager' });
      expect(res.status, res.text).toBe(200);
      expect(res.body.role).toBe('manager');
      expect(await rowText('users', userId, 'role')).toBe(before);
    });

    it('refuses null for a required field and a bad role, changing nothing', async () => {
      await expectRefused('users', userId, patch, [
        [{ role: null }, 'role'],
        [{ disabled: null }, 'disabled'],
        [{ role: 'super_admin' }, 'role'],
        [{}, 'send role and/or disabled'],
      ]);
    });

    it('keeps both of two concurrent patches of different fields', async () => {
      const [a, b] = await Promise.all([patch({ role: 'viewer' }), patch({ disabled: true })]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const row = await rowJson('users', userId);
      expect(row.role).toBe('viewer');
      expect(row.disabled_at).not.toBeNull();
    });
  });

  describe('PATCH /knowledge-bases/:id', () => {
    let kbId = '';
    const patch = (body: unknown) => t.api(`/knowledge-bases/${kbId}`, { method: 'PATCH', token: apiKey, body });
    beforeAll(async () => {
      const res = await t.api('/knowledge-bases', {
        token: apiKey,
        body: { name: 'Prices', description: 'What things cost', category: 'pricing', language: 'spanish' },
      });
      expect(res.status, res.text).toBe(201);
      kbId = res.body.id;
    });

    it('changes only the description; name, category and language survive', async () => {
      const before = await rowText('knowledge_bases', kbId, 'description');
      const res = await patch({ description: 'Prices for 2027' });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({
        name: 'Prices',
        description: 'Prices for 2027',
        category: 'pricing',
        language: 'spanish',
      });
      expect(await rowText('knowledge_bases', kbId, 'description')).toBe(before);
    });

    it('refuses null for a required field, an empty name and an empty patch, changing nothing', async () => {
      await expectRefused('knowledge_bases', kbId, patch, [
        [{ name: null }, 'name'],
        [{ name: '   ', description: 'fine' }, 'name'],
        [{}, 'nothing to update'],
        [[1, 2], 'JSON object'],
      ]);
    });

    it('keeps every one of concurrent patches of different fields', async () => {
      const results = await Promise.all([
        patch({ name: 'Prices 2027' }),
        patch({ description: 'Updated yearly' }),
        patch({ category: 'sales' }),
      ]);
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(await rowJson('knowledge_bases', kbId)).toMatchObject({
        name: 'Prices 2027',
        description: 'Updated yearly',
        category: 'sales',
        language: 'spanish',
      });
    });
  });

  describe('PATCH /leads/:id/status', () => {
    let leadId = '';
    const patch = (body: unknown) => t.api(`/leads/${leadId}/status`, { method: 'PATCH', token: apiKey, body });
    beforeAll(async () => {
      const em = t.server.db.orm.em.fork();
      const { Client } = await import('../src/db/entities/index.js');
      const client = await em.findOneOrFail(Client, { id: clientId });
      const found = await findOrCreateLead(em, client, 'web', {
        name: 'Lena',
        email: 'lena@example.com',
        phone: '+14155550123',
      });
      leadId = found.lead.id;
    });

    it('changes only the status; contact, qualification and score survive', async () => {
      const before = await rowText('leads', leadId, 'status');
      const res = await patch({ status: 'qualifying' });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ status: 'qualifying', name: 'Lena', email: 'lena@example.com' });
      expect(await rowText('leads', leadId, 'status')).toBe(before);
    });

    it('refuses null and an unknown status, changing nothing', async () => {
      await expectRefused('leads', leadId, patch, [
        [{ status: null }, 'status'],
        [{ status: 'bogus' }, 'status'],
      ]);
    });

    it('checks concurrent transitions against the committed status: one wins, the other is refused', async () => {
      // From qualifying both are allowed; from either result the other is not (the transition table).
      const results = await Promise.all([patch({ status: 'closed_won' }), patch({ status: 'disqualified' })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200);
      expect((await rowJson('leads', leadId)).status).toBe(winner?.body.status);
    });
  });
});
