/**
 * The three plain staff emails of a white-labelled client, each sent through its real path to a local SMTP
 * server (docs/white-label.md, "Emails"): an automation rule's email (a status change over REST fires the
 * rule), the staff desk's escalation email (an assignment over the staff socket left unanswered) and the
 * webhook-disabled notice (an endpoint failing until the retry window ends, as the worker's job). Each has the
 * brand's sender, product name and support link, and nothing of the platform's name.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthServer } from './auth/support.js';
import { type AutomationTenant, createAutomationTenant } from './support/automation-tenant.js';
import { type SmtpCapture, startSmtpCapture, waitFor } from './support/fake-providers.js';
import { connectStaff, type StaffClient } from './support/staff-client.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';
import { brandLeaks, createAgency } from './support/white-label.js';
import { connectVisitor, type Visitor } from './support/widget-client.js';

const BRAND = {
  productName: 'Brightline',
  emailFromName: 'Brightline Desk',
  emailFromAddress: 'hello@brightline.example',
  supportUrl: 'https://help.brightline.example/',
};

let t: AuthTestServer;
let smtp: SmtpCapture;
let tenant: AutomationTenant;
let managerEmail: string;
let managerToken: string;
let agentEmail: string;
const open: Array<StaffClient | Visitor | WebhookReceiver> = [];

/** The tenant's own receiver URLs (the test receiver's path names the platform): theirs, not ours. */
const tenantUrls: string[] = [];

/** Sender, product name, support link, and no mention of the platform anywhere in the message. */
function expectBranded(mail: ParsedMail) {
  expect(mail.from?.value[0]).toEqual({ name: BRAND.emailFromName, address: BRAND.emailFromAddress });
  expect(mail.text).toContain(`Need help? ${BRAND.supportUrl}`);
  let whole = JSON.stringify({ from: mail.from?.text, subject: mail.subject, text: mail.text, html: mail.html });
  for (const url of tenantUrls) whole = whole.replaceAll(url, '<endpoint>');
  expect(whole).not.toMatch(/Lead Desk/i);
  expect(brandLeaks(whole)).toEqual([]);
}

const to = (mail: ParsedMail, address: string) => JSON.stringify(mail.to).includes(address);

async function conversation(text: string) {
  const v = connectVisitor(t.server.url, { siteKey: tenant.siteKey, origin: 'https://juniper.example' });
  open.push(v);
  await v.waitFor('session:ready');
  const identified = await v.socket
    .timeout(10_000)
    .emitWithAck('visitor:identify', { email: `pat-${Date.now()}@example.com`, name: 'Pat' });
  if (!identified.ok) throw new Error(identified.error.message);
  const ack = await v.send(text);
  if (!ack.ok) throw new Error(ack.error.message);
  await v.waitFor('reply:ended');
  return { conversationId: ack.data.message.conversationId as string, leadId: identified.data.leadId as string };
}

beforeAll(async () => {
  smtp = await startSmtpCapture();
  t = await startAuthServer({
    db: 'postgres',
    env: {
      SMTP_URL: smtp.url,
      BRANDING_CACHE_TTL_MS: '0',
      STRUCTURED_CHUNK_DELAY_MS: '0',
      // One staff-reply "minute" is 300 ms here.
      STAFF_REPLY_MINUTE_MS: '300',
      OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true',
      OUTGOING_WEBHOOKS_ALLOW_HTTP: 'true',
      OUTGOING_WEBHOOKS_RETRY_BASE_MS: '100',
      OUTGOING_WEBHOOKS_RETRY_MAX_MS: '800',
      OUTGOING_WEBHOOKS_RETRY_WINDOW_MS: '3000',
      OUTGOING_WEBHOOKS_SWEEP_INTERVAL_MS: '500',
      OUTGOING_WEBHOOKS_TIMEOUT_MS: '3000',
    },
  });
  tenant = await createAutomationTenant(t, 'Juniper Dental', { config: { escalation: { noStaffReplyMinutes: 1 } } });
  const orm = t.server.db.orm;
  const agency = await createAgency(orm, { name: 'Brightline Agency', branding: BRAND, clientIds: [tenant.clientId] });
  // The agency's verified dashboard domain: links in its clients' emails point there.
  await orm.em
    .getConnection()
    .execute("insert into brand_domains (host, agency_id, status, verified_at) values (?, ?, 'verified', now())", [
      'desk.brightline.example',
      agency.id,
    ]);
  const manager = await t.createStaff({ client: { id: tenant.clientId } as never, role: 'manager', name: 'Mia' });
  managerEmail = manager.email;
  managerToken = (await t.login(manager.email, manager.password)).accessToken;
  const [agent] = await orm.em
    .fork()
    .getConnection()
    .execute<{ email: string }[]>('select email from users where id = ?', [tenant.agent.userId]);
  agentEmail = agent?.email as string;
}, 120_000);

