import { ACTIONS, type Action, can, POLICY, ROLES, type Role } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/db/entities/index.js';
import { findOrCreateLead } from '../../src/leads/find-or-create-lead.js';
import type { createClient } from '../../src/tenants/tenant-service.js';
import { DB_KINDS } from '../support/databases.js';
import { type AuthTestServer, startAuthServer } from './support.js';

/**
 * The role × action matrix, written out by hand. The policy table in
 * packages/shared/src/policy.ts must agree with it cell by cell, and the
 * server must enforce it on every REST route.
 * Columns: super_admin, admin, manager, agent, viewer.
 */
const EXPECTED: Record<Action, string> = {
  'leads:read': 'YYYYY',
  'leads:update': 'YYYYN',
  'leads:export': 'YYYNN',
  'leads:erase': 'YYNNN',
  'conversations:read': 'YYYYY',
  'conversations:takeover': 'YYYYN',
  'conversations:assign': 'YYYNN',
  'messages:send': 'YYYYN',
  'notes:create': 'YYYYN',
  'suggestions:request': 'YYYYN',
  'escalations:read': 'YYYYY',
  'escalations:resolve': 'YYYYN',
  'knowledge:read': 'YYYYY',
  'knowledge:manage': 'YYYNN',
  'analytics:read': 'YYYNN',
  'client:read': 'YYYYY',
  'client:update': 'YYNNN',
  'client:rotate_keys': 'YYNNN',
  'users:read': 'YYYNN',
  'users:invite': 'YYNNN',
  'users:manage': 'YYNNN',
  'audit:read': 'YYNNN',
  'clients:manage': 'YNNNN',
  // Agency actions (issue 18): agency staff only, on their own agency; super admins use /admin/agencies
  'agency:read': 'NYYYY',
  'agency:reports': 'NYYNN',
  'agency:manage': 'NYNNN',
};
const COLUMNS: Role[] = ['super_admin', 'admin', 'manager', 'agent', 'viewer'];
const expected = (role: Role, action: Action) => EXPECTED[action][COLUMNS.indexOf(role)] === 'Y';

