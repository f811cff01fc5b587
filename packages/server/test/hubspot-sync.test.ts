/**
 * HubSpot two-way sync end to end (issue 15): a real server on PostgreSQL and
 * Redis, our own HubSpot client against a local HubSpot that speaks CRM v3's
 * wire shapes. Leads come in through the public web form; staff move them on
 * the lead page; HubSpot answers 409s and 429s and sends signed webhooks.
 */
import type { CrmSyncDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { IClient } from '../src/db/entities/index.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { type AuthTestServer, logCapture, startAuthServer } from './auth/support.js';
import { TEST_REDIS_URL } from './support/databases.js';
import { dealChange, type FakeHubSpot, sendHubSpotWebhook, startFakeHubSpot } from './support/fake-hubspot.js';
import { waitFor } from './support/fake-providers.js';
import {
  call,
  connectHubSpot,
  crmState,
  type TenantCaller,
  waitForCrm,
  webFormLead,
} from './support/hubspot-tenant.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 180_000 });

const TOKEN_A = 'pat-na1-aaaaaaaa-1111-2222-3333-444444444444';
const TOKEN_B = 'pat-na1-bbbbbbbb-5555-6666-7777-888888888888';
const SECRET_A = 'client-secret-a-0f1e2d3c4b5a6978';
const SECRET_B = 'client-secret-b-8899aabbccddeeff';

describe('HubSpot sync per tenant', () => {
  let t: AuthTestServer;
  let hubspot: FakeHubSpot;
  const logs = logCapture();
  let a: { client: IClient; admin: TenantCaller; staffUserId: string; staffEmail: string };
  let b: { client: IClient; admin: TenantCaller };

  const tenant = async (name: string) => {
    const created = await createClient(t.server.db.orm.em.fork(), { name, industry: 'dental' });
    const admin = await t.createStaff({ client: created.client, role: 'admin' });
    const agent = await t.createStaff({
      client: created.client,
      role: 'agent',
      email: `agent-${created.client.slug}@example.com`,
    });
    const token = (await t.login(admin.email, admin.password)).accessToken;
    return {
      client: created.client,
      admin: { base: t.server.url, token },
      staffUserId: agent.user.id,
      staffEmail: agent.email,
    };
  };
  const requestsOf = (portalId: string, since = 0) =>
    hubspot.requests.filter((r) => r.portalId === portalId && r.at >= since);
  const leadRow = async (leadId: string) => {
    const rows = await t.server.db.orm.em
      .getConnection()
      .execute<Array<{ status: string; assignee_id: string | null }>>(
        'select status, assignee_id from leads where id = ?',
        [leadId],
      );
    return rows[0];
  };

  beforeAll(async () => {
    hubspot = await startFakeHubSpot();
    hubspot.addPortal(TOKEN_A, '62515');
    hubspot.addPortal(TOKEN_B, '77001');
    t = await startAuthServer({
      db: 'postgres',
      logStream: logs.stream,
      env: {
        LOG_LEVEL: 'debug',
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: `hs${Date.now().toString(36)}:`,
        HUBSPOT_BASE_URL: hubspot.url,
        HUBSPOT_SYNC_DELAY_MS: '150',
        HUBSPOT_SYNC_SWEEP_MS: '1000',
        STRUCTURED_CHUNK_DELAY_MS: '0',
      },
    });
    a = await tenant('Sunset Dental');
    b = await tenant('Harbor Dental');
  });
  afterAll(async () => {
    await t?.server.dispose();
    await hubspot?.close();
  });

  it('connects with write-only secrets, creates the Lead Desk properties and tests the connection', async () => {
    const view = await connectHubSpot(a.admin, { accessToken: TOKEN_A, clientSecret: SECRET_A, portalId: '62515' });
    expect(view).toMatchObject({
      configured: true,
      accessToken: { set: true, last4: '4444' },
      clientSecret: { set: true, last4: '6978' },
      portalId: '62515',
      pipelineId: 'default',
      enabled: true,
      webhookUrl: `${t.server.url}/webhooks/hubspot?client=${a.client.slug}`,
    });
    expect(view.stageMapping.closed_won).toBe('closedwon');
    const test = await call(a.admin, '/crm/hubspot/test', { method: 'POST' });
    expect(test.body).toMatchObject({ ok: true, message: expect.stringContaining('Sales Pipeline') });
    // The group and the custom properties on contacts and deals (first connect), each created once.
    const portal = hubspot.portal(TOKEN_A);
    await waitFor(() => (portal.properties.deals?.length ?? 0) >= 9 && (portal.properties.contacts?.length ?? 0) >= 9);
    expect(portal.groups).toEqual({ contacts: ['leaddesk'], deals: ['leaddesk'] });
    expect(portal.properties.deals).toEqual(
      expect.arrayContaining([
        'leaddesk_score',
        'leaddesk_temperature',
        'leaddesk_evidence_summary',
        'leaddesk_intent',
        'leaddesk_service',
        'leaddesk_language',
        'leaddesk_source_channel',
        'leaddesk_conversation_link',
        'leaddesk_lead_id',
      ]),
    );
    await waitFor(async () => typeof (await call(a.admin, '/crm/hubspot')).body.propertiesReadyAt === 'string');

    // A bad token: the test says so, in words.
    hubspot.failNext((r) => r.path === '/crm/v3/pipelines/deals', {
      status: 401,
      body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' },
    });
    const bad = await call(a.admin, '/crm/hubspot/test', { method: 'POST' });
    expect(bad.body).toMatchObject({ ok: false, message: expect.stringContaining('401') });

    // Secrets never come back, and are not stored in plain text.
    const stored = await t.server.db.orm.em
      .getConnection()
      .execute<Array<{ s: string }>>('select settings::text as s from crm_connections where client_id = ?', [
        a.client.id,
      ]);
    for (const text of [
      JSON.stringify(view),
      test.text,
      (await call(a.admin, '/crm/hubspot')).text,
      stored[0]?.s ?? '',
    ]) {
      expect(text).not.toContain(TOKEN_A);
      expect(text).not.toContain(SECRET_A);
    }
    expect(logs.lines.join('\n')).not.toContain(TOKEN_A);
  });

  it('refuses bad settings with a 400 and changes nothing', async () => {
    const res = await call(a.admin, '/crm/hubspot', {
      method: 'PATCH',
      body: { stageMapping: { qualified: 'bad stage!' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('stageMapping.qualified');
    expect((await call(a.admin, '/crm/hubspot')).body.stageMapping.qualified).toBe('qualifiedtobuy');
  });

  let janeLead = '';
  let janeDeal = '';
  it('upserts the contact through a 409 conflict, creates the deal in the mapped stage and adds the summary note', async () => {
    const portal = hubspot.portal(TOKEN_A);
    // Jane is already in HubSpot, but not in its search index yet: create answers 409 with her id.
    const existing = hubspot.seedContact(TOKEN_A, {
      email: 'jane.doe@example.org',
      firstname: 'Jane',
      lastname: 'Doe',
    });
    // White-label (docs/white-label.md): the note names the client's product, never the platform.
    const branded = await call(a.admin, '/client/branding', {
      method: 'PATCH',
      body: { productName: 'Sunrise Leads' },
    });
    expect(branded.status).toBe(200);
    const since = Date.now();
    const { leadId } = await webFormLead(t.server.url, a.client.siteKey, {
      name: 'Jane Doe',
      email: 'jane.doe@example.org',
      phone: '+1 415 555 0123',
      message: 'Do you do teeth whitening? I could come next Tuesday.',
      service: 'Whitening',
    });
    janeLead = leadId;
    const state = await waitForCrm(a.admin, leadId, (s) => s.state === 'synced');
    expect(state).toMatchObject({ state: 'synced', error: null, contactId: existing.id });
    expect(state.contactUrl).toBe(`https://app.hubspot.com/contacts/62515/record/0-1/${existing.id}`);
    janeDeal = state.dealId as string;

    const calls = requestsOf('62515', since).map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(calls).toContain('POST /crm/v3/objects/contacts 409');
    expect(calls).toContain(`PATCH /crm/v3/objects/contacts/${existing.id} 200`);
    // One contact: the conflict resolved to Jane, never a second one.
    expect([...portal.contacts.values()].filter((c) => c.properties.email === 'jane.doe@example.org')).toHaveLength(1);
    expect(existing.properties).toMatchObject({
      phone: '+14155550123',
      leaddesk_lead_id: leadId,
      leaddesk_service: 'Whitening',
    });

    const deal = portal.deals.get(janeDeal);
    expect(deal?.properties).toMatchObject({
      dealname: 'Jane Doe — Whitening',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      leaddesk_lead_id: leadId,
      leaddesk_source_channel: 'web_form',
    });
    expect(deal?.associations).toEqual([{ toId: existing.id, typeId: 3 }]);
    const notes = [...portal.notes.values()].filter((n) => n.associations.some((x) => x.toId === janeDeal));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.properties.hs_note_body).toContain('teeth whitening');
    expect(notes[0]?.properties.hs_note_body).toContain('<strong>Sunrise Leads conversation summary</strong>');
    expect(notes[0]?.properties.hs_note_body).not.toMatch(/lead\s?desk/i);
    expect(notes[0]?.associations).toEqual([
      { toId: existing.id, typeId: 202 },
      { toId: janeDeal, typeId: 214 },
    ]);
  });

  it('moves the deal to the mapped stage on each status change, with the tenant’s own mapping', async () => {
    await call(a.admin, '/crm/hubspot', { method: 'PATCH', body: { stageMapping: { qualified: 'contractsent' } } });
    const res = await call(a.admin, `/leads/${janeLead}/status`, { method: 'PATCH', body: { status: 'qualified' } });
    expect(res.status).toBe(200);
    const deal = hubspot.portal(TOKEN_A).deals.get(janeDeal);
    await waitFor(() => deal?.properties.dealstage === 'contractsent');
    await call(a.admin, `/leads/${janeLead}/status`, { method: 'PATCH', body: { status: 'closed_won' } });
    await waitFor(() => deal?.properties.dealstage === 'closedwon');
    await waitForCrm(a.admin, janeLead, (s) => s.state === 'synced');
    // Still one deal for the lead, and the note was not repeated (the conversation said nothing new).
    expect(
      [...hubspot.portal(TOKEN_A).deals.values()].filter((d) => d.properties.leaddesk_lead_id === janeLead),
    ).toHaveLength(1);
    expect(
      [...hubspot.portal(TOKEN_A).notes.values()].filter((n) => n.associations.some((x) => x.toId === janeDeal)),
    ).toHaveLength(1);
  });

  it('honours a 429 with Retry-After: the tenant waits that long before calling again', async () => {
    const { leadId } = await webFormLead(t.server.url, a.client.siteKey, {
      name: 'Rita Moreno',
      email: 'rita@example.org',
    });
    const first = await waitForCrm(a.admin, leadId, (s) => s.state === 'synced');
    hubspot.failNext((r) => r.method === 'PATCH' && r.path === `/crm/v3/objects/deals/${first.dealId}`, {
      status: 429,
      headers: { 'retry-after': '2' },
      body: {
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: 'c8f4f3c4-1a11-4bd5-9a9d-4b4ae2f2b0a1',
        policyName: 'TEN_SECONDLY_ROLLING',
      },
    });
    const since = Date.now();
    await call(a.admin, `/leads/${leadId}/status`, { method: 'PATCH', body: { status: 'qualified' } });
    await waitForCrm(a.admin, leadId, (s) => s.state === 'synced' && Date.parse(s.syncedAt ?? '') >= since, 40_000);
    const patches = requestsOf('62515', since).filter((r) => r.path === `/crm/v3/objects/deals/${first.dealId}`);
    expect(patches.map((p) => p.status)).toEqual([429, 200]);
    const limited = patches[0]?.at ?? 0;
    expect((patches[1]?.at ?? 0) - limited).toBeGreaterThanOrEqual(1900);
    // Nothing else of this tenant reached HubSpot while it was told to wait.
    const during = requestsOf('62515', limited + 1).filter((r) => r.at < limited + 1900);
    expect(during).toEqual([]);
    expect(hubspot.portal(TOKEN_A).deals.get(first.dealId as string)?.properties.dealstage).toBe('contractsent');
  });

  it('applies a HubSpot stage change and owner change from a signed webhook, without echoing them back', async () => {
    const url = `${t.server.url}/webhooks/hubspot?client=${a.client.slug}`;
    const { leadId } = await webFormLead(t.server.url, a.client.siteKey, {
      name: 'Sam Hill',
      email: 'sam@example.org',
    });
    const synced = await waitForCrm(a.admin, leadId, (s) => s.state === 'synced');
    const dealId = synced.dealId as string;
    hubspot.portal(TOKEN_A).owners.set('910901', {
      id: '910901',
      email: a.staffEmail.toUpperCase(),
      firstName: 'Ana',
      lastName: 'Agent',
    });
    // A salesperson moves the deal to "Contract Sent" (this tenant maps `qualified` there) and takes it.
    const deal = hubspot.portal(TOKEN_A).deals.get(dealId);
    if (deal) Object.assign(deal.properties, { dealstage: 'contractsent', hubspot_owner_id: '910901' });
    const since = Date.now();
    const stageEvent = dealChange('62515', dealId, 'dealstage', 'contractsent');
    const res = await sendHubSpotWebhook(url, SECRET_A, [
      stageEvent,
      dealChange('62515', dealId, 'hubspot_owner_id', '910901'),
      // Another kind of event is acknowledged and ignored.
      { ...dealChange('62515', dealId, 'dealstage', 'x'), subscriptionType: 'contact.creation' },
    ]);
    expect(res).toEqual({ status: 200, body: { received: 3, queued: 2 } });
    await waitFor(async () => {
      const row = await leadRow(leadId);
      return row?.status === 'qualified' && row.assignee_id === a.staffUserId;
    }, 20_000);
    const lead = await call(a.admin, `/leads/${leadId}`);
    expect(lead.body).toMatchObject({ status: 'qualified', assigneeId: a.staffUserId });
    // The change triggers a sync like any other, which finds HubSpot already holds it: nothing sent back.
    await waitForCrm(a.admin, leadId, (s) => s.state === 'synced' && Date.parse(s.syncedAt ?? '') > since);
    const writes = requestsOf('62515', since).filter((r) => r.method !== 'GET' && r.path.includes(dealId));
    expect(writes).toEqual([]);
    expect(deal?.properties.dealstage).toBe('contractsent');

    // A later change in Lead Desk flows to HubSpot as usual.
    await call(a.admin, `/leads/${leadId}/status`, { method: 'PATCH', body: { status: 'appointment_booked' } });
    await waitFor(() => hubspot.portal(TOKEN_A).deals.get(dealId)?.properties.dealstage === 'presentationscheduled');

    // HubSpot delivers the stage event again (its retry): applied once, the lead stays where it moved since.
    const again = await sendHubSpotWebhook(url, SECRET_A, [stageEvent]);
    expect(again.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await leadRow(leadId))?.status).toBe('appointment_booked');
  });

  it('refuses a bad or stale signature with 401 and changes nothing', async () => {
    const url = `${t.server.url}/webhooks/hubspot?client=${a.client.slug}`;
    const before = await leadRow(janeLead);
    const event = [dealChange('62515', janeDeal, 'dealstage', 'closedlost')];
    const forged = await sendHubSpotWebhook(url, 'not-the-secret-at-all', event);
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'invalid_signature' } });
    const stale = await sendHubSpotWebhook(url, SECRET_A, event, { timestamp: Date.now() - 6 * 60_000 });
    expect(stale.status).toBe(401);
    expect(JSON.stringify(stale.body)).toContain('older than 5 minutes');
    const unknown = await sendHubSpotWebhook(`${t.server.url}/webhooks/hubspot?client=nobody`, SECRET_A, event);
    expect(unknown.status).toBe(401);
    // Signed for another URL (a replay against another tenant's endpoint): refused too.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await leadRow(janeLead)).toEqual(before);
  });

  it('keeps tenants apart: own portal, own webhooks, no reading another tenant’s sync state', async () => {
    await connectHubSpot(b.admin, { accessToken: TOKEN_B, clientSecret: SECRET_B, portalId: '77001' });
    const { leadId } = await webFormLead(t.server.url, b.client.siteKey, { name: 'Bo Bell', email: 'bo@example.org' });
    const state = await waitForCrm(b.admin, leadId, (s) => s.state === 'synced');
    expect(hubspot.portal(TOKEN_B).deals.get(state.dealId as string)?.properties.leaddesk_lead_id).toBe(leadId);
    // Nothing of B in A's portal, nothing of A in B's.
    expect([...hubspot.portal(TOKEN_A).contacts.values()].some((c) => c.properties.email === 'bo@example.org')).toBe(
      false,
    );
    expect(
      [...hubspot.portal(TOKEN_B).contacts.values()].some((c) => c.properties.email === 'jane.doe@example.org'),
    ).toBe(false);
    // A's staff cannot read B's lead state (404, as for any lead not theirs).
    expect((await call(a.admin, `/leads/${leadId}/crm`)).status).toBe(404);
    // A webhook on A's URL (A's secret) naming B's deal finds nothing in A; B's URL with A's secret is refused.
    const viaA = await sendHubSpotWebhook(`${t.server.url}/webhooks/hubspot?client=${a.client.slug}`, SECRET_A, [
      dealChange('62515', state.dealId as string, 'dealstage', 'closedlost'),
    ]);
    expect(viaA.status).toBe(200);
    const viaB = await sendHubSpotWebhook(`${t.server.url}/webhooks/hubspot?client=${b.client.slug}`, SECRET_A, [
      dealChange('77001', state.dealId as string, 'dealstage', 'closedlost'),
    ]);
    expect(viaB.status).toBe(401);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await leadRow(leadId))?.status).toBe('new');
    // B's requests all carried B's token: every one reached B's portal.
    expect(hubspot.requests.filter((r) => r.portalId === null)).toEqual([]);
  });

  it('re-syncs a tenant’s backlog: leads from before the connection are pushed on request', async () => {
    const c = await tenant('Marina Dental');
    const before = await Promise.all(
      ['one', 'two', 'three'].map((n) =>
        webFormLead(t.server.url, c.client.siteKey, { name: `Old ${n}`, email: `${n}@old.example` }),
      ),
    );
    // Not connected yet: the leads have no sync state.
    expect((await crmState(c.admin, before[0]?.leadId as string)).state).toBe('not_synced');
    const token = 'pat-na1-cccccccc-9999-0000-1111-222222222222';
    hubspot.addPortal(token, '88002');
    await connectHubSpot(c.admin, { accessToken: token, clientSecret: SECRET_B, portalId: '88002' });
    const res = await call(c.admin, '/crm/hubspot/resync', { method: 'POST', body: {} });
    expect(res).toMatchObject({ status: 202, body: { queued: 3 } });
    const states: CrmSyncDto[] = [];
    for (const { leadId } of before) states.push(await waitForCrm(c.admin, leadId, (s) => s.state === 'synced'));
    expect(hubspot.portal(token).deals.size).toBe(3);
    // Again: nothing left in the backlog.
    expect((await call(c.admin, '/crm/hubspot/resync', { method: 'POST', body: {} })).body).toEqual({ queued: 0 });
  });

  it('shows a permanent HubSpot refusal as failed with the reason', async () => {
    hubspot.failNext((r) => r.method === 'POST' && r.path === '/crm/v3/objects/deals' && r.portalId === '62515', {
      status: 400,
      body: {
        status: 'error',
        message: 'Property values were not valid: [{"isValid":false,"message":"not a valid stage","name":"dealstage"}]',
        category: 'VALIDATION_ERROR',
      },
    });
    const { leadId } = await webFormLead(t.server.url, a.client.siteKey, {
      name: 'Val Idate',
      email: 'val@example.org',
    });
    const failed = await waitForCrm(a.admin, leadId, (s) => s.state === 'failed');
    expect(failed.error).toContain('HubSpot 400');
    expect(failed.error).toContain('not a valid stage');
    // The lead page's "retry": a sync now succeeds.
    const retry = await call(a.admin, `/leads/${leadId}/crm/sync`, { method: 'POST' });
    expect(retry.status).toBe(202);
    expect(retry.body.state).toBe('pending');
    await waitForCrm(a.admin, leadId, (s) => s.state === 'synced');
  });
});
