/**
 * Brand domain ownership by DNS (docs/white-label.md, "Domains"), over HTTP against a local DNS server: a claim
 * is pending and not served until the TXT record holds its value; a wrong or missing record leaves it pending
 * with the reason; a verified host is nobody else's; an expired pending claim can be taken over; another
 * tenant can neither see nor verify a domain; the periodic re-check verifies what was published, once across
 * concurrent rounds; a verified domain whose record has gone is still served for the grace period, then
 * pending and unserved until its record is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandDomainsOf } from '../src/branding/brand-domains.js';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { type FakeDns, startFakeDns } from './support/fake-dns.js';
import { brandDomainEnv, createAgency, createAgencyStaff, requestWithHost } from './support/white-label.js';

let t: AuthTestServer;
let dns: FakeDns;
let clientAdmin: string;
let otherClientAdmin: string;
let agencyAdmin: string;
let otherAgencyAdmin: string;

interface DomainView {
  host: string;
  status: 'pending' | 'verified';
  verification: { type: 'TXT'; name: string; value: string } | null;
  expiresAt: string | null;
  lastError: string | null;
  failingSince: string | null;
  stopsServingAt: string | null;
}

const productAt = async (host: string) =>
  JSON.parse((await requestWithHost(`${t.server.url}/api/v1/branding`, host)).text).productName as string;

async function claim(path: string, token: string, host: string): Promise<DomainView> {
  const res = await t.api(path, { token, body: { host } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const domain = (res.body.data as DomainView[]).find((d) => d.host === host);
  if (!domain) throw new Error(`${host} missing from ${JSON.stringify(res.body)}`);
  return domain;
}

const verify = (path: string, token: string, host: string) =>
  t.api(`${path}/${host}/verify`, { method: 'POST', token });

beforeAll(async () => {
  dns = await startFakeDns();
  t = await startAuthServer({
    env: {
      ...brandDomainEnv(dns),
      BRAND_DOMAIN_TXT_LABEL: '_brand-check',
      // The re-check is exercised by hand below (two rounds at once), not on a timer.
      BRAND_DOMAIN_RECHECK_MS: '0',
    },
  });
  const login = async (who: { email: string; password: string }) =>
    (await t.login(who.email, who.password)).accessToken;
  const acme = await t.newClient('Acme Dental');
  const other = await t.newClient('Other Clinic');
  clientAdmin = await login(await t.createStaff({ client: acme.client, role: 'admin' }));
  otherClientAdmin = await login(await t.createStaff({ client: other.client, role: 'admin' }));
  const orm = t.server.db.orm;
  const agency = await createAgency(orm, { name: 'Bright', branding: { productName: 'BrightDesk' } });
  const otherAgency = await createAgency(orm, { name: 'Dim', branding: { productName: 'DimDesk' } });
  agencyAdmin = await login(await createAgencyStaff(orm, agency.id, 'admin'));
  otherAgencyAdmin = await login(await createAgencyStaff(orm, otherAgency.id, 'admin'));
  await t.api('/client/branding', { method: 'PATCH', token: clientAdmin, body: { productName: 'Acme Care' } });
}, 120_000);

afterAll(async () => {
  await t?.server.dispose();
  await dns?.close();
});

describe('claiming and verifying a brand domain', () => {
  it('a claim is pending with a TXT record to publish, and its host is not served branded', async () => {
    const domain = await claim('/agency/brand-domains', agencyAdmin, 'app.bright.example');
    expect(domain.status).toBe('pending');
    expect(domain.verification?.type).toBe('TXT');
    // The configured label, and nothing of the platform's name (white-label).
    expect(domain.verification?.name).toBe('_brand-check.app.bright.example');
    expect(domain.verification?.value).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(domain).toLowerCase()).not.toContain('leaddesk');
    expect(new Date(domain.expiresAt ?? 0).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(await productAt('app.bright.example')).toBe('Lead Desk');
    const doc = JSON.parse((await requestWithHost(`${t.server.url}/api/v1/openapi.json`, 'app.bright.example')).text);
    expect(doc.info.title).toBe('Lead Desk API');
  });

  it('without the record, or with another value, it stays pending and says why', async () => {
    const missing = await verify('/agency/brand-domains', agencyAdmin, 'app.bright.example');
    expect(missing.status).toBe(200);
    expect(missing.body.data.status).toBe('pending');
    expect(missing.body.data.lastError).toBe(
      'no TXT record found at _brand-check.app.bright.example yet (DNS changes can take a while to show)',
    );
    expect(dns.asked).toContain('_brand-check.app.bright.example');

    dns.txt.set('_brand-check.app.bright.example', ['v=spf1 -all', '0123456789abcdef0123456789abcdef']);
    const wrong = await verify('/agency/brand-domains', agencyAdmin, 'app.bright.example');
    expect(wrong.status).toBe(200);
    expect(wrong.body.data.status).toBe('pending');
    expect(wrong.body.data.lastError).toBe(
      "the TXT record at _brand-check.app.bright.example does not hold this domain's verification value",
    );
    expect(wrong.body.data.checkedAt).not.toBeNull();
    expect(await productAt('app.bright.example')).toBe('Lead Desk');
  });

  it('with the right value it is verified and served, and stays so without DNS lookups', async () => {
    const list = await t.api('/agency/brand-domains', { token: agencyAdmin });
    const value = (list.body.data as DomainView[])[0]?.verification?.value as string;
    dns.txt.set('_brand-check.app.bright.example', ['v=spf1 -all', value]);
    const res = await verify('/agency/brand-domains', agencyAdmin, 'APP.bright.example');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ host: 'app.bright.example', status: 'verified', lastError: null });
    expect(res.body.data.verifiedAt).not.toBeNull();
    expect(res.body.data.expiresAt).toBeNull();
    expect(await productAt('app.bright.example')).toBe('BrightDesk');

    // Verified is verified: pressing Verify again does not look it up (the record may go once proven).
    dns.txt.delete('_brand-check.app.bright.example');
    const asked = dns.asked.length;
    const again = await verify('/agency/brand-domains', agencyAdmin, 'app.bright.example');
    expect(again.body.data.status).toBe('verified');
    expect(dns.asked.length).toBe(asked);
    expect(await productAt('app.bright.example')).toBe('BrightDesk');
  });

  it('another tenant cannot claim a verified host, nor a pending one before it expires (409)', async () => {
    for (const [path, token] of [
      ['/client/brand-domains', otherClientAdmin],
      ['/agency/brand-domains', otherAgencyAdmin],
    ] as const) {
      const res = await t.api(path, { token, body: { host: 'app.bright.example' } });
      expect(res.status, path).toBe(409);
      expect(res.body.error.message).toBe(
        `app.bright.example is already a brand domain; if its DNS is yours, GET ${path}/app.bright.example/take-over says which TXT record moves it here`,
      );
    }
    await claim('/client/brand-domains', clientAdmin, 'care.acme.example');
    const early = await t.api('/agency/brand-domains', { token: agencyAdmin, body: { host: 'care.acme.example' } });
    expect(early.status).toBe(409);
  });

  it('an expired pending claim is taken over whole: new owner, new value; the old one is gone', async () => {
    const before = (await t.api('/client/brand-domains', { token: clientAdmin })).body.data as DomainView[];
    const oldValue = before.find((d) => d.host === 'care.acme.example')?.verification?.value;
    // A week later, still unverified.
    await t.server.db.orm.em
      .getConnection()
      .execute(`update brand_domains set expires_at = now() - interval '1 minute' where host = 'care.acme.example'`);
    const taken = await claim('/agency/brand-domains', otherAgencyAdmin, 'care.acme.example');
    expect(taken.status).toBe('pending');
    expect(taken.verification?.value).not.toBe(oldValue);
    const mine = (await t.api('/client/brand-domains', { token: clientAdmin })).body.data as DomainView[];
    expect(mine.map((d) => d.host)).not.toContain('care.acme.example');
    // The former claimant's record no longer proves anything: the host is not its own any more.
    dns.txt.set('_brand-check.care.acme.example', [oldValue as string]);
    expect((await verify('/client/brand-domains', clientAdmin, 'care.acme.example')).status).toBe(404);
    const theirs = await verify('/agency/brand-domains', otherAgencyAdmin, 'care.acme.example');
    expect(theirs.body.data.status).toBe('pending');
    dns.txt.set('_brand-check.care.acme.example', [taken.verification?.value as string]);
    expect((await verify('/agency/brand-domains', otherAgencyAdmin, 'care.acme.example')).body.data.status).toBe(
      'verified',
    );
    expect(await productAt('care.acme.example')).toBe('DimDesk');
  });
});

describe('tenancy', () => {
  it("another client or agency neither sees, verifies nor removes a tenant's domain (404)", async () => {
    await claim('/client/brand-domains', clientAdmin, 'desk.acme.example');
    for (const [path, token] of [
      ['/client/brand-domains', otherClientAdmin],
      ['/agency/brand-domains', agencyAdmin],
      ['/agency/brand-domains', otherAgencyAdmin],
    ] as const) {
      const list = await t.api(path, { token });
      expect(list.status).toBe(200);
      expect(
        (list.body.data as DomainView[]).map((d) => d.host),
        path,
      ).not.toContain('desk.acme.example');
      expect((await verify(path, token, 'desk.acme.example')).status, path).toBe(404);
      expect((await t.api(`${path}/desk.acme.example`, { method: 'DELETE', token })).status, path).toBe(404);
    }
    // Nor the agency's own verified host from another agency.
    expect((await verify('/agency/brand-domains', otherAgencyAdmin, 'app.bright.example')).status).toBe(404);
    expect((await verify('/client/brand-domains', clientAdmin, 'not a host')).status).toBe(404);
    const still = (await t.api('/client/brand-domains', { token: clientAdmin })).body.data as DomainView[];
    expect(still.find((d) => d.host === 'desk.acme.example')?.status).toBe('pending');
  });
});

describe('the periodic re-check', () => {
  it('verifies published claims, each looked up once by two concurrent rounds, and drops expired ones', async () => {
    const a = await claim('/client/brand-domains', clientAdmin, 'one.acme.example');
    const b = await claim('/client/brand-domains', clientAdmin, 'two.acme.example');
    await claim('/client/brand-domains', clientAdmin, 'old.acme.example');
    dns.txt.set('_brand-check.one.acme.example', [a.verification?.value as string]);
    dns.txt.set('_brand-check.two.acme.example', [b.verification?.value as string]);
    await t.server.db.orm.em
      .getConnection()
      .execute(`update brand_domains set expires_at = now() - interval '1 minute' where host = 'old.acme.example'`);
    const asked = dns.asked.length;
    const domains = brandDomainsOf(t.server.ctx);
    const [first, second] = await Promise.all([domains.recheck(60_000), domains.recheck(60_000)]);
    expect(first.verified + second.verified).toBe(2);
    const lookups = dns.asked.slice(asked);
    expect(lookups.filter((n) => n === '_brand-check.one.acme.example')).toHaveLength(1);
    expect(lookups.filter((n) => n === '_brand-check.two.acme.example')).toHaveLength(1);
    expect(first.dropped + second.dropped).toBe(1);
    // desk.acme.example (pending, no record) was looked up too, and is still pending.
    expect(lookups).toContain('_brand-check.desk.acme.example');
    const list = (await t.api('/client/brand-domains', { token: clientAdmin })).body.data as DomainView[];
    expect(Object.fromEntries(list.map((d) => [d.host, d.status]))).toEqual({
      'desk.acme.example': 'pending',
      'one.acme.example': 'verified',
      'two.acme.example': 'verified',
    });
    expect(await productAt('one.acme.example')).toBe('Acme Care');
    // Checked within the interval: the next round looks nothing up again.
    const again = await domains.recheck(60_000);
    expect(again.checked).toBe(0);
  });
});

describe('verified domains looked up again', () => {
  const HOUR = 3_600_000;
  const list = async () =>
    Object.fromEntries(
      ((await t.api('/client/brand-domains', { token: clientAdmin })).body.data as DomainView[]).map((d) => [
        d.host,
        d,
      ]),
    );
  const sql = (text: string, params: unknown[] = []) => t.server.db.orm.em.getConnection().execute(text, params);
  /** Last looked up a day and an hour ago: due for the daily look-up (BRAND_DOMAIN_REVERIFY_HOURS, 24). */
  const due = (...hosts: string[]) =>
    sql(`update brand_domains set checked_at = now() - interval '25 hours' where host in (?)`, [hosts]);

  it('a record gone is tolerated for the grace period, then the domain is pending and unserved until it is back', async () => {
    const hosts = ['kept.acme.example', 'sold.acme.example', 'flaky.acme.example', 'back.acme.example'];
    const values: Record<string, string> = {};
    for (const host of hosts) {
      values[host] = (await claim('/client/brand-domains', clientAdmin, host)).verification?.value as string;
      dns.txt.set(`_brand-check.${host}`, [values[host] as string]);
      expect((await verify('/client/brand-domains', clientAdmin, host)).body.data.status).toBe('verified');
    }
    // A domain accepted before verification existed has no value to look for: never looked up.
    await sql(`insert into brand_domains (host, client_id, status, verified_at) values (?, ?, 'verified', now())`, [
      'legacy.acme.example',
      (await t.api('/client', { token: clientAdmin })).body.id,
    ]);
    dns.txt.delete('_brand-check.sold.acme.example');
    dns.txt.delete('_brand-check.back.acme.example');
    dns.failing.add('_brand-check.flaky.acme.example');
    await due(...hosts);
    const domains = brandDomainsOf(t.server.ctx);
    const asked = dns.asked.length;
    const first = await domains.recheck(60_000);
    expect(first).toMatchObject({ reverified: 1, failing: 2, lost: 0 });
    expect(dns.asked.slice(asked)).not.toContain('_brand-check.legacy.acme.example');
    let now = await list();
    // Missing: still verified and served, with the reason and the date it stops.
    for (const host of ['sold.acme.example', 'back.acme.example']) {
      expect(now[host]).toMatchObject({ status: 'verified', lastError: expect.stringMatching(/no TXT record found/) });
      const since = Date.parse(now[host]?.failingSince as string);
      expect(Date.parse(now[host]?.stopsServingAt as string) - since).toBe(72 * HOUR);
      expect(await productAt(host)).toBe('Acme Care');
    }
    // A lookup that failed says nothing about the record; a record still there changes nothing.
    expect(now['flaky.acme.example']).toMatchObject({ status: 'verified', failingSince: null, lastError: null });
    expect(now['kept.acme.example']).toMatchObject({ status: 'verified', failingSince: null, lastError: null });

    // Looked up within the day: not again. The record of back.acme.example returns, and ends its streak.
    expect(await domains.recheck(60_000)).toMatchObject({ reverified: 0, failing: 0, lost: 0 });
    dns.txt.set('_brand-check.back.acme.example', [values['back.acme.example'] as string]);
    await due('back.acme.example');
    expect(await domains.recheck(60_000)).toMatchObject({ reverified: 1, failing: 0, lost: 0 });
    expect((await list())['back.acme.example']).toMatchObject({ failingSince: null, lastError: null });

    // Missing past the grace (72 h): pending again, no longer served, the same value to publish.
    await sql(`update brand_domains set failing_since = now() - interval '73 hours' where host = 'sold.acme.example'`);
    await due('sold.acme.example');
    expect(await domains.recheck(60_000)).toMatchObject({ lost: 1 });
    now = await list();
    expect(now['sold.acme.example']).toMatchObject({
      status: 'pending',
      verifiedAt: null,
      failingSince: null,
      verification: { value: values['sold.acme.example'] },
      lastError: expect.stringMatching(/no TXT record found/),
    });
    expect(Date.parse(now['sold.acme.example']?.expiresAt as string)).toBeGreaterThan(Date.now() + 167 * HOUR);
    expect(await productAt('sold.acme.example')).not.toBe('Acme Care');
    // Published again: verified and served at once.
    dns.txt.set('_brand-check.sold.acme.example', [values['sold.acme.example'] as string]);
    expect((await verify('/client/brand-domains', clientAdmin, 'sold.acme.example')).body.data).toMatchObject({
      status: 'verified',
      failingSince: null,
      lastError: null,
    });
    expect(await productAt('sold.acme.example')).toBe('Acme Care');
    dns.failing.clear();
  });
});