afterAll(async () => {
  for (const o of open) await o.close();
  await t?.server.dispose();
  await smtp?.close();
});

describe("a white-labelled client's staff emails, end to end", () => {
  it('an automation rule emails the managers in the brand when a status changes over REST', async () => {
    const rule = await tenant.createRule({
      name: 'Qualifying: tell the managers',
      trigger: { kind: 'status_changed', to: ['qualifying'] },
      actions: [{ type: 'notify_staff', via: ['email'], to: 'managers' }],
    });
    const { leadId } = await conversation('Hello, I would like a check-up');
    const patched = await t.api(`/leads/${leadId}/status`, {
      token: tenant.admin.token,
      method: 'PATCH',
      body: { status: 'qualifying' },
    });
    expect(patched.status).toBe(200);
    await tenant.waitForFirings(rule.id);
    const mail = await waitFor(() =>
      smtp.mails.find((m) => to(m, managerEmail) && m.subject?.includes('Qualifying: tell the managers')),
    );
    expect(mail.subject).toBe('[Juniper Dental] Qualifying: tell the managers');
    expectBranded(mail);
  });

  it('the staff desk emails the assignee in the brand when an assigned conversation gets no staff reply', async () => {
    const manager = connectStaff(t.server.url, { token: managerToken });
    open.push(manager);
    await manager.waitFor('connect');
    const { conversationId } = await conversation('Can someone call me back?');
    const assigned = await manager.call('conversation:assign', { conversationId, assigneeId: tenant.agent.userId });
    expect(assigned.ok).toBe(true);
    const mail = await waitFor(
      () => smtp.mails.find((m) => to(m, agentEmail) && m.subject?.includes('Conversation escalated')),
      15_000,
    );
    expect(mail.subject).toBe('[Juniper Dental] Conversation escalated: no staff reply');
    expect(mail.text).toContain(`/dashboard/inbox/${conversationId}`);
    expectBranded(mail);
  });

  it('the worker tells the admins in the brand that a failing webhook endpoint was disabled', async () => {
    const receiver = await startWebhookReceiver();
    open.push(receiver);
    receiver.failAll(503);
    tenantUrls.push(receiver.url);
    const created = await t.api('/webhook-endpoints', {
      token: tenant.admin.token,
      body: { url: receiver.url, events: ['lead.created'], description: 'CRM' },
    });
    expect(created.status).toBe(201);
    const endpointId = created.body.endpoint.id as string;
    await t.api(`/webhook-endpoints/${endpointId}/test`, { method: 'POST', token: tenant.admin.token });
    const mail = await waitFor(() => smtp.mails.find((m) => m.subject?.includes(receiver.url)), 30_000);
    expect(mail.subject).toBe(`Webhook endpoint disabled: ${receiver.url}`);
    expect(mail.text).toContain('Brightline stopped sending webhooks for Juniper Dental');
    // The link goes to the brand's verified domain, not to the platform's host.
    expect(mail.text).toContain('https://desk.brightline.example/dashboard/settings/integrations');
    expectBranded(mail);
  });

  it('sent every email of this client in the brand', () => {
    expect(smtp.mails.length).toBeGreaterThanOrEqual(3);
    for (const mail of smtp.mails) expectBranded(mail);
  });
});
