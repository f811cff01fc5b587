import type { RuleDto, StaffConversationDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthTestServer, type MailCatcher, startAuthServer, startMailCatcher, testClock } from './auth/support.js';
import { type AutomationTenant, createAutomationTenant } from './support/automation-tenant.js';
import { waitFor } from './support/fake-providers.js';
import { connectStaff, type StaffClient } from './support/staff-client.js';
import { connectVisitor, type Visitor } from './support/widget-client.js';

/**
 * Automation rules end to end on a real server and PostgreSQL: rules built
 * over REST, triggered by real visitors on the widget socket, staff on the
 * staff socket and REST calls, and the firing log read back over REST. The
 * clock stands on a Tuesday at 10:00 in Berlin (in hours); one automation
 * minute lasts 200 ms.
 */
const TUESDAY_10_BERLIN = Date.parse('2026-03-24T09:00:00Z');

describe('automation rules', () => {
  let t: AuthTestServer;
  let mail: MailCatcher;
  let dental: AutomationTenant;
  let other: AutomationTenant;
  const open: Array<StaffClient | Visitor> = [];
  const clock = testClock(TUESDAY_10_BERLIN);
  const rows = <T>(sql: string, params: unknown[] = []) => t.server.db.orm.em.getConnection().execute<T[]>(sql, params);

  const visitor = async (siteKey: string) => {
    const v = connectVisitor(t.server.url, { siteKey, origin: 'https://site.example' });
    open.push(v);
    await v.waitFor('session:ready');
    return v;
  };
  /** A visitor who identified (so the conversation has a lead) and wrote `text`. */
  const lead = async (tenant: AutomationTenant, text: string, email: string) => {
    const v = await visitor(tenant.siteKey);
    const identified = await v.socket
      .timeout(10_000)
      .emitWithAck('visitor:identify', { email, name: email.split('@')[0] });
    if (!identified.ok) throw new Error(identified.error.message);
    const ack = await v.send(text);
    if (!ack.ok) throw new Error(ack.error.message);
    return { v, conversationId: ack.data.message.conversationId, leadId: identified.data.leadId };
  };
  const staff = async (token: string) => {
    const s = connectStaff(t.server.url, { token });
    open.push(s);
    await s.waitFor('connect');
    return s;
  };

  beforeAll(async () => {
    mail = await startMailCatcher();
    t = await startAuthServer({
      db: 'postgres',
      clock,
      env: { STRUCTURED_CHUNK_DELAY_MS: '0', AUTOMATION_MINUTE_MS: '200', SMTP_URL: mail.url },
    });
    dental = await createAutomationTenant(t, 'Smile Rules Dental');
    other = await createAutomationTenant(t, 'Other Tenant Dental');
  }, 120_000);

  afterAll(async () => {
    for (const s of open) s.close();
    await t?.server.dispose();
    await mail?.close();
  });

  it('ships the industry template rules once per tenant, even when asked concurrently', async () => {
    const lists = await Promise.all([1, 2, 3].map(() => t.api('/automation/rules', { token: dental.admin.token })));
    for (const l of lists) expect(l.status).toBe(200);
    const rules = (await t.api('/automation/rules', { token: dental.admin.token })).body.data as RuleDto[];
    expect(rules.map((r) => r.name).sort()).toEqual([
      'Hot lead: notify the manager',
      'No staff reply in 5 minutes: escalate',
      'Urgent: alert staff',
    ]);
    expect(rules.every((r) => r.source === 'template' && r.enabled)).toBe(true);
    expect(rules.find((r) => r.trigger.kind === 'score_crossed')?.trigger).toEqual({
      kind: 'score_crossed',
      above: 80,
    });
  });

  it('keeps rules to their tenant and refuses bad rules with a 400 that changes nothing', async () => {
    const mine = await dental.createRule({
      name: 'Tag pricing questions',
      trigger: { kind: 'intent_detected', intents: ['pricing'] },
      actions: [{ type: 'add_tag', tag: 'pricing' }],
    });
    const theirs = other.admin.token;
    expect((await t.api(`/automation/rules/${mine.id}`, { token: theirs })).status).toBe(404);
    expect(
      (await t.api(`/automation/rules/${mine.id}`, { token: theirs, method: 'PATCH', body: { enabled: false } }))
        .status,
    ).toBe(404);
    expect((await t.api(`/automation/rules/${mine.id}`, { token: theirs, method: 'DELETE' })).status).toBe(404);
    const theirList = (await t.api('/automation/rules', { token: theirs })).body.data as RuleDto[];
    expect(theirList.some((r) => r.id === mine.id)).toBe(false);
    expect((await t.api(`/automation/firings?ruleId=${mine.id}`, { token: theirs })).body.data).toEqual([]);
    // An agent reads but cannot change rules.
    expect((await t.api('/automation/rules', { token: dental.agent.token })).status).toBe(200);
    expect(
      (
        await t.api('/automation/rules', {
          token: dental.agent.token,
          body: { name: 'x', trigger: { kind: 'message_after_hours' }, actions: [{ type: 'add_tag', tag: 'x' }] },
        })
      ).status,
    ).toBe(403);

    const bad = await t.api('/automation/rules', {
      token: dental.admin.token,
      body: {
        name: 'SMS without a number',
        trigger: { kind: 'keyword', keywords: ['x'] },
        actions: [{ type: 'notify_staff', via: ['sms'] }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('on-call number');
    const badPatch = await t.api(`/automation/rules/${mine.id}`, {
      token: dental.admin.token,
      method: 'PATCH',
      body: { trigger: { kind: 'score_crossed', above: 500 } },
    });
    expect(badPatch.status).toBe(400);
    const after = await t.api(`/automation/rules/${mine.id}`, { token: dental.admin.token });
    expect(after.body.trigger).toEqual({ kind: 'intent_detected', intents: ['pricing'] });
    // A merge patch changes only what it names.
    const renamed = await t.api(`/automation/rules/${mine.id}`, {
      token: dental.admin.token,
      method: 'PATCH',
      body: { name: 'Tag price questions' },
    });
    expect(renamed.body).toMatchObject({ name: 'Tag price questions', actions: [{ type: 'add_tag', tag: 'pricing' }] });
  });

  it('"urgent" in any language alerts staff on their desktop, once per message', async () => {
    const agent = await staff(dental.agent.token);
    const { conversationId } = await lead(dental, 'Es URGENTE, me duele mucho la muela', 'urgente@example.com');
    const note = await agent.waitFor<{ ruleName: string; conversationId: string; text: string }>(
      'automation:notified',
      (p) => p.conversationId === conversationId,
    );
    expect(note.ruleName).toBe('Urgent: alert staff');
    const rules = (await t.api('/automation/rules', { token: dental.admin.token })).body.data as RuleDto[];
    const urgent = rules.find((r) => r.name === 'Urgent: alert staff') as RuleDto;
    const firings = (await dental.waitForFirings(urgent.id)).filter((f) => f.conversationId === conversationId);
    expect(firings).toHaveLength(1);
    expect(firings[0]).toMatchObject({ trigger: 'keyword', hoursMode: 'in_hours' });
    expect(firings[0]?.actions[0]).toMatchObject({ type: 'notify_staff', outcome: 'done' });
  });

  it('fires on intent and urgency read from the message, with conditions on language and channel', async () => {
    const cancel = await dental.createRule({
      name: 'Cancellations in Spanish on the web',
      trigger: { kind: 'intent_detected', intents: ['cancellation'] },
      conditions: { languages: ['es'], channels: ['web'] },
      actions: [
        { type: 'add_tag', tag: 'cancels' },
        { type: 'set_status', status: 'handed_off' },
      ],
    });
    const pain = await dental.createRule({
      name: 'Emergencies escalate',
      trigger: { kind: 'urgency_detected', levels: ['high'] },
      actions: [{ type: 'escalate', priority: 'urgent' }],
    });
    const es = await lead(dental, 'Quiero cancelar mi cita del jueves', 'cancela@example.com');
    const en = await lead(dental, 'I want to cancel my appointment on Thursday', 'cancel-en@example.com');
    const hurt = await lead(dental, 'I have terrible pain and my face is swelling', 'pain@example.com');
    const [fired] = await dental.waitForFirings(cancel.id);
    expect(fired).toMatchObject({ leadId: es.leadId, trigger: 'intent_detected' });
    expect(fired?.actions.map((a) => a.outcome)).toEqual(['done', 'done']);
    const tags = await rows<{ tag: string }>('select tag from lead_tags where lead_id = ? and client_id = ?', [
      es.leadId,
      dental.clientId,
    ]);
    expect(tags.map((r) => r.tag)).toEqual(['cancels']);
    const status = await rows<{ status: string }>('select status from leads where id = ?', [es.leadId]);
    expect(status[0]?.status).toBe('handed_off');
    // The English cancellation did not meet the language condition.
    expect((await dental.firings(cancel.id)).some((f) => f.leadId === en.leadId)).toBe(false);

    // Urgency is also read from how soon a date is ("on Thursday"): the pain message is one of the firings.
    const urgent = await waitFor(async () =>
      (await dental.firings(pain.id)).find((f) => f.conversationId === hurt.conversationId && f.actions.length),
    );
    expect(urgent).toMatchObject({ trigger: 'urgency_detected', hoursMode: 'in_hours' });
    // The structured reply may have escalated the emergency first: one pending escalation per reason either way.
    expect(urgent?.actions[0]?.type).toBe('escalate');
    expect(['done', 'skipped']).toContain(urgent?.actions[0]?.outcome);
    const escalations = await rows<{ reason: string }>('select reason from escalations where conversation_id = ?', [
      hurt.conversationId,
    ]);
    expect(escalations).toEqual([{ reason: 'urgent' }]);
  });

  it('answers on the lead channel and assigns round robin to the staff online', async () => {
    const rule = await dental.createRule({
      name: 'French visitors get a welcome and a person',
      trigger: { kind: 'channel_message', channels: ['web'] },
      conditions: { languages: ['fr'] },
      actions: [
        { type: 'send_message', text: 'Bienvenue ! Une personne de notre équipe arrive.' },
        { type: 'assign', strategy: 'round_robin' },
      ],
    });
    await staff(dental.agent.token);
    const { v, conversationId } = await lead(dental, 'Bonjour, je voudrais un rendez-vous', 'fr@example.com');
    await v.waitFor<{ message: { content: string } }>(
      'message:created',
      (p) => p.message.content === 'Bienvenue ! Une personne de notre équipe arrive.',
    );
    const [fired] = await dental.waitForFirings(rule.id);
    expect(fired?.actions[1]).toMatchObject({ type: 'assign', outcome: 'done' });
    const assigned = await rows<{ assignee_id: string }>('select assignee_id from conversations where id = ?', [
      conversationId,
    ]);
    expect(assigned[0]?.assignee_id).toBe(dental.agent.userId);
  });

  it('notifies the manager by email when a score crosses 80, once per lead', async () => {
    const manager = await t.createStaff({
      client: { id: dental.clientId } as never,
      role: 'manager',
      email: 'manager@smile.example',
      name: 'Mia Manager',
    });
    const hot = await dental.createRule({
      name: 'Hot lead: email the manager',
      trigger: { kind: 'score_crossed', above: 80 },
      actions: [{ type: 'notify_staff', via: ['email'], to: 'managers' }],
    });
    const { leadId, conversationId } = await lead(dental, 'Hello', 'hot@example.com');
    await waitFor(
      async () =>
        (await rows('select 1 from messages where conversation_id = ? and role = ?', [conversationId, 'ai'])).length >
        0,
    );
    const core = t.server.app.conversation.core;
    await core.updateLead(dental.clientId, leadId, { score: 79 });
    await core.updateLead(dental.clientId, leadId, { score: 85 });
    await core.updateLead(dental.clientId, leadId, { score: 90 });
    const got = await mail.waitFor(
      (m) => m.to.includes(manager.email) && m.subject.includes('Hot lead: email the manager'),
    );
    expect(got.text).toContain('hot');
    await dental.waitForFirings(hot.id);
    await new Promise((r) => setTimeout(r, 300));
    expect((await dental.firings(hot.id)).filter((f) => f.leadId === leadId)).toHaveLength(1);
    expect(
      mail.messages.filter((m) => m.to.includes(manager.email) && m.subject.includes('Hot lead: email the manager')),
    ).toHaveLength(1);
  });

  it('fires on a status change made over REST and on a booking change event', async () => {
    const contacted = await dental.createRule({
      name: 'Qualifying leads get a tag',
      trigger: { kind: 'status_changed', to: ['qualifying'] },
      actions: [{ type: 'add_tag', tag: 'in-play' }],
    });
    const cancelled = await dental.createRule({
      name: 'Cancelled bookings go to nurturing',
      trigger: { kind: 'booking_changed', changes: ['cancelled'] },
      actions: [{ type: 'add_tag', tag: 'booking-cancelled' }],
    });
    const { leadId, conversationId } = await lead(dental, 'Hi there', 'status@example.com');
    const patched = await t.api(`/leads/${leadId}/status`, {
      token: dental.agent.token,
      method: 'PATCH',
      body: { status: 'qualifying' },
    });
    expect(patched.status).toBe(200);
    const [byStatus] = await dental.waitForFirings(contacted.id);
    expect(byStatus).toMatchObject({ leadId, trigger: 'status_changed' });

    // Nothing emits booking.changed yet (the booking integration will): emitted as it will be.
    const booking = {
      clientId: dental.clientId,
      leadId,
      conversationId,
      bookingId: 'cal-123',
      change: 'cancelled' as const,
      startsAt: '2026-03-26T09:00:00.000Z',
      endsAt: null,
      service: 'Check-up',
      by: 'lead' as const,
    };
    t.server.app.conversation.core.events.emit('booking.changed', booking);
    t.server.app.conversation.core.events.emit('booking.changed', booking);
    t.server.app.conversation.core.events.emit('booking.changed', { ...booking, change: 'created' });
    const [byBooking] = await dental.waitForFirings(cancelled.id);
    expect(byBooking).toMatchObject({ leadId, trigger: 'booking_changed' });
    await new Promise((r) => setTimeout(r, 300));
    expect(await dental.firings(cancelled.id)).toHaveLength(1);
    const tags = await rows<{ tag: string }>('select tag from lead_tags where lead_id = ? order by tag', [leadId]);
    expect(tags.map((r) => r.tag)).toEqual(['booking-cancelled', 'in-play']);
  });

  it('starts and stops a named follow-up sequence from a rule', async () => {
    const settings = await t.api('/automation/follow-ups', {
      token: dental.admin.token,
      method: 'PATCH',
      body: {
        followUps: {
          sequences: { nurture: { steps: [{ delayMinutes: 600, text: { en: 'Still thinking it over?' } }] } },
        },
      },
    });
    expect(settings.status).toBe(200);
    const starts = await dental.createRule({
      name: 'Qualified leads get the nurture sequence',
      trigger: { kind: 'status_changed', to: ['qualified'] },
      actions: [{ type: 'start_sequence', key: 'nurture' }],
    });
    const stops = await dental.createRule({
      name: 'Nurtured leads leave the sequence',
      trigger: { kind: 'status_changed', to: ['nurturing'] },
      actions: [{ type: 'stop_sequence', reason: 'rule' }],
    });
    const { leadId, conversationId } = await lead(dental, 'Hello, a question about whitening', 'nurture@example.com');
    const state = async () =>
      (await t.api(`/conversations/${conversationId}/follow-ups`, { token: dental.admin.token })).body as {
        run: { key: string; status: string; stoppedReason: string | null } | null;
      };
    for (const status of ['qualifying', 'qualified']) {
      const res = await t.api(`/leads/${leadId}/status`, {
        token: dental.agent.token,
        method: 'PATCH',
        body: { status },
      });
      expect(res.status).toBe(200);
    }
    const [started] = await dental.waitForFirings(starts.id);
    expect(started?.actions[0]).toMatchObject({ type: 'start_sequence', outcome: 'done' });
    await waitFor(async () => (await state()).run?.key === 'nurture' || undefined);
    expect((await state()).run).toMatchObject({ key: 'nurture', status: 'active' });

    const nurturing = await t.api(`/leads/${leadId}/status`, {
      token: dental.agent.token,
      method: 'PATCH',
      body: { status: 'nurturing' },
    });
    expect(nurturing.status).toBe(200);
    await dental.waitForFirings(stops.id);
    await waitFor(async () => (await state()).run?.status === 'stopped' || undefined);
    expect((await state()).run).toMatchObject({ key: 'nurture', status: 'stopped', stoppedReason: 'rule' });
  });

  it('escalates when no staff replies within 5 minutes of a takeover, and not when someone did', async () => {
    const rules = (await t.api('/automation/rules', { token: dental.admin.token })).body.data as RuleDto[];
    const noReply = rules.find((r) => r.trigger.kind === 'no_staff_reply') as RuleDto;
    const agent = await staff(dental.agent.token);
    const quiet = await lead(dental, 'Hello, anyone?', 'quiet@example.com');
    const answered = await lead(dental, 'Hello, can I talk to someone?', 'answered@example.com');
    for (const c of [quiet, answered]) {
      await c.v.waitFor('reply:ended');
      const took = await agent.call<{ ok: boolean; data: { conversation: StaffConversationDto } }>(
        'conversation:takeover',
        {
          conversationId: c.conversationId,
        },
      );
      expect(took.ok).toBe(true);
    }
    const sent = await agent.call('message:send', {
      conversationId: answered.conversationId,
      clientMessageId: `cm_${Date.now()}`,
      content: 'Hi, this is the team!',
    });
    expect(sent.ok).toBe(true);
    // 5 minutes of 200 ms.
    const fired = await waitFor(async () => {
      const list = (await dental.firings(noReply.id)).filter(
        (f) => f.conversationId === quiet.conversationId && f.actions.length,
      );
      return list.length ? list : undefined;
    }, 20_000);
    expect(fired[0]?.actions[0]).toMatchObject({ type: 'escalate', outcome: 'done' });
    const escalation = await rows<{ reason: string; priority: string }>(
      'select reason, priority from escalations where conversation_id = ?',
      [quiet.conversationId],
    );
    expect(escalation).toEqual([{ reason: 'no_staff_reply', priority: 'urgent' }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await dental.firings(noReply.id)).some((f) => f.conversationId === answered.conversationId)).toBe(false);
  });

  it('tags a lead who stays silent for the rule hours, and not one who wrote again', async () => {
    const silent = await dental.createRule({
      name: 'Silent for 3 minutes',
      trigger: { kind: 'lead_silent', hours: 0.05 },
      actions: [{ type: 'add_tag', tag: 'went-quiet' }],
    });
    const gone = await lead(dental, 'How much is whitening?', 'gone@example.com');
    const back = await lead(dental, 'How much is a check-up?', 'back@example.com');
    await back.v.waitFor('reply:ended');
    await back.v.send('And do you open on Saturdays?');
    const fired = await waitFor(async () => {
      const list = (await dental.firings(silent.id)).filter((f) => f.actions.length);
      return list.length >= 2 ? list : undefined;
    }, 20_000);
    // The lead who wrote again fired only for their last message, the other for their only one.
    const byLead = new Map<string | null, number>();
    for (const f of fired) byLead.set(f.leadId, (byLead.get(f.leadId) ?? 0) + 1);
    expect(byLead.get(gone.leadId)).toBe(1);
    expect(byLead.get(back.leadId)).toBe(1);
  });

  it('fires a rule on a message after hours only', async () => {
    const night = await dental.createRule({
      name: 'After-hours message',
      trigger: { kind: 'message_after_hours' },
      actions: [{ type: 'add_tag', tag: 'after-hours' }],
    });
    // The day message also says "urgent": once its firing is logged, its rules were read at the day's clock.
    const urgentRule = ((await t.api('/automation/rules', { token: dental.admin.token })).body.data as RuleDto[]).find(
      (r) => r.name === 'Urgent: alert staff',
    ) as RuleDto;
    const day = await lead(dental, 'Hello during the day, it is urgent', 'day@example.com');
    await waitFor(async () => (await dental.firings(urgentRule.id)).some((f) => f.leadId === day.leadId));
    clock.set(Date.parse('2026-03-24T20:30:00Z')); // 21:30 in Berlin
    // Read from the table: the access tokens, issued in the morning, have expired by the clock's night.
    const firings = () =>
      rows<{ lead_id: string; hours_mode: string }>(
        'select lead_id, hours_mode from automation_rule_firings where rule_id = ? and client_id = ?',
        [night.id, dental.clientId],
      );
    try {
      const nightLead = await lead(dental, 'Hello at night', 'night@example.com');
      const fired = await waitFor(async () => ((await firings()).length ? firings() : undefined));
      expect(fired).toEqual([{ lead_id: nightLead.leadId, hours_mode: 'after_hours' }]);
      await new Promise((r) => setTimeout(r, 300));
      expect(await firings()).toHaveLength(1);
    } finally {
      clock.set(TUESDAY_10_BERLIN);
    }
  });
});
