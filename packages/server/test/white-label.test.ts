/**
 * White-label over HTTP (issue 18, docs/white-label.md): branding overrides per agency and per client with
 * their precedence, partial updates and refusals, brand domains (unique, validated, owned) and the
 * resolution by Host header of the public branding, the OpenAPI document and the widget's "Powered by".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandingOf } from '../src/branding/branding-service.js';
import { brandedEmail } from '../src/branding/email-branding.js';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { type FakeDns, startFakeDns } from './support/fake-dns.js';
import { type SmtpCapture, startSmtpCapture, waitFor } from './support/fake-providers.js';
import {
  brandLeaks,
  createAgency,
  createAgencyStaff,
  publishAndVerify,
  requestWithHost,
} from './support/white-label.js';

let t: AuthTestServer;
let admin: string;
let agent: string;
let otherAdmin: string;
let agencyAdmin: string;
let agencyAgent: string;
let superAdmin: string;
let agencyId: string;
let clientId: string;
let siteKey: string;
let smtp: SmtpCapture;
let agencyAdminEmail: string;
let dns: FakeDns;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  dns = await startFakeDns();
  t = await startAuthServer({
    env: {
      BRANDING_CACHE_TTL_MS: '0',
      SMTP_URL: smtp.url,
      BRAND_RESERVED_HOSTS: 'desk.platform.example',
      BRAND_DNS_SERVERS: dns.server,
      BRAND_DOMAIN_RECHECK_MS: '0',
    },
  });
  const acme = await t.newClient('Acme Dental');
  const other = await t.newClient('Other Clinic');
  clientId = acme.client.id;
  siteKey = acme.client.siteKey;
  agencyId = (
    await createAgency(t.server.db.orm, {
      name: 'Bright Agency',
      branding: { productName: 'BrightDesk', primaryColor: '#112233' },
      clientIds: [clientId],
    })
  ).id;
  const login = async (who: { email: string; password: string }) =>
    (await t.login(who.email, who.password)).accessToken;
  admin = await login(await t.createStaff({ client: acme.client, role: 'admin' }));
  agent = await login(await t.createStaff({ client: acme.client, role: 'agent' }));
  otherAdmin = await login(await t.createStaff({ client: other.client, role: 'admin' }));
  superAdmin = await login(await t.createStaff({ client: null, role: 'super_admin' }));
  const agencyAdminAccount = await createAgencyStaff(t.server.db.orm, agencyId, 'admin');
  agencyAdminEmail = agencyAdminAccount.email;
  agencyAdmin = await login(agencyAdminAccount);
  agencyAgent = await login(await createAgencyStaff(t.server.db.orm, agencyId, 'agent'));
}, 120_000);

afterAll(async () => {
  await t?.server.dispose();
  await smtp?.close();
  await dns?.close();
});

describe('branding overrides', () => {
  it("a client inherits its agency's branding over the deployment's, and its own fields win", async () => {
    const before = await t.api('/client/branding', { token: admin });
    expect(before.status).toBe(200);
    expect(before.body.branding).toEqual({});
    expect(before.body.effective.productName).toBe('BrightDesk');
    expect(before.body.effective.primaryColor).toBe('#112233');
    // The deployment's own logo is not shown under a white-label brand without its own.
    expect(before.body.effective.logoUrl).toBe('');

    const res = await t.api('/client/branding', {
      method: 'PATCH',
      token: admin,
      body: { productName: 'Acme Care', supportUrl: 'https://help.acme.example/' },
    });
    expect(res.status).toBe(200);
    expect(res.body.branding).toEqual({ productName: 'Acme Care', supportUrl: 'https://help.acme.example/' });
    expect(res.body.effective.productName).toBe('Acme Care');
    expect(res.body.effective.primaryColor).toBe('#112233');
  });

  it('a partial update changes only the fields it names; null inherits again', async () => {
    const res = await t.api('/client/branding', { method: 'PATCH', token: admin, body: { accentColor: '#abc' } });
    expect(res.status).toBe(200);
    expect(res.body.branding).toEqual({
      productName: 'Acme Care',
      supportUrl: 'https://help.acme.example/',
      accentColor: '#abc',
    });
    const cleared = await t.api('/client/branding', { method: 'PATCH', token: admin, body: { productName: null } });
    expect(cleared.body.branding.productName).toBeUndefined();
    expect(cleared.body.effective.productName).toBe('BrightDesk');
    expect(cleared.body.branding.accentColor).toBe('#abc');
  });

  it('refuses bad input with a 400 naming the field, and changes nothing', async () => {
    const bad = [
      { primaryColor: 'red' },
      { logoUrl: 'http://cdn.example/logo.png' },
      { supportUrl: 'javascript:alert(1)' },
      { faviconUrl: '//evil.example/x.ico' },
      { emailFromAddress: 'not an address' },
      { emailFromName: 'Evil\r\nBcc: x@example.com' },
      { poweredBy: { hidden: true, label: 'x' } },
      { poweredBy: { label: 'Ours', url: 'http://plain.example' } },
      { colour: '#fff' },
      { productName: 'X', accentColor: 'blue' },
    ];
    const before = await t.api('/client/branding', { token: admin });
    for (const body of bad) {
      const res = await t.api('/client/branding', { method: 'PATCH', token: admin, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(/invalid branding/);
    }
    const empty = await t.api('/client/branding', { method: 'PATCH', token: admin, body: {} });
    expect(empty.status).toBe(400);
    const after = await t.api('/client/branding', { token: admin });
    expect(after.body.branding).toEqual(before.body.branding);
  });

  it('only admins change it; other roles read, and agency routes need an agency admin', async () => {
    expect((await t.api('/client/branding', { token: agent })).status).toBe(200);
    const refused = await t.api('/client/branding', { method: 'PATCH', token: agent, body: { productName: 'Nope' } });
    expect(refused.status).toBe(403);
    expect((await t.api('/agency/branding', { token: admin })).status).toBe(403);
    expect((await t.api('/agency/branding', { token: agencyAgent })).status).toBe(403);
    expect(
      (await t.api('/agency/branding', { method: 'PATCH', token: agencyAgent, body: { productName: 'Nope' } })).status,
    ).toBe(403);
    expect((await t.api(`/admin/agencies/${agencyId}/branding`, { token: admin })).status).toBe(403);
  });

  it('agency admins and super admins change the agency branding, which its clients inherit', async () => {
    const own = await t.api('/agency/branding', {
      method: 'PATCH',
      token: agencyAdmin,
      body: { productName: 'Bright Leads', emailFromName: 'Bright Leads', emailFromAddress: 'hello@bright.example' },
    });
    expect(own.status).toBe(200);
    expect(own.body.branding.primaryColor).toBe('#112233');
    expect(own.body.effective.productName).toBe('Bright Leads');
    const client = await t.api('/client/branding', { token: admin });
    expect(client.body.effective.productName).toBe('Bright Leads');
    expect(client.body.effective.emailFromAddress).toBe('hello@bright.example');

    const bySuper = await t.api(`/admin/agencies/${agencyId}/branding`, {
      method: 'PATCH',
      token: superAdmin,
      body: { faviconUrl: 'https://cdn.bright.example/favicon.png' },
    });
    expect(bySuper.status).toBe(200);
    expect(bySuper.body.branding.productName).toBe('Bright Leads');
    expect(bySuper.body.branding.faviconUrl).toBe('https://cdn.bright.example/favicon.png');
    const missing = await t.api('/admin/agencies/00000000-0000-4000-8000-000000000000/branding', { token: superAdmin });
    expect(missing.status).toBe(404);
  });

  it("another client neither sees nor inherits this agency's branding", async () => {
    const res = await t.api('/client/branding', { token: otherAdmin });
    expect(res.body.effective.productName).toBe('Lead Desk');
    expect(res.body.effective.logoUrl).toBe('/brand-assets/logo.svg');
  });
});

describe('brand domains and resolution by Host', () => {
  it('adds a validated, unique host; another owner gets 409 and cannot remove it', async () => {
    const added = await t.api('/agency/brand-domains', { token: agencyAdmin, body: { host: 'App.Bright.Example' } });
    expect(added.status).toBe(201);
    expect(added.body.data.map((d: { host: string }) => d.host)).toEqual(['app.bright.example']);
    expect(added.body.data[0].status).toBe('pending');
    // Served once its owner proved it by DNS (test/brand-domain-verification.test.ts covers the pending side).
    await publishAndVerify(t.api, dns, '/agency/brand-domains', agencyAdmin, 'app.bright.example');
    for (const host of ['https://x.example', 'x.example:8080', 'localhost', 'a b.example', 'x.example/path', '']) {
      const res = await t.api('/client/brand-domains', { token: otherAdmin, body: { host } });
      expect(res.status, host).toBe(400);
    }
    const taken = await t.api('/client/brand-domains', { token: otherAdmin, body: { host: 'app.bright.example' } });
    expect(taken.status).toBe(409);
    // The deployment's own host (PUBLIC_URL) is nobody's brand domain: its branding would greet every user.
    for (const [path, token] of [
      ['/client/brand-domains', otherAdmin],
      ['/agency/brand-domains', agencyAdmin],
    ] as const) {
      const own = await t.api(path, { token, body: { host: 'Desk.Platform.Example' } });
      expect(own.status, path).toBe(409);
      expect(own.body.error.message).toBe("desk.platform.example is this deployment's own host");
    }
    const mine = await t.api('/client/brand-domains', { method: 'GET', token: otherAdmin });
    expect(mine.body.data).toEqual([]);
    const removeOthers = await t.api('/client/brand-domains/app.bright.example', {
      method: 'DELETE',
      token: otherAdmin,
    });
    expect(removeOthers.status).toBe(404);
    expect((await t.api('/client/brand-domains', { token: agent, body: { host: 'y.example' } })).status).toBe(403);
  });

  it('serves the branding, the OpenAPI title and the dashboard page by Host (any case, any port)', async () => {
    const url = `${t.server.url}/api/v1/branding`;
    const branded = JSON.parse((await requestWithHost(url, 'APP.bright.example:8443')).text);
    expect(branded.productName).toBe('Bright Leads');
    expect(branded.faviconUrl).toBe('https://cdn.bright.example/favicon.png');
    expect(branded).not.toHaveProperty('emailFromAddress');
    const plain = JSON.parse((await requestWithHost(url, 'desk.platform.example')).text);
    expect(plain.productName).toBe('Lead Desk');

    const doc = JSON.parse((await requestWithHost(`${t.server.url}/api/v1/openapi.json`, 'app.bright.example')).text);
    expect(doc.info.title).toBe('Bright Leads API');
    expect(doc.info.description).toMatch(/^The Bright Leads REST API/);
    expect(doc.servers[0].url).toBe('http://app.bright.example/api/v1');
    expect(brandLeaks(JSON.stringify(doc))).toEqual([]);
    const ours = JSON.parse((await requestWithHost(`${t.server.url}/api/v1/openapi.json`, 'other.example')).text);
    expect(ours.info.title).toBe('Lead Desk API');
  });

  it('a client domain serves the client brand, over its agency', async () => {
    await t.api('/client/branding', { method: 'PATCH', token: admin, body: { productName: 'Acme Care' } });
    const added = await t.api('/client/brand-domains', { token: admin, body: { host: 'care.acme.example' } });
    expect(added.status).toBe(201);
    await publishAndVerify(t.api, dns, '/client/brand-domains', admin, 'care.acme.example');
    const res = JSON.parse((await requestWithHost(`${t.server.url}/api/v1/branding`, 'care.acme.example')).text);
    expect(res.productName).toBe('Acme Care');
    const removed = await t.api('/client/brand-domains/care.acme.example', { method: 'DELETE', token: admin });
    expect(removed.status).toBe(200);
    expect(removed.body.data).toEqual([]);
    const audit = await t.api('/audit-logs', { token: admin });
    const actions = (audit.body.data as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['client.branding_updated', 'client.brand_domain_added', 'client.brand_domain_removed']),
    );
    const after = JSON.parse((await requestWithHost(`${t.server.url}/api/v1/branding`, 'care.acme.example')).text);
    expect(after.productName).toBe('Lead Desk');
  });

  it('the widget\'s config carries the effective "Powered by" and product name', async () => {
    const widget = async () =>
      (await fetch(`${t.server.url}/api/v1/widget/config?siteKey=${siteKey}`)).json() as Promise<{
        productName: string;
        widget: { poweredBy: { hidden?: boolean; label?: string; url?: string } };
      }>;
    expect((await widget()).productName).toBe('Acme Care');
    expect((await widget()).widget.poweredBy).toEqual({ hidden: false });
    await t.api('/agency/branding', {
      method: 'PATCH',
      token: agencyAdmin,
      body: { poweredBy: { label: 'By Bright', url: 'https://bright.example' } },
    });
    expect((await widget()).widget.poweredBy).toEqual({
      hidden: false,
      label: 'By Bright',
      url: 'https://bright.example',
    });
    await t.api('/client/branding', { method: 'PATCH', token: admin, body: { poweredBy: { hidden: true } } });
    expect((await widget()).widget.poweredBy).toEqual({ hidden: true });
  });
});

describe('plain staff emails', () => {
  it("automation, escalation and webhook notices get the client's sender, product name and support link", async () => {
    const branding = brandingOf(t.server.ctx);
    const mail = await brandedEmail(branding, clientId, {
      to: 'staff@acme.example',
      subject: '[Acme Dental] Webhook endpoint disabled',
      text: '{product} stopped sending webhooks.\n',
    });
    expect(mail.from).toEqual({ name: 'Bright Leads', address: 'hello@bright.example' });
    expect(mail.text).toBe('Acme Care stopped sending webhooks.\n\nNeed help? https://help.acme.example/\n');
    const other = await t.newClient('Plain Clinic');
    const plain = await brandedEmail(branding, other.client.id, {
      to: 'x@plain.example',
      subject: 's',
      text: '{product}',
    });
    expect(plain.from).toEqual({ name: 'Lead Desk', address: 'no-reply@leaddesk.local' });
    expect(plain.text).toBe('Lead Desk\n');
  });
});

describe("agency staff's own emails", () => {
  it("are in the agency's brand, with links to the agency's domain", async () => {
    const before = smtp.mails.length;
    expect((await t.api('/auth/password/forgot', { body: { email: agencyAdminEmail } })).status).toBeLessThan(300);
    const mail = await waitFor(() =>
      smtp.mails.slice(before).find((m) => JSON.stringify(m.to).includes(agencyAdminEmail)),
    );
    expect(mail.subject).toBe('Reset your Bright Leads password');
    expect(mail.from?.value[0]).toMatchObject({ name: 'Bright Leads', address: 'hello@bright.example' });
    expect(mail.text).toContain('https://app.bright.example/dashboard/reset-password#token=');
    expect(brandLeaks(JSON.stringify({ s: mail.subject, t: mail.text, h: mail.html }))).toEqual([]);
  });
});
