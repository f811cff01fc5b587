/**
 * Moving a brand domain by proof of DNS control (docs/white-label.md, "Moving a domain"), over HTTP against a
 * local DNS server: a host another tenant holds, by a squatting pending claim or a verified one whose domain
 * was sold, moves to whoever publishes their own take-over value at the host's TXT name. Until then nothing
 * changes; the former owner keeps an audit entry that names no one; the host is then served with the new
 * owner's brand and re-checked against the new owner's value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { type FakeDns, startFakeDns } from './support/fake-dns.js';
import { brandDomainEnv, createAgency, createAgencyStaff, requestWithHost } from './support/white-label.js';

let t: AuthTestServer;
let dns: FakeDns;
let squatter: string;
let clientAdmin: string;
let otherClientAdmin: string;
let clientAgent: string;
let squatterAgencyId: string;

const HOST = 'book.acme.example';
const RECORD = `_brand-check.${HOST}`;

interface DomainView {
  host: string;
  status: 'pending' | 'verified';
  verification: { type: 'TXT'; name: string; value: string } | null;
}

const productAt = async (host: string) =>
  JSON.parse((await requestWithHost(`${t.server.url}/api/v1/branding`, host)).text).productName as string;
const hostsOf = async (path: string, token: string) =>
  ((await t.api(path, { token })).body.data as DomainView[]).map((d) => `${d.host}:${d.status}`);
const record = (token: string, host = HOST) => t.api(`/client/brand-domains/${host}/take-over`, { token });
const takeOver = (token: string, host = HOST) =>
  t.api(`/client/brand-domains/${host}/take-over`, { method: 'POST', token });

beforeAll(async () => {
  dns = await startFakeDns();
  t = await startAuthServer({
    env: {
      ...brandDomainEnv(dns),
      BRAND_DOMAIN_TXT_LABEL: '_brand-check',
      BRAND_DOMAIN_RECHECK_MS: '0',
    },
  });
  const login = async (who: { email: string; password: string }) =>
    (await t.login(who.email, who.password)).accessToken;
  const acme = await t.newClient('Acme Dental');
  const other = await t.newClient('Other Clinic');
  clientAdmin = await login(await t.createStaff({ client: acme.client, role: 'admin' }));
  clientAgent = await login(await t.createStaff({ client: acme.client, role: 'agent' }));
  otherClientAdmin = await login(await t.createStaff({ client: other.client, role: 'admin' }));
  const agency = await createAgency(t.server.db.orm, { name: 'Squat', branding: { productName: 'SquatDesk' } });
  squatterAgencyId = agency.id;
  squatter = await login(await createAgencyStaff(t.server.db.orm, agency.id, 'admin'));
  await t.api('/client/branding', { method: 'PATCH', token: clientAdmin, body: { productName: 'Acme Care' } });
  await t.api('/client/branding', { method: 'PATCH', token: otherClientAdmin, body: { productName: 'Other Care' } });
}, 120_000);

afterAll(async () => {
  await t?.server.dispose();
  await dns?.close();
});

describe('moving a brand domain another tenant holds', () => {
  it('a pending claim blocks a plain claim, and the refusal says how to move the host', async () => {
    const squat = await t.api('/agency/brand-domains', { token: squatter, body: { host: HOST } });
    expect(squat.status).toBe(201);
    const refused = await t.api('/client/brand-domains', { token: clientAdmin, body: { host: HOST } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`GET /client/brand-domains/${HOST}/take-over`);
    // It does not say who holds it.
    expect(refused.body.error.message).not.toContain('Squat');
  });

  it('each claimant gets its own stable value to publish, unlike the holder’s', async () => {
    const mine = await record(clientAdmin);
    expect(mine.status).toBe(200);
    expect(mine.body.data).toEqual({
      host: HOST,
      verification: { type: 'TXT', name: RECORD, value: expect.stringMatching(/^[0-9a-f]{32}$/) },
    });
    expect((await record(clientAdmin)).body.data).toEqual(mine.body.data);
    const theirs = await record(otherClientAdmin);
    expect(theirs.body.data.verification.value).not.toBe(mine.body.data.verification.value);
    const held = (await t.api('/agency/brand-domains', { token: squatter })).body.data as DomainView[];
    expect(held[0]?.verification?.value).not.toBe(mine.body.data.verification.value);
  });

  it('without the caller’s own value published nothing moves, and the caller is told why', async () => {
    const none = await takeOver(clientAdmin);
    expect(none.status).toBe(409);
    expect(none.body.error.message).toBe(`no TXT record found at ${RECORD} yet (DNS changes can take a while to show)`);
    // The squatter's value, or another claimant's, proves nothing for this caller.
    const held = (await t.api('/agency/brand-domains', { token: squatter })).body.data as DomainView[];
    const other = (await record(otherClientAdmin)).body.data.verification.value as string;
    dns.txt.set(RECORD, [held[0]?.verification?.value as string, other]);
    const wrong = await takeOver(clientAdmin);
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toContain('does not hold');
    // A failed lookup is not an answer: 503, nothing changes.
    dns.failing.add(RECORD);
    const mine = (await record(clientAdmin)).body.data.verification.value as string;
    dns.txt.set(RECORD, [mine]);
    const down = await takeOver(clientAdmin);
    dns.failing.delete(RECORD);
    expect(down.status).toBe(503);
    expect(await hostsOf('/agency/brand-domains', squatter)).toEqual([`${HOST}:pending`]);
    expect(await hostsOf('/client/brand-domains', clientAdmin)).toEqual([]);
    // An agent may not move domains.
    expect((await takeOver(clientAgent)).status).toBe(403);
    expect((await record(clientAgent)).status).toBe(403);
  });

  it('with it published the host moves, verified and served with the new brand; the former owner is told', async () => {
    const mine = (await record(clientAdmin)).body.data.verification.value as string;
    dns.txt.set(RECORD, ['v=spf1 -all', mine]);
    const moved = await takeOver(clientAdmin);
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ host: HOST, status: 'verified', lastError: null, expiresAt: null });
    // The re-check now looks for the new owner's value.
    expect(moved.body.data.verification).toEqual({ type: 'TXT', name: RECORD, value: mine });
    expect(await productAt(HOST)).toBe('Acme Care');
    expect(await hostsOf('/agency/brand-domains', squatter)).toEqual([]);
    expect((await t.api(`/agency/brand-domains/${HOST}/verify`, { method: 'POST', token: squatter })).status).toBe(404);

    const trail = (await t.api('/agency/audit', { token: squatter })).body.data as Array<{
      action: string;
      target: string | null;
      metadata: Record<string, unknown>;
    }>;
    const away = trail.find((e) => e.action === 'agency.brand_domain_moved_away');
    expect(away).toMatchObject({ target: squatterAgencyId, metadata: { host: HOST, status: 'pending' } });
    expect(JSON.stringify(away)).not.toContain('Acme');
    const own = (await t.api('/audit-logs', { token: clientAdmin })).body.data as Array<{
      action: string;
      metadata: Record<string, unknown>;
    }>;
    expect(own.find((e) => e.action === 'client.brand_domain_taken_over')?.metadata).toMatchObject({
      host: HOST,
      previousStatus: 'pending',
    });
  });

  it('a verified host moves the same way (a domain sold to someone else); its own owner has nothing to move', async () => {
    expect((await record(clientAdmin)).status).toBe(409);
    expect((await takeOver(clientAdmin)).status).toBe(409);
    const theirs = (await record(otherClientAdmin)).body.data.verification.value as string;
    dns.txt.set(RECORD, [theirs]);
    const moved = await takeOver(otherClientAdmin);
    expect(moved.status).toBe(200);
    expect(moved.body.data.status).toBe('verified');
    expect(await productAt(HOST)).toBe('Other Care');
    expect(await hostsOf('/client/brand-domains', clientAdmin)).toEqual([]);
    expect(await hostsOf('/client/brand-domains', otherClientAdmin)).toEqual([`${HOST}:verified`]);
    const trail = (await t.api('/audit-logs', { token: clientAdmin })).body.data as Array<{
      action: string;
      metadata: Record<string, unknown>;
    }>;
    expect(trail.find((e) => e.action === 'client.brand_domain_moved_away')?.metadata).toMatchObject({
      host: HOST,
      status: 'verified',
    });
  });

  it('two claimants who both proved control at once leave the host with exactly one owner', async () => {
    const host = 'race.acme.example';
    expect((await t.api('/agency/brand-domains', { token: squatter, body: { host } })).status).toBe(201);
    const a = (await record(clientAdmin, host)).body.data.verification.value as string;
    const b = (await record(otherClientAdmin, host)).body.data.verification.value as string;
    dns.txt.set(`_brand-check.${host}`, [a, b]);
    const results = await Promise.all([takeOver(clientAdmin, host), takeOver(otherClientAdmin, host)]);
    expect(results.some((r) => r.status === 200)).toBe(true);
    for (const r of results) expect([200, 409]).toContain(r.status);
    const owners = [
      ...(await hostsOf('/client/brand-domains', clientAdmin)),
      ...(await hostsOf('/client/brand-domains', otherClientAdmin)),
      ...(await hostsOf('/agency/brand-domains', squatter)),
    ].filter((h) => h.startsWith(`${host}:`));
    expect(owners).toEqual([`${host}:verified`]);
  });

  it('refuses what cannot be moved: a free host, a deployment host, a malformed one', async () => {
    const free = await record(clientAdmin, 'free.acme.example');
    expect(free.status).toBe(404);
    expect(free.body.error.message).toContain('claim it with POST /client/brand-domains');
    expect((await takeOver(clientAdmin, 'free.acme.example')).status).toBe(404);
    const own = new URL(t.server.url).hostname;
    expect([409, 400]).toContain((await record(clientAdmin, own)).status);
    expect((await record(clientAdmin, 'not_a_host')).status).toBe(400);
  });
});
