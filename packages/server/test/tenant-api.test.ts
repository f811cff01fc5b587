import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lead } from '../src/db/entities/index.js';
import { findOrCreateLead } from '../src/leads/find-or-create-lead.js';
import { createClient, rotateApiKey, setClientStatus } from '../src/tenants/tenant-service.js';
import { DB_KINDS } from './support/databases.js';
import { startTestServer, type TestServer } from './support/test-server.js';

describe.each(DB_KINDS)('tenants and REST API on %s', (kind) => {
  let server: TestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  let b: Awaited<ReturnType<typeof createClient>>;
  const api = (path: string, key: string | undefined, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    });

  beforeAll(async () => {
    server = await startTestServer({ db: kind });
    a = await createClient(server.db.orm.em.fork(), { name: 'Alpha Dental', industry: 'dental' });
    b = await createClient(server.db.orm.em.fork(), { name: 'Beta Hotel', industry: 'hotel' });
    const em = server.db.orm.em.fork();
    await findOrCreateLead(em, a.client, 'web', { name: 'Ann', email: 'ann@example.com' });
    await findOrCreateLead(em, a.client, 'web', { name: 'Al', phone: '+14155550101' });
    await findOrCreateLead(em, b.client, 'whatsapp', { name: 'Bob', phone: '+447700900123' });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('stores only the SHA-256 hash of the API key and never returns it', async () => {
    expect(a.apiKey).toMatch(/^ld_live_[\w-]{43}$/);
    const row = await server.db.orm.em
      .getConnection()
      .execute<{ api_key_hash: string }[]>('select api_key_hash from clients where id = ?', [a.client.id]);
    expect(row[0]?.api_key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row[0]?.api_key_hash).not.toContain(a.apiKey);
    const res = await api('/client', a.apiKey);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).not.toContain(a.apiKey);
    expect(text).not.toContain(row[0]!.api_key_hash);
    expect(JSON.parse(text).siteKey).toMatch(/^pk_/);
  });

  it('refuses requests without a key or with a wrong key', async () => {
    const none = await api('/leads', undefined);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('unauthorized');
    const wrong = await api('/leads', 'ld_live_nope');
    expect(wrong.status).toBe(401);
  });

  it('lists only the calling tenant’s leads', async () => {
    const resA = await (await api('/leads', a.apiKey)).json();
    const resB = await (await api('/leads', b.apiKey)).json();
    expect(resA.total).toBe(2);
    expect(resA.data.map((l: { name: string }) => l.name).sort()).toEqual(['Al', 'Ann']);
    expect(resB.total).toBe(1);
    expect(resB.data[0].name).toBe('Bob');
  });

  it('answers 404 when tenant A asks for tenant B’s lead', async () => {
    const bLead = await server.db.orm.em.fork().findOneOrFail(Lead, { client: b.client.id });
    const res = await api(`/leads/${bLead.id}`, a.apiKey);
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
    const own = await api(`/leads/${bLead.id}`, b.apiKey);
    expect(own.status).toBe(200);
  });

  it('applies allowed status transitions and refuses others without change', async () => {
    const lead = await server.db.orm.em.fork().findOneOrFail(Lead, { client: a.client.id, email: 'ann@example.com' });
    const changes: Array<{ clientId: string; from: string; to: string; by: string }> = [];
    const stop = server.app.conversation.core.events.on('lead.status_changed', (e) =>
      changes.push({ clientId: e.clientId, from: e.from, to: e.to, by: e.by }),
    );
    const ok = await api(`/leads/${lead.id}/status`, a.apiKey, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'qualifying' }),
    });
    expect(ok.status).toBe(200);
    expect((await ok.json()).status).toBe('qualifying');
    const refused = await api(`/leads/${lead.id}/status`, a.apiKey, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'new' }),
    });
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatchObject({ code: 'invalid_transition' });
    const after = await (await api(`/leads/${lead.id}`, a.apiKey)).json();
    expect(after.status).toBe('qualifying');
    const bad = await api(`/leads/${lead.id}/status`, a.apiKey, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'won' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('validation_failed');
    stop();
    // Only the committed transition is announced (rules, webhooks and CRM sync listen); refusals are not.
    expect(changes).toEqual([{ clientId: a.client.id, from: 'new', to: 'qualifying', by: 'staff' }]);
  });

  it('paginates lists', async () => {
    const page = await (await api('/leads?pageSize=1&page=2', a.apiKey)).json();
    expect(page).toMatchObject({ page: 2, pageSize: 1, total: 2 });
    expect(page.data).toHaveLength(1);
    const invalid = await api('/leads?pageSize=1000', a.apiKey);
    expect(invalid.status).toBe(400);
  });

  it('refuses a rotated key and accepts the new one', async () => {
    const c = await createClient(server.db.orm.em.fork(), { name: 'Gamma Realty', industry: 'real_estate' });
    const res = await api('/client/api-key/rotate', c.apiKey, { method: 'POST' });
    expect(res.status).toBe(200);
    const { apiKey } = await res.json();
    expect(apiKey).not.toBe(c.apiKey);
    expect((await api('/leads', c.apiKey)).status).toBe(401);
    expect((await api('/leads', apiKey)).status).toBe(200);
    const em = server.db.orm.em.fork();
    const again = await rotateApiKey(em, em.merge(c.client));
    expect((await api('/leads', apiKey)).status).toBe(401);
    expect((await api('/leads', again)).status).toBe(200);
  });

  it('refuses a paused client’s API key and widget config with a clear error', async () => {
    const c = await createClient(server.db.orm.em.fork(), { name: 'Paused Spa' });
    const em = server.db.orm.em.fork();
    await setClientStatus(em, em.merge(c.client), 'paused');
    const res = await api('/leads', c.apiKey);
    expect(res.status).toBe(423);
    expect((await res.json()).error.code).toBe('client_paused');
    const widget = await fetch(`${server.url}/api/v1/widget/config?siteKey=${c.client.siteKey}`);
    expect(widget.status).toBe(423);
    await setClientStatus(em, em.merge(c.client), 'active');
    expect((await api('/leads', c.apiKey)).status).toBe(200);
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/leads'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['page', 'pageSize', 'status']),
    );
    expect(
      doc.paths['/leads/{id}/status'].patch.requestBody.content['application/json'].schema.properties.status.enum,
    ).toContain('qualified');
  });
});
