import type { CallbackTaskDto, LeadDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallbackTask } from '../src/automation/business-hours/callback-tasks.js';
import { Client } from '../src/db/entities/index.js';
import { sqlOf } from '../src/db/sql.js';
import { findOrCreateLead } from '../src/leads/find-or-create-lead.js';
import { type AuthTestServer, startAuthServer, testClock } from './auth/support.js';
import { type AutomationTenant, createAutomationTenant } from './support/automation-tenant.js';
import { connectVisitor, type Visitor } from './support/widget-client.js';

/**
 * Lead tags and call-back tasks over HTTP on a real server and PostgreSQL: a
 * rule tags a lead a visitor created on the widget, staff see, add, remove
 * and filter by tags; a call-back task promised after hours is marked done
 * (who and when) and leaves the open list. Another tenant sees none of it.
 */
const TUESDAY_10_BERLIN = Date.parse('2026-03-24T09:00:00Z');

describe('lead tags and call-back tasks', () => {
  let t: AuthTestServer;
  let dental: AutomationTenant;
  let other: AutomationTenant;
  let taggedLeadId: string;
  let plainLeadId: string;
  let conversationId: string;
  const open: Visitor[] = [];
  const clock = testClock(TUESDAY_10_BERLIN);
  const rows = <T>(sql: string, params: unknown[] = []) => t.server.db.orm.em.getConnection().execute<T[]>(sql, params);
  const tagsInDb = async (leadId: string) =>
    (await rows<{ tag: string }>('select tag from lead_tags where lead_id = ? order by tag', [leadId])).map(
      (r) => r.tag,
    );

  beforeAll(async () => {
    t = await startAuthServer({
      db: 'postgres',
      clock,
      env: { STRUCTURED_CHUNK_DELAY_MS: '0', AUTOMATION_MINUTE_MS: '200' },
    });
    dental = await createAutomationTenant(t, 'Tag Dental');
    other = await createAutomationTenant(t, 'Tag Other Dental');
    await dental.disableTemplateRules();
    const plain = await findOrCreateLead(t.server.db.orm.em.fork(), await clientOf(dental.clientId), 'web', {
      name: 'Plain',
      email: 'plain@example.com',
    });
    plainLeadId = plain.lead.id;
  }, 120_000);

  const clientOf = (id: string) => t.server.db.orm.em.fork().findOneOrFail(Client, { id });
  const viewer = async () => {
    const staff = await t.createStaff({ client: await clientOf(dental.clientId), role: 'viewer' });
    return { token: (await t.login(staff.email, staff.password)).accessToken };
  };

  afterAll(async () => {
    for (const v of open) v.close();
    await t?.server.dispose();
  });

  it('shows the tag a rule added on the lead and in the list, filters by it, and hides it from another tenant', async () => {
    const rule = await dental.createRule({
      name: 'Whitening interest',
      trigger: { kind: 'keyword', keywords: ['whitening'] },
      actions: [{ type: 'add_tag', tag: 'whitening' }],
    });
    const v = connectVisitor(t.server.url, { siteKey: dental.siteKey, origin: 'https://site.example' });
    open.push(v);
    await v.waitFor('session:ready');
    const identified = await v.socket.timeout(10_000).emitWithAck('visitor:identify', { email: 'wh@example.com' });
    if (!identified.ok) throw new Error(identified.error.message);
    const ack = await v.send('Do you do whitening?');
    if (!ack.ok) throw new Error(ack.error.message);
    taggedLeadId = identified.data.leadId;
    conversationId = ack.data.message.conversationId;
    await dental.waitForFirings(rule.id);

    const lead = await t.api(`/leads/${taggedLeadId}`, { token: dental.agent.token });
    expect(lead.status).toBe(200);
    expect((lead.body as LeadDto).tags).toEqual(['whitening']);
    const plain = await t.api(`/leads/${plainLeadId}`, { token: dental.agent.token });
    expect(plain.body.tags).toEqual([]);

    const all = (await t.api('/leads?pageSize=100', { token: dental.agent.token })).body.data as LeadDto[];
    expect(all.find((l) => l.id === taggedLeadId)?.tags).toEqual(['whitening']);
    expect(all.find((l) => l.id === plainLeadId)?.tags).toEqual([]);
    const filtered = await t.api('/leads?tag=whitening', { token: dental.agent.token });
    expect(filtered.body.total).toBe(1);
    expect((filtered.body.data as LeadDto[]).map((l) => l.id)).toEqual([taggedLeadId]);
    expect((await t.api('/leads?tag=nobody-has-this', { token: dental.agent.token })).body.total).toBe(0);

    // Another tenant: the lead is not found and its tag filters nothing in.
    expect((await t.api(`/leads/${taggedLeadId}`, { token: other.admin.token })).status).toBe(404);
    expect((await t.api('/leads?tag=whitening', { token: other.admin.token })).body.total).toBe(0);
  });

  it('lets staff add a tag (trimmed, idempotent) and remove it; bad input is 400 and changes nothing', async () => {
    const add = (tag: unknown, token = dental.agent.token, id = taggedLeadId) =>
      t.api(`/leads/${id}/tags`, { token, body: { tag } });
    const added = await add('  VIP  ');
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ tags: ['VIP', 'whitening'] });
    const again = await add('VIP');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ tags: ['VIP', 'whitening'] });
    expect(await tagsInDb(taggedLeadId)).toEqual(['VIP', 'whitening']);
    const spaced = await add('follow up');
    expect(spaced.body.tags).toContain('follow up');

    for (const [bad, message] of [
      ['   ', 'at least 1 character'],
      ['x'.repeat(41), 'at most 40 characters'],
      [42, 'tag'],
      [undefined, 'tag'],
    ] as const) {
      const res = await add(bad);
      expect(res.status, `tag ${JSON.stringify(bad)}`).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
    expect(await tagsInDb(taggedLeadId)).toEqual(['VIP', 'follow up', 'whitening'].sort());
    // The lead page shows what was added.
    expect((await t.api(`/leads/${taggedLeadId}`, { token: dental.agent.token })).body.tags).toEqual(
      await tagsInDb(taggedLeadId),
    );

    // Another tenant can neither add nor remove, and learns nothing.
    expect((await add('theirs', other.admin.token)).status).toBe(404);
    const theirDelete = await t.api(`/leads/${taggedLeadId}/tags/VIP`, { token: other.admin.token, method: 'DELETE' });
    expect(theirDelete.status).toBe(404);
    expect(await tagsInDb(taggedLeadId)).toContain('VIP');
    // A viewer may read but not tag.
    expect((await add('viewer', (await viewer()).token)).status).toBe(403);

    const removed = await t.api(`/leads/${taggedLeadId}/tags/VIP`, { token: dental.agent.token, method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(removed.body.tags).not.toContain('VIP');
    const removedSpaced = await t.api(`/leads/${taggedLeadId}/tags/${encodeURIComponent('follow up')}`, {
      token: dental.agent.token,
      method: 'DELETE',
    });
    expect(removedSpaced.body).toEqual({ tags: ['whitening'] });
    // Removing again changes nothing.
    const twice = await t.api(`/leads/${taggedLeadId}/tags/VIP`, { token: dental.agent.token, method: 'DELETE' });
    expect(twice.status).toBe(200);
    expect(twice.body).toEqual({ tags: ['whitening'] });
    expect(await tagsInDb(taggedLeadId)).toEqual(['whitening']);
    // The filter follows: the tag that was removed finds nobody now.
    expect((await t.api('/leads?tag=VIP', { token: dental.agent.token })).body.total).toBe(0);
  });

  it('marks a call-back task done once, recording who and when, and drops it from the open list', async () => {
    const sql = sqlOf(t.server.db.orm);
    const dueAt = '2026-03-25T08:00:00.000Z';
    expect(
      await createCallbackTask(sql, {
        clientId: dental.clientId,
        conversationId,
        leadId: taggedLeadId,
        mode: 'after_hours',
        dueAt,
      }),
    ).toBe(true);
    const list = async (token = dental.agent.token) =>
      (await t.api('/automation/callbacks', { token })).body.data as CallbackTaskDto[];
    const [task] = (await list()).filter((x) => x.conversationId === conversationId);
    expect(task).toMatchObject({ status: 'open', dueAt, doneAt: null, doneBy: null });
    const id = task?.id as string;

    // Another tenant: 404, and the task stays open.
    const theirs = await t.api(`/automation/callbacks/${id}/done`, { token: other.admin.token, body: {} });
    expect(theirs.status).toBe(404);
    expect((await list()).map((x) => x.id)).toContain(id);
    expect((await list(other.admin.token)).map((x) => x.id)).not.toContain(id);
    // A viewer may not complete it.
    expect((await t.api(`/automation/callbacks/${id}/done`, { token: (await viewer()).token, body: {} })).status).toBe(
      403,
    );

    clock.set(TUESDAY_10_BERLIN + 60_000);
    const done = await t.api(`/automation/callbacks/${id}/done`, { token: dental.agent.token, body: {} });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id,
      status: 'done',
      doneBy: dental.agent.userId,
      doneAt: new Date(TUESDAY_10_BERLIN + 60_000).toISOString(),
    });
    expect((await list()).map((x) => x.id)).not.toContain(id);

    // Again, by someone else later: nothing changes (the first completion stands).
    clock.set(TUESDAY_10_BERLIN + 120_000);
    const again = await t.api(`/automation/callbacks/${id}/done`, { token: dental.admin.token, body: {} });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(done.body);
    const stored = await rows<{ status: string; done_by: string; done_by_kind: string }>(
      'select status, done_by, done_by_kind from callback_tasks where id = ?',
      [id],
    );
    expect(stored).toEqual([{ status: 'done', done_by: dental.agent.userId, done_by_kind: 'user' }]);
    expect((await t.api('/automation/callbacks/not-a-uuid/done', { token: dental.agent.token, body: {} })).status).toBe(
      404,
    );
  });
});