describe('the re-check on its timer', () => {
  it('a worker verifies a published claim nobody pressed Verify for', async () => {
    const own = await startAuthServer({
      env: {
        ...brandDomainEnv(dns),
        BRAND_DOMAIN_RECHECK_MS: '300',
      },
    });
    try {
      const c = await own.newClient('Timer Clinic');
      await own.api('/client/branding', { method: 'PATCH', token: c.apiKey, body: { productName: 'Timer Care' } });
      const res = await own.api('/client/brand-domains', { token: c.apiKey, body: { host: 'timer.clinic.example' } });
      expect(res.status).toBe(201);
      const [domain] = res.body.data as DomainView[];
      expect(domain?.status).toBe('pending');
      dns.txt.set(domain?.verification?.name as string, [domain?.verification?.value as string]);
      const deadline = Date.now() + 10_000;
      let status = 'pending';
      while (status !== 'verified' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        status = ((await own.api('/client/brand-domains', { token: c.apiKey })).body.data as DomainView[])[0]
          ?.status as string;
      }
      expect(status).toBe('verified');
      const served = await requestWithHost(`${own.server.url}/api/v1/branding`, 'timer.clinic.example');
      expect(JSON.parse(served.text).productName).toBe('Timer Care');
    } finally {
      await own.server.dispose();
    }
  }, 60_000);
});