describe('policy table', () => {
  it('lists exactly the actions of the hand-written matrix', () => {
    expect([...ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect([...ROLES].sort()).toEqual([...COLUMNS].sort());
  });

  for (const action of Object.keys(EXPECTED) as Action[]) {
    for (const role of COLUMNS) {
      it(`${role} ${expected(role, action) ? 'may' : 'may not'} ${action}`, () => {
        expect(can(role, action)).toBe(expected(role, action));
      });
    }
  }
});

/** Every tenant REST route, the action it needs, and what an allowed caller gets for this harmless request. */
interface RouteCase {
  method: string;
  path: string;
  action: Action;
  body?: unknown;
  allowedStatus: number;
  /** Changes state when allowed: run after the others. */
  last?: boolean;
  /** The OpenAPI path, when the request's path has parameters other than uuids. */
  documented?: string;
}

const AGENCY_ROLES: Role[] = ['admin', 'manager', 'agent', 'viewer'];

describe.each(DB_KINDS)('role × action over HTTP on %s', (kind) => {
  let t: AuthTestServer;
  let a: Awaited<ReturnType<typeof createClient>>;
  const tokens = new Map<Role, string>();
  /** Staff of agency A, which owns client `a` (issue 18), by role; and an admin of agency B. */
  const agencyTokens = new Map<Role, string>();
  let otherAgencyAdmin: string;
  let cases: RouteCase[];

  beforeAll(async () => {
    t = await startAuthServer({ db: kind });
    a = await t.newClient('Matrix Dental');
    const lead = await findOrCreateLead(t.server.db.orm.em.fork(), a.client, 'web', {
      name: 'Mia',
      email: 'mia@example.com',
    });
    for (const role of COLUMNS) {
      const staff = await t.createStaff({ client: role === 'super_admin' ? null : a.client, role });
      tokens.set(role, (await t.login(staff.email, staff.password)).accessToken);
    }
    const someUser = await t.createStaff({ client: a.client, role: 'agent' });
    const agencyA = await t.newAgency('Matrix Agency A');
    const agencyB = await t.newAgency('Matrix Agency B');
    await t.server.db.orm.em.fork().nativeUpdate(Client, { id: a.client.id }, { agency: agencyA.id });
    for (const role of AGENCY_ROLES) {
      const staff = await t.createStaff({ client: null, agency: agencyA, role });
      agencyTokens.set(role, (await t.login(staff.email, staff.password)).accessToken);
    }
    const someAgencyUser = await t.createStaff({ client: null, agency: agencyA, role: 'agent' });
    const bAdmin = await t.createStaff({ client: null, agency: agencyB, role: 'admin' });
    otherAgencyAdmin = (await t.login(bAdmin.email, bAdmin.password)).accessToken;
    const missing = '11111111-1111-4111-8111-111111111111';
    cases = [
      { method: 'GET', path: '/leads', action: 'leads:read', allowedStatus: 200 },
      { method: 'GET', path: `/leads/${lead.lead.id}`, action: 'leads:read', allowedStatus: 200 },
      { method: 'GET', path: '/exports/leads.csv', action: 'leads:export', allowedStatus: 200 },
      { method: 'GET', path: '/exports/conversations.csv', action: 'leads:export', allowedStatus: 200 },
      { method: 'GET', path: `/leads/${lead.lead.id}/export`, action: 'leads:export', allowedStatus: 200 },
      { method: 'DELETE', path: `/leads/${missing}`, action: 'leads:erase', allowedStatus: 404 },
      {
        method: 'PATCH',
        path: `/leads/${lead.lead.id}/status`,
        action: 'leads:update',
        body: { status: 'bogus' },
        allowedStatus: 400,
      },
      { method: 'GET', path: '/conversations', action: 'conversations:read', allowedStatus: 200 },
      { method: 'GET', path: `/conversations/${missing}`, action: 'conversations:read', allowedStatus: 404 },
      { method: 'GET', path: `/conversations/${missing}/messages`, action: 'conversations:read', allowedStatus: 404 },
      { method: 'GET', path: '/client', action: 'client:read', allowedStatus: 200 },
      // White-label (issue 18): the client's branding and brand domains, and any agency's for super admins.
      { method: 'GET', path: '/client/branding', action: 'client:read', allowedStatus: 200 },
      { method: 'PATCH', path: '/client/branding', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'GET', path: '/client/brand-domains', action: 'client:read', allowedStatus: 200 },
      {
        method: 'POST',
        path: '/client/brand-domains',
        action: 'client:update',
        body: { host: '' },
        allowedStatus: 400,
      },
      {
        method: 'DELETE',
        path: '/client/brand-domains/none.example',
        action: 'client:update',
        allowedStatus: 404,
        documented: '/client/brand-domains/{host}',
      },
      {
        method: 'POST',
        path: '/client/brand-domains/none.example/verify',
        action: 'client:update',
        allowedStatus: 404,
        documented: '/client/brand-domains/{host}/verify',
      },
      {
        method: 'GET',
        path: '/client/brand-domains/none.example/take-over',
        action: 'client:update',
        allowedStatus: 404,
        documented: '/client/brand-domains/{host}/take-over',
      },
      {
        method: 'POST',
        path: '/client/brand-domains/none.example/take-over',
        action: 'client:update',
        allowedStatus: 404,
        documented: '/client/brand-domains/{host}/take-over',
      },
      { method: 'GET', path: `/admin/agencies/${missing}/branding`, action: 'clients:manage', allowedStatus: 404 },
      {
        method: 'PATCH',
        path: `/admin/agencies/${missing}/branding`,
        action: 'clients:manage',
        body: { productName: 'X' },
        allowedStatus: 404,
      },
      { method: 'GET', path: `/admin/agencies/${missing}/brand-domains`, action: 'clients:manage', allowedStatus: 404 },
      {
        method: 'POST',
        path: `/admin/agencies/${missing}/brand-domains`,
        action: 'clients:manage',
        body: { host: 'x.example' },
        allowedStatus: 404,
      },
      {
        method: 'DELETE',
        path: `/admin/agencies/${missing}/brand-domains/none.example`,
        action: 'clients:manage',
        allowedStatus: 404,
        documented: '/admin/agencies/{id}/brand-domains/{host}',
      },
      {
        method: 'POST',
        path: `/admin/agencies/${missing}/brand-domains/none.example/verify`,
        action: 'clients:manage',
        allowedStatus: 404,
        documented: '/admin/agencies/{id}/brand-domains/{host}/verify',
      },
      {
        method: 'GET',
        path: `/admin/agencies/${missing}/brand-domains/none.example/take-over`,
        action: 'clients:manage',
        allowedStatus: 404,
        documented: '/admin/agencies/{id}/brand-domains/{host}/take-over',
      },
      {
        method: 'POST',
        path: `/admin/agencies/${missing}/brand-domains/none.example/take-over`,
        action: 'clients:manage',
        allowedStatus: 404,
        documented: '/admin/agencies/{id}/brand-domains/{host}/take-over',
      },
      { method: 'PATCH', path: '/client', action: 'client:update', body: { name: '' }, allowedStatus: 400 },
      { method: 'GET', path: '/users', action: 'users:read', allowedStatus: 200 },
      {
        method: 'POST',
        path: '/users/invitations',
        action: 'users:invite',
        body: { email: 'nope' },
        allowedStatus: 400,
      },
      { method: 'PATCH', path: `/users/${someUser.user.id}`, action: 'users:manage', body: {}, allowedStatus: 400 },
      { method: 'GET', path: '/audit-logs', action: 'audit:read', allowedStatus: 200 },
      { method: 'GET', path: '/admin/clients', action: 'clients:manage', allowedStatus: 200 },
      // Staff desk (issue 8)
      { method: 'GET', path: '/inbox', action: 'conversations:read', allowedStatus: 200 },
      { method: 'GET', path: '/team', action: 'conversations:read', allowedStatus: 200 },
      { method: 'GET', path: '/escalations', action: 'escalations:read', allowedStatus: 200 },
      { method: 'GET', path: '/escalations/stats', action: 'escalations:read', allowedStatus: 200 },
      {
        method: 'POST',
        path: `/escalations/${missing}/resolve`,
        action: 'escalations:resolve',
        body: { resolution: 'done' },
        allowedStatus: 404,
      },
      { method: 'GET', path: '/analytics', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/reports', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/reports/roi', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/reports/insights', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/reports/insights.csv', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/reports/response-times.csv', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/reports/missed-revenue.csv', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/reports/roi.csv', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/admin/reports/overview', action: 'clients:manage', allowedStatus: 200 },
      { method: 'GET', path: '/admin/reports/overview.csv', action: 'clients:manage', allowedStatus: 200 },
      // Lead scoring, the conversion model and the monthly email (issue 17): read like the reports, changed by admins
      { method: 'GET', path: '/reports/scoring', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/reports/scoring.csv', action: 'analytics:read', allowedStatus: 200 },
      { method: 'POST', path: '/reports/scoring/model/refit', action: 'client:update', allowedStatus: 200 },
      { method: 'GET', path: '/reports/monthly-email', action: 'analytics:read', allowedStatus: 200 },
      {
        method: 'PUT',
        path: '/reports/monthly-email',
        action: 'client:update',
        body: { recipients: 'nobody' },
        allowedStatus: 400,
      },
      { method: 'POST', path: '/admin/clients', action: 'clients:manage', body: {}, allowedStatus: 400 },
      {
        method: 'PATCH',
        path: `/admin/clients/${a.client.id}`,
        action: 'clients:manage',
        body: {},
        allowedStatus: 400,
      },
      // Dead letters (issue 12): platform-wide, super admin only; nothing to retry here, so 404.
      { method: 'GET', path: '/admin/dead-letters', action: 'clients:manage', allowedStatus: 200 },
      ...(['webhooks/whatsapp', 'jobs/outbound'] as const).flatMap((source) => {
        const kindPath = source.split('/')[0];
        return [
          {
            method: 'POST',
            path: `/admin/dead-letters/${source}/999999/retry`,
            documented: `/admin/dead-letters/${kindPath}/{source}/{id}/retry`,
            action: 'clients:manage' as const,
            allowedStatus: 404,
          },
          {
            method: 'DELETE',
            path: `/admin/dead-letters/${source}/999999`,
            documented: `/admin/dead-letters/${kindPath}/{source}/{id}`,
            action: 'clients:manage' as const,
            allowedStatus: 404,
          },
        ];
      }),
      // Outgoing webhooks (issue 15): read like the client, changed, tested and replayed by admins
      { method: 'GET', path: '/webhook-endpoints', action: 'client:read', allowedStatus: 200 },
      { method: 'POST', path: '/webhook-endpoints', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'GET', path: `/webhook-endpoints/${missing}`, action: 'client:read', allowedStatus: 404 },
      { method: 'PATCH', path: `/webhook-endpoints/${missing}`, action: 'client:update', body: {}, allowedStatus: 404 },
      { method: 'DELETE', path: `/webhook-endpoints/${missing}`, action: 'client:update', allowedStatus: 404 },
      {
        method: 'POST',
        path: `/webhook-endpoints/${missing}/rotate-secret`,
        action: 'client:update',
        allowedStatus: 404,
      },
      { method: 'POST', path: `/webhook-endpoints/${missing}/test`, action: 'client:update', allowedStatus: 404 },
      { method: 'GET', path: `/webhook-endpoints/${missing}/deliveries`, action: 'client:read', allowedStatus: 404 },
      { method: 'GET', path: `/webhook-deliveries/${missing}`, action: 'client:read', allowedStatus: 404 },
      { method: 'POST', path: `/webhook-deliveries/${missing}/replay`, action: 'client:update', allowedStatus: 404 },
      // Automation rules, business hours, follow-ups and retention (issue 14): read like the client, changed by admins
      { method: 'GET', path: '/automation/rules', action: 'client:read', allowedStatus: 200 },
      { method: 'POST', path: '/automation/rules', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'GET', path: `/automation/rules/${missing}`, action: 'client:read', allowedStatus: 404 },
      { method: 'PATCH', path: `/automation/rules/${missing}`, action: 'client:update', body: {}, allowedStatus: 404 },
      { method: 'DELETE', path: `/automation/rules/${missing}`, action: 'client:update', allowedStatus: 404 },
      { method: 'GET', path: '/automation/firings', action: 'client:read', allowedStatus: 200 },
      { method: 'GET', path: '/automation/hours', action: 'client:read', allowedStatus: 200 },
      { method: 'GET', path: '/automation/callbacks', action: 'client:read', allowedStatus: 200 },
      // Completing a call-back and tagging leads is lead work (issue 14)
      { method: 'POST', path: `/automation/callbacks/${missing}/done`, action: 'leads:update', allowedStatus: 404 },
      {
        method: 'POST',
        path: `/leads/${lead.lead.id}/tags`,
        action: 'leads:update',
        body: { tag: '  ' },
        allowedStatus: 400,
      },
      {
        method: 'DELETE',
        path: `/leads/${missing}/tags/vip`,
        documented: '/leads/{id}/tags/{tag}',
        action: 'leads:update',
        allowedStatus: 404,
      },
      { method: 'GET', path: '/automation/follow-ups', action: 'client:read', allowedStatus: 200 },
      {
        method: 'PATCH',
        path: '/automation/follow-ups',
        action: 'client:update',
        body: { followUps: { enabled: 'yes' } },
        allowedStatus: 400,
      },
      {
        method: 'POST',
        path: '/automation/retention/run',
        action: 'client:update',
        body: { dryRun: 'no' },
        allowedStatus: 400,
      },
      { method: 'GET', path: `/conversations/${missing}/follow-ups`, action: 'conversations:read', allowedStatus: 404 },
      {
        method: 'POST',
        path: `/conversations/${missing}/follow-ups/stop`,
        action: 'conversations:takeover',
        body: {},
        allowedStatus: 404,
      },
      {
        method: 'POST',
        path: `/conversations/${missing}/follow-ups/start`,
        action: 'conversations:takeover',
        body: {},
        allowedStatus: 404,
      },
      // Cal.com booking (issue 15): settings like the client, a lead's bookings like the lead
      { method: 'GET', path: '/integrations/calcom', action: 'client:read', allowedStatus: 200 },
      {
        method: 'PATCH',
        path: '/integrations/calcom',
        action: 'client:update',
        body: { bookingWindowDays: 'soon' },
        allowedStatus: 400,
      },
      { method: 'POST', path: '/integrations/calcom/test', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'GET', path: `/leads/${missing}/bookings`, action: 'leads:read', allowedStatus: 404 },
      { method: 'GET', path: `/leads/${missing}/booking-slots`, action: 'leads:read', allowedStatus: 404 },
      { method: 'POST', path: `/leads/${missing}/bookings`, action: 'leads:update', body: {}, allowedStatus: 400 },
      { method: 'POST', path: `/bookings/${missing}/cancel`, action: 'leads:update', body: {}, allowedStatus: 404 },
      { method: 'POST', path: `/bookings/${missing}/reschedule`, action: 'leads:update', body: {}, allowedStatus: 400 },
      // HubSpot (issue 15): the connection like the client, a lead's sync state like the lead
      { method: 'GET', path: '/crm/hubspot', action: 'client:read', allowedStatus: 200 },
      { method: 'PATCH', path: '/crm/hubspot', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'PUT', path: '/crm/hubspot', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'DELETE', path: '/crm/hubspot', action: 'client:update', allowedStatus: 200 },
      { method: 'POST', path: '/crm/hubspot/test', action: 'client:update', body: {}, allowedStatus: 200 },
      { method: 'POST', path: '/crm/hubspot/resync', action: 'client:update', body: {}, allowedStatus: 409 },
      { method: 'GET', path: `/leads/${missing}/crm`, action: 'leads:read', allowedStatus: 404 },
      { method: 'POST', path: `/leads/${missing}/crm/sync`, action: 'leads:update', body: {}, allowedStatus: 404 },
      // Knowledge bases (a missing base: allowed roles reach the handler, which answers 404 or 400)
      { method: 'GET', path: '/knowledge-bases', action: 'knowledge:read', allowedStatus: 200 },
      { method: 'POST', path: '/knowledge-bases', action: 'knowledge:manage', body: {}, allowedStatus: 400 },
      { method: 'GET', path: `/knowledge-bases/${missing}`, action: 'knowledge:read', allowedStatus: 404 },
      {
        method: 'PATCH',
        path: `/knowledge-bases/${missing}`,
        action: 'knowledge:manage',
        body: {},
        allowedStatus: 400,
      },
      { method: 'DELETE', path: `/knowledge-bases/${missing}`, action: 'knowledge:manage', allowedStatus: 404 },
      { method: 'DELETE', path: `/knowledge-bases/${missing}/chunks`, action: 'knowledge:manage', allowedStatus: 404 },
      { method: 'GET', path: `/knowledge-bases/${missing}/chunks`, action: 'knowledge:read', allowedStatus: 404 },
      { method: 'POST', path: `/knowledge-bases/${missing}/documents`, action: 'knowledge:manage', allowedStatus: 404 },
      {
        method: 'DELETE',
        path: `/knowledge-bases/${missing}/documents/{sourceId}`,
        action: 'knowledge:manage',
        allowedStatus: 404,
      },
      {
        method: 'POST',
        path: `/knowledge-bases/${missing}/faqs`,
        action: 'knowledge:manage',
        body: {},
        allowedStatus: 400,
      },
      {
        method: 'POST',
        path: `/knowledge-bases/${missing}/faqs/bulk`,
        action: 'knowledge:manage',
        body: {},
        allowedStatus: 400,
      },
      { method: 'GET', path: `/knowledge-bases/${missing}/ingestions`, action: 'knowledge:read', allowedStatus: 404 },
      {
        method: 'GET',
        path: `/knowledge-bases/${missing}/ingestions/{ingestionId}`,
        action: 'knowledge:read',
        allowedStatus: 404,
      },
      {
        method: 'POST',
        path: `/knowledge-bases/${missing}/ingestions/{ingestionId}/retry`,
        action: 'knowledge:manage',
        allowedStatus: 404,
      },
      { method: 'GET', path: '/knowledge/search', action: 'knowledge:read', allowedStatus: 400 },
      { method: 'GET', path: '/knowledge/suggestions', action: 'knowledge:read', allowedStatus: 200 },
      {
        method: 'POST',
        path: '/knowledge/suggestions/resolve',
        action: 'knowledge:manage',
        body: {},
        allowedStatus: 400,
      },
      // Channel settings (credentials are the client admin's)
      { method: 'GET', path: '/channels', action: 'client:read', allowedStatus: 200 },
      { method: 'PUT', path: '/channels/whatsapp', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'PATCH', path: '/channels/whatsapp', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'PATCH', path: '/channels/twilio', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'PATCH', path: '/channels/telephony', action: 'client:update', body: {}, allowedStatus: 400 },
      {
        method: 'PATCH',
        path: '/channels/email',
        action: 'client:update',
        body: { alertRecipients: 'nope' },
        allowedStatus: 400,
      },
      { method: 'PUT', path: '/channels/twilio', action: 'client:update', body: {}, allowedStatus: 400 },
      { method: 'PUT', path: '/channels/telephony', action: 'client:update', body: {}, allowedStatus: 400 },
      {
        method: 'PUT',
        path: '/channels/email',
        action: 'client:update',
        body: { alertRecipients: 'nope' },
        allowedStatus: 400,
      },
      { method: 'DELETE', path: '/channels/{channel}', action: 'client:update', allowedStatus: 404 },
      // AI usage, budgets and prompt experiments
      { method: 'GET', path: '/usage', action: 'analytics:read', allowedStatus: 200 },
      { method: 'GET', path: '/plan', action: 'client:read', allowedStatus: 200 },
      // Agencies (issue 18): the caller's own agency (client staff, API keys and super admins: 403) ...
      { method: 'GET', path: '/agency', action: 'agency:read', allowedStatus: 200 },
      { method: 'GET', path: '/agency/clients', action: 'agency:read', allowedStatus: 200 },
      { method: 'POST', path: '/agency/clients', action: 'agency:manage', body: {}, allowedStatus: 400 },
      { method: 'GET', path: '/agency/overview', action: 'agency:reports', allowedStatus: 200 },
      { method: 'GET', path: '/agency/overview.csv', action: 'agency:reports', allowedStatus: 200 },
      { method: 'GET', path: '/agency/users', action: 'agency:manage', allowedStatus: 200 },
      { method: 'GET', path: '/agency/audit', action: 'agency:manage', allowedStatus: 200 },
      {
        method: 'POST',
        path: '/agency/users/invitations',
        action: 'agency:manage',
        body: { email: 'nope' },
        allowedStatus: 400,
      },
      {
        method: 'PATCH',
        path: `/agency/users/${someAgencyUser.user.id}`,
        action: 'agency:manage',
        body: {},
        allowedStatus: 400,
      },
      // ... and every agency, for super admins
      { method: 'GET', path: '/admin/agencies', action: 'clients:manage', allowedStatus: 200 },
      { method: 'POST', path: '/admin/agencies', action: 'clients:manage', body: {}, allowedStatus: 400 },
      { method: 'GET', path: `/admin/agencies/${missing}`, action: 'clients:manage', allowedStatus: 404 },
      { method: 'PATCH', path: `/admin/agencies/${missing}`, action: 'clients:manage', body: {}, allowedStatus: 400 },
      { method: 'GET', path: `/admin/agencies/${missing}/users`, action: 'clients:manage', allowedStatus: 404 },
      {
        method: 'POST',
        path: `/admin/agencies/${missing}/invitations`,
        action: 'clients:manage',
        body: {},
        allowedStatus: 404,
      },
      { method: 'GET', path: '/experiments', action: 'analytics:read', allowedStatus: 200 },
      { method: 'POST', path: '/client/site-key/rotate', action: 'client:rotate_keys', allowedStatus: 200, last: true },
      { method: 'POST', path: '/client/api-key/rotate', action: 'client:rotate_keys', allowedStatus: 200, last: true },
    ];
  });
  afterAll(async () => {
    await t?.server.dispose();
  });

  it('covers every authenticated route of the OpenAPI document', async () => {
    const doc = (await t.api('/openapi.json')).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, { tags: string[] }>>)
      .flatMap(([path, ops]) => Object.entries(ops).map(([m, op]) => ({ m: m.toUpperCase(), path, tag: op.tags[0] })))
      // The agency's branding and brand domains: agency staff's own routes, no client's role × action
      // (test/white-label.test.ts covers them); the other agency routes are cases here.
      .filter((r) => !['auth', 'widget', 'meta'].includes(r.tag!))
      .filter((r) => !(r.tag === 'agency' && /^\/agency\/(branding|brand-domains)/.test(r.path)))
      .map((r) => `${r.m} ${r.path}`)
      .sort();
    const covered = [
      ...new Set(cases.map((c) => `${c.method} ${c.documented ?? c.path.replace(/[0-9a-f-]{36}/g, '{id}')}`)),
    ].sort();
    expect(covered).toEqual(documented);
  });

  // About 90 routes × 5 roles, one request after another: slow on a loaded machine.
  it('answers every cell: allowed roles get the route’s answer, the others 403 forbidden', async () => {
    const ordered = [...cases.filter((c) => !c.last), ...cases.filter((c) => c.last)];
    const cells: string[] = [];
    for (const c of ordered) {
      for (const role of COLUMNS) {
        const res = await t.api(c.path, {
          method: c.method,
          token: tokens.get(role),
          body: c.body,
          headers: role === 'super_admin' ? { 'x-client-id': a.client.id } : {},
        });
        // Client staff have no agency: the agency actions their role lists are still refused.
        const allowed = expected(role, c.action) && POLICY[c.action].scope !== 'agency';
        expect.soft(POLICY[c.action]).toBeDefined();
        expect
          .soft(res.status, `${role} ${c.method} ${c.path} (${c.action}): ${res.text}`)
          .toBe(allowed ? c.allowedStatus : 403);
        if (!allowed) expect.soft(res.body.error.code).toBe('forbidden');
        cells.push(`${role}:${c.action}`);
      }
    }
    expect(cells).toHaveLength(ordered.length * COLUMNS.length);
  }, 180_000);

  // Issue 18: agency staff select their agency's client and act in it with their role, like its own staff.
  it('answers every cell for agency staff acting for their own agency’s client', async () => {
    const ordered = [...cases.filter((c) => !c.last), ...cases.filter((c) => c.last)];
    let cells = 0;
    for (const c of ordered) {
      for (const role of AGENCY_ROLES) {
        const res = await t.api(c.path, {
          method: c.method,
          token: agencyTokens.get(role),
          body: c.body,
          headers: { 'x-client-id': a.client.id },
        });
        const allowed = expected(role, c.action);
        expect
          .soft(res.status, `agency ${role} ${c.method} ${c.path} (${c.action}): ${res.text}`)
          .toBe(allowed ? c.allowedStatus : 403);
        if (!allowed) expect.soft(res.body.error.code).toBe('forbidden');
        cells++;
      }
    }
    expect(cells).toBe(ordered.length * AGENCY_ROLES.length);
  }, 180_000);

  // The tenancy rule: another agency's client is "not found" on every route, and nothing of it changes.
  it('answers 404 on every route to another agency’s staff who name this client, and changes nothing', async () => {
    const em = () => t.server.db.orm.em.fork();
    const snapshot = async () =>
      JSON.stringify(
        await em()
          .getConnection()
          .execute(
            `select (select row_to_json(c) from clients c where id = ?) as client,
               (select json_agg(l order by id) from leads l where client_id = ?) as leads,
               (select count(*)::int from users where client_id = ?) as users,
               (select count(*)::int from audit_logs where client_id = ?) as audit`,
            [a.client.id, a.client.id, a.client.id, a.client.id],
          ),
      );
    const before = await snapshot();
    for (const c of cases) {
      const res = await t.api(c.path, {
        method: c.method,
        token: otherAgencyAdmin,
        body: c.body,
        headers: { 'x-client-id': a.client.id },
      });
      expect.soft(res.status, `agency B admin ${c.method} ${c.path}: ${res.text}`).toBe(404);
      expect.soft(res.body?.error?.message).toBe('client not found');
    }
    expect(await snapshot()).toBe(before);
  });

  it('lets the tenant API key act as the client admin, but not across clients', async () => {
    const b = await t.newClient('Matrix Hotel');
    for (const c of cases.filter((x) => !x.last)) {
      const res = await t.api(c.path.replace(a.client.id, b.client.id), {
        method: c.method,
        token: b.apiKey,
        body: c.body,
      });
      const allowed = can('admin', c.action) && POLICY[c.action].scope === 'tenant';
      const status = c.method === 'GET' && c.path.includes('/leads/') ? 404 : c.allowedStatus; // A's lead is invisible to B
      expect.soft(res.status, `api key ${c.method} ${c.path}: ${res.text}`).toBe(allowed ? status : 403);
    }
    const me = await t.api('/auth/me', { token: b.apiKey });
    expect(me.status).toBe(401);
  });
});
