/**
 * A brand domain's owner is emailed when its TXT record goes missing (docs/white-label.md, "When the record goes
 * missing"), end to end: the re-check on its timer finds the record gone, and the owner's admins (not its other
 * staff) get one email in the owner's brand with the record to publish and the date the brand stops; one more
 * when the grace ran out; none twice; a new streak is told again; a send that failed is retried once its lease
 * is over, and not before.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brandDomainsOf } from '../src/branding/brand-domains.js';
import { brandingOf } from '../src/branding/branding-service.js';
import { DOMAIN_NOTICE_LEASE_MS, DomainNotices } from '../src/branding/domain-notices.js';
import { createMailer } from '../src/channels/email/mailer.js';
import { MailerEmailSender } from '../src/email/email-sender.js';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { type FakeDns, startFakeDns } from './support/fake-dns.js';
import { type SmtpCapture, startSmtpCapture, waitFor } from './support/fake-providers.js';
import { brandDomainEnv, createAgency, createAgencyStaff } from './support/white-label.js';

let t: AuthTestServer;
let dns: FakeDns;
let smtp: SmtpCapture;
let admin: { email: string; token: string };
let agent: { email: string };
let agencyAdmin: { email: string; token: string };

const HOST = 'desk.notice.example';
const AGENCY_HOST = 'app.noticeagency.example';
const recordOf = (host: string) => `_domain-verification.${host}`;
const values: Record<string, string> = {};

const sql = (text: string, params: unknown[] = []) => t.server.db.orm.em.getConnection().execute(text, params);
const due = (host: string) =>
  sql(`update brand_domains set checked_at = now() - interval '25 hours' where host = ?`, [host]);
const mailsTo = (to: string, subject: string) =>
  smtp.mails.filter((m) => toAddress(m) === to && (m.subject ?? '').includes(subject));
const toAddress = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function claimAndVerify(path: string, token: string, host: string) {
  const res = await t.api(path, { token, body: { host } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const domain = (res.body.data as Array<{ host: string; verification: { value: string } }>).find(
    (d) => d.host === host,
  );
  values[host] = domain?.verification.value as string;
  dns.txt.set(recordOf(host), [values[host] as string]);
  const verified = await t.api(`${path}/${host}/verify`, { method: 'POST', token });
  expect(verified.body.data.status).toBe('verified');
}

beforeAll(async () => {
  dns = await startFakeDns();
  smtp = await startSmtpCapture();
  t = await startAuthServer({
    env: {
      ...brandDomainEnv(dns),
      BRAND_DOMAIN_RECHECK_MS: '300',
      SMTP_URL: smtp.url,
    },
  });
  const clinic = await t.newClient('Notice Clinic');
  const a = await t.createStaff({ client: clinic.client, role: 'admin' });
  const g = await t.createStaff({ client: clinic.client, role: 'agent' });
  admin = { email: a.email, token: (await t.login(a.email, a.password)).accessToken };
  agent = { email: g.email };
  await t.api('/client/branding', {
    method: 'PATCH',
    token: admin.token,
    body: { productName: 'Notice Care', emailFromName: 'Notice Care', emailFromAddress: 'desk@notice.example' },
  });
  const agency = await createAgency(t.server.db.orm, {
    name: 'Notice Agency',
    branding: { productName: 'NoticeDesk' },
  });
  const aa = await createAgencyStaff(t.server.db.orm, agency.id, 'admin');
  agencyAdmin = { email: aa.email, token: (await t.login(aa.email, aa.password)).accessToken };
  await claimAndVerify('/client/brand-domains', admin.token, HOST);
  await claimAndVerify('/agency/brand-domains', agencyAdmin.token, AGENCY_HOST);
}, 120_000);

afterAll(async () => {
  await t?.server.dispose();
  await dns?.close();
  await smtp?.close();
});

describe('telling a brand domain owner that its record went missing', () => {
  it('the owner’s admins get one email in the owner’s brand, with the record and the date the brand stops', async () => {
    dns.txt.delete(recordOf(HOST));
    dns.txt.delete(recordOf(AGENCY_HOST));
    await due(HOST);
    await due(AGENCY_HOST);
    const [mail] = await waitFor(() => {
      const found = mailsTo(admin.email, 'is missing');
      return found.length ? found : undefined;
    });
    expect(mail?.subject).toBe(`Notice Care: the DNS record that proves ${HOST} is yours is missing`);
    expect(mail?.from?.value[0]).toEqual({ name: 'Notice Care', address: 'desk@notice.example' });
    expect(mail?.text).toContain(`Name:  ${recordOf(HOST)}`);
    expect(mail?.text).toContain(`Value: ${values[HOST]}`);
    expect(mail?.text).toMatch(/until \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/);
    expect(mail?.text?.toLowerCase()).not.toContain('lead desk');
    // The agency's domain: its own admins, in its brand.
    const [agencyMail] = await waitFor(() => {
      const found = mailsTo(agencyAdmin.email, 'is missing');
      return found.length ? found : undefined;
    });
    expect(agencyMail?.subject).toBe(`NoticeDesk: the DNS record that proves ${AGENCY_HOST} is yours is missing`);
    expect(smtp.mails.filter((m) => toAddress(m) === agent.email)).toEqual([]);
    // Further rounds (the record still missing) tell nobody again.
    await due(HOST);
    await pause(1_000);
    expect(mailsTo(admin.email, 'is missing')).toHaveLength(1);
    // Still served meanwhile.
    const listed = (await t.api('/client/brand-domains', { token: admin.token })).body.data[0];
    expect(listed).toMatchObject({ status: 'verified', failingSince: expect.any(String) });
  });

  it('once the grace is over the host stops showing the brand, and the owner is told once more', async () => {
    await sql(`update brand_domains set failing_since = now() - interval '73 hours' where host = ?`, [HOST]);
    await due(HOST);
    const [mail] = await waitFor(() => {
      const found = mailsTo(admin.email, 'no longer shows your brand');
      return found.length ? found : undefined;
    });
    expect(mail?.subject).toBe(`Notice Care: ${HOST} no longer shows your brand`);
    expect(mail?.text).toContain(`Value: ${values[HOST]}`);
    expect(mail?.text).toMatch(/before \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC, after which anyone may claim/);
    await pause(1_000);
    expect(mailsTo(admin.email, 'no longer shows your brand')).toHaveLength(1);
    expect(mailsTo(admin.email, 'is missing')).toHaveLength(1);
  });

  it('a record put back ends the streak; a later streak is told again', async () => {
    dns.txt.set(recordOf(HOST), [values[HOST] as string]);
    const back = await t.api(`/client/brand-domains/${HOST}/verify`, { method: 'POST', token: admin.token });
    expect(back.body.data).toMatchObject({ status: 'verified', failingSince: null });
    dns.txt.delete(recordOf(HOST));
    await due(HOST);
    await waitFor(() => mailsTo(admin.email, 'is missing').length === 2 || undefined);
  });

  it('a send the mail server refused is not retried while its lease holds, then is sent once', async () => {
    dns.txt.set(recordOf(HOST), [values[HOST] as string]);
    await due(HOST);
    await waitFor(async () => {
      const rows = await sql('select failing_since from brand_domains where host = ?', [HOST]);
      return rows[0]?.failing_since === null || undefined;
    });
    const before = smtp.mails.length;
    smtp.refuseNext(550, 1);
    dns.txt.delete(recordOf(HOST));
    await due(HOST);
    // The refused attempt: the notice stays taken (leased), unsent.
    await waitFor(async () => {
      const rows = await sql('select notice_claimed_at, owner_notice from brand_domains where host = ?', [HOST]);
      return (rows[0]?.notice_claimed_at !== null && rows[0]?.owner_notice === null) || undefined;
    });
    await pause(1_000);
    expect(smtp.mails.length).toBe(before);
    // The lease is over (as after ten minutes): the next round sends it, once.
    await sql(`update brand_domains set notice_claimed_at = now() - interval '11 minutes' where host = ?`, [HOST]);
    await waitFor(() => mailsTo(admin.email, 'is missing').length === 3 || undefined);
    await pause(1_000);
    expect(mailsTo(admin.email, 'is missing')).toHaveLength(3);
    const [row] = await sql('select owner_notice, notice_claimed_at from brand_domains where host = ?', [HOST]);
    expect(row).toEqual({ owner_notice: 'failing', notice_claimed_at: null });
  });

  it('workers sending at once (the timer’s and two more, as in other processes) tell each admin once', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, sendgridBaseUrl: '', from: 'ops@deployment.example' });
    if (!mailer) throw new Error('no mailer');
    const worker = () =>
      new DomainNotices({
        branding: brandingOf(t.server.ctx),
        email: new MailerEmailSender(mailer),
        logger: t.server.ctx.logger,
        recordName: (host) => brandDomainsOf(t.server.ctx).recordName(host),
        graceMs: 72 * 3_600_000,
        leaseMs: DOMAIN_NOTICE_LEASE_MS,
      });
    const [a, b] = [worker(), worker()];
    dns.txt.set(recordOf(HOST), [values[HOST] as string]);
    expect((await t.api(`/client/brand-domains/${HOST}/verify`, { method: 'POST', token: admin.token })).status).toBe(
      200,
    );
    await due(HOST);
    await waitFor(async () => {
      const rows = await sql('select failing_since from brand_domains where host = ?', [HOST]);
      return rows[0]?.failing_since === null || undefined;
    });
    const before = mailsTo(admin.email, 'is missing').length;
    dns.txt.delete(recordOf(HOST));
    await due(HOST);
    const deadline = Date.now() + 10_000;
    while (mailsTo(admin.email, 'is missing').length === before && Date.now() < deadline) {
      await Promise.all([a.sendDue(), b.sendDue()]);
    }
    await Promise.all([a.sendDue(), b.sendDue()]);
    await pause(1_000);
    expect(mailsTo(admin.email, 'is missing')).toHaveLength(before + 1);
  });
});
