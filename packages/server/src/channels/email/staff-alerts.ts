import type { EffectiveBranding } from '@leaddesk/shared';
import type { BrandingService } from '../../branding/branding-service.js';
import type { DomainEventBus } from '../../conversation/domain-events.js';
import type { Orm } from '../../db/orm.js';
import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import { storedSettings } from '../settings/channel-settings.js';
import type { Mailer } from './mailer.js';
import { type RenderedEmail, renderEmail } from './templates.js';

export const EMAIL_QUEUE = 'email';
export const STAFF_ALERT_JOB = 'email.staff-alert';
export const DAILY_DIGEST_JOB = 'email.daily-digest';
/** Once a day: enqueues every active tenant's digest for the day before, then schedules itself again. */
export const DIGEST_SCHEDULE_JOB = 'email.schedule-digests';
/** Digests go out at this hour (UTC) for the previous UTC day. */
const DIGEST_HOUR_UTC = 7;

export type StaffAlert =
  | { kind: 'hot_lead'; clientId: string; leadId: string }
  | { kind: 'escalation'; clientId: string; escalationId: string }
  | { kind: 'appointment'; clientId: string; leadId: string }
  | { kind: 'digest'; clientId: string; day: string };

export interface StaffAlertsOptions {
  orm: Orm;
  jobs: Jobs;
  mailer: Mailer;
  logger: Logger;
  /** The client's brand (sender, product name, support link, dashboard domain). */
  branding: BrandingService;
  /** Links in emails point here (PUBLIC_URL) unless the client has a brand domain. */
  baseUrl: string;
  /** Recipients when a tenant has none and no admin or manager has an email. */
  fallbackRecipients: string[];
}

interface LeadRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  score: number;
  temperature: string;
  status: string;
  appointment_at: Date | string | null;
  qualification: Record<string, unknown> | null;
  conversation_id: string | null;
  last_message: string | null;
}

/**
 * Emails staff about what needs them: a lead that turned hot (with a one-click
 * link to the conversation), an escalation, a booked appointment, and a daily
 * digest. Domain events only enqueue (job ids make each alert go once); the
 * job reads the facts and sends, so a slow SMTP server never slows a reply.
 */
export class StaffAlerts {
  constructor(private readonly options: StaffAlertsOptions) {}

  listen(bus: DomainEventBus): () => void {
    const offs = [
      bus.on('lead.updated', async (e) => {
        if (e.becameHot)
          await this.enqueue({ kind: 'hot_lead', clientId: e.clientId, leadId: e.lead.id }, `hot-${e.lead.id}`);
        if (e.lead.status === 'appointment_booked' && e.lead.appointmentAt) {
          await this.enqueue(
            { kind: 'appointment', clientId: e.clientId, leadId: e.lead.id },
            `appointment-${e.lead.id}-${Date.parse(e.lead.appointmentAt)}`,
          );
        }
      }),
      bus.on('escalation.created', async (e) => {
        // A hot lead already gets its own alert (from lead.updated): one email per fact.
        if (e.reason === 'hot_lead') return;
        await this.enqueue(
          { kind: 'escalation', clientId: e.clientId, escalationId: e.escalationId },
          `escalation-${e.escalationId}`,
        );
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  async start(): Promise<void> {
    await this.options.jobs.work<StaffAlert | { day: string }>(EMAIL_QUEUE, async (job) => {
      if (job.name === DIGEST_SCHEDULE_JOB) await this.runDigests((job.data as { day: string }).day);
      else await this.send(job.data as StaffAlert);
    });
    await this.scheduleDigests(new Date());
  }

  /** Enqueues the next digest run (job id per day: restarts and several processes schedule it once). */
  async scheduleDigests(now: Date): Promise<void> {
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DIGEST_HOUR_UTC));
    if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
    const day = new Date(next.getTime() - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    await this.options.jobs.add(
      EMAIL_QUEUE,
      DIGEST_SCHEDULE_JOB,
      { day },
      {
        jobId: `digest-run-${day}`,
        delayMs: next.getTime() - now.getTime(),
      },
    );
  }

  private async runDigests(day: string): Promise<void> {
    const clients = await this.options.orm.em
      .getConnection()
      .execute<{ id: string }[]>(`select id from clients where status = 'active'`);
    for (const c of clients) await this.enqueue({ kind: 'digest', clientId: c.id, day }, `digest-${c.id}-${day}`);
    await this.scheduleDigests(new Date(Date.now() + 60_000));
  }

  enqueue(alert: StaffAlert, jobId: string): Promise<void> {
    return this.options.jobs.add(EMAIL_QUEUE, alert.kind === 'digest' ? DAILY_DIGEST_JOB : STAFF_ALERT_JOB, alert, {
      jobId,
      attempts: 5,
    });
  }

  /** Builds and sends one alert; returns what was sent (null when nobody is to receive it). */
  async send(alert: StaffAlert): Promise<{ to: string[]; email: RenderedEmail } | null> {
    const conn = this.options.orm.em.getConnection();
    const clients = await conn.execute<{ name: string; channel_settings: Record<string, unknown>; timezone: string }[]>(
      'select name, channel_settings, timezone from clients where id = ?',
      [alert.clientId],
    );
    const client = clients[0];
    if (!client) return null;
    const to = await this.recipients(alert.clientId, client.channel_settings);
    if (!to.length) {
      this.options.logger.info({ clientId: alert.clientId, kind: alert.kind }, 'staff alert skipped: no recipients');
      return null;
    }
    // In the client's brand (docs/white-label.md): its product name, sender and support link, and links to
    // its own dashboard domain when it has one.
    const brand = await this.options.branding.forClient(alert.clientId);
    const base =
      (await this.options.branding.linkOrigin({ clientId: alert.clientId, agencyId: null })) ?? this.options.baseUrl;
    const email = await this.render(alert, client, brand, base);
    if (!email) return null;
    await this.options.mailer.send({ to, ...email });
    return { to, email };
  }

  private async render(
    alert: StaffAlert,
    client: { name: string; timezone: string },
    brand: EffectiveBranding,
    base: string,
  ): Promise<RenderedEmail | null> {
    const businessName = client.name;
    if (alert.kind === 'digest') return this.renderDigest(alert, businessName, brand, base);
    if (alert.kind === 'escalation') {
      const rows = await this.options.orm.em.getConnection().execute<
        {
          reason: string;
          priority: string;
          detail: string;
          conversation_id: string;
          lead_name: string | null;
          phone: string | null;
          email: string | null;
        }[]
      >(
        `select e.reason, e.priority, e.detail, e.conversation_id, l.name as lead_name, l.phone, l.email
         from escalations e left join leads l on l.id = e.lead_id where e.id = ? and e.client_id = ?`,
        [alert.escalationId, alert.clientId],
      );
      const e = rows[0];
      if (!e) return null;
      const leadName = e.lead_name ?? e.email ?? e.phone ?? 'A visitor';
      return renderEmail('escalation', {
        subject: `Needs a person: ${leadName} (${e.reason.replace(/_/g, ' ')})`,
        title: 'A conversation needs you',
        businessName,
        brand,
        leadName,
        reason: e.reason.replace(/_/g, ' '),
        priority: e.priority,
        detail: e.detail,
        link: this.conversationLink(base, e.conversation_id),
        linkLabel: 'Open the conversation',
      });
    }
    const lead = await this.lead(alert.clientId, alert.leadId);
    if (!lead) return null;
    const leadName = lead.name ?? lead.email ?? lead.phone ?? 'A lead';
    const facts = leadFacts(lead);
    if (alert.kind === 'hot_lead') {
      return renderEmail('hot_lead', {
        subject: `Hot lead: ${leadName} (score ${lead.score})`,
        title: 'A hot lead is waiting',
        businessName,
        brand,
        leadName,
        score: lead.score,
        facts,
        lastMessage: lead.last_message,
        link: lead.conversation_id ? this.conversationLink(base, lead.conversation_id) : undefined,
        linkLabel: 'Open the conversation',
      });
    }
    const when = lead.appointment_at
      ? new Intl.DateTimeFormat('en', { dateStyle: 'full', timeStyle: 'short', timeZone: client.timezone }).format(
          new Date(lead.appointment_at),
        )
      : 'a time to be confirmed';
    return renderEmail('appointment', {
      subject: `Appointment booked: ${leadName}, ${when}`,
      title: 'Appointment confirmed',
      businessName,
      brand,
      leadName,
      when,
      facts,
      link: lead.conversation_id ? this.conversationLink(base, lead.conversation_id) : undefined,
      linkLabel: 'Open the conversation',
    });
  }

  private async renderDigest(
    alert: { clientId: string; day: string },
    businessName: string,
    brand: EffectiveBranding,
    base: string,
  ): Promise<RenderedEmail> {
    const conn = this.options.orm.em.getConnection();
    const from = new Date(`${alert.day}T00:00:00Z`);
    const to = new Date(from.getTime() + 24 * 60 * 60 * 1000);
    const stats = await conn.execute<
      { leads: string; conversations: string; messages: string; escalations: string; booked: string }[]
    >(
      `select
        (select count(*) from leads where client_id = ? and created_at >= ? and created_at < ?) as leads,
        (select count(*) from conversations where client_id = ? and created_at >= ? and created_at < ?) as conversations,
        (select count(*) from messages where client_id = ? and role = 'visitor' and created_at >= ? and created_at < ?) as messages,
        (select count(*) from escalations where client_id = ? and created_at >= ? and created_at < ?) as escalations,
        (select count(*) from leads where client_id = ? and status = 'appointment_booked' and updated_at >= ? and updated_at < ?) as booked`,
      [
        alert.clientId,
        from,
        to,
        alert.clientId,
        from,
        to,
        alert.clientId,
        from,
        to,
        alert.clientId,
        from,
        to,
        alert.clientId,
        from,
        to,
      ],
    );
    const hot = await conn.execute<
      { name: string | null; email: string | null; phone: string | null; score: number }[]
    >(
      `select name, email, phone, score from leads where client_id = ? and temperature = 'hot' and updated_at >= ? and updated_at < ?
       order by score desc limit 10`,
      [alert.clientId, from, to],
    );
    const s = stats[0];
    return renderEmail('digest', {
      subject: `${businessName}: your day in leads (${alert.day})`,
      title: `Daily digest for ${alert.day}`,
      businessName,
      brand,
      summary: `${s?.leads ?? 0} new leads, ${s?.messages ?? 0} messages from leads.`,
      rows: [
        { label: 'New leads', value: Number(s?.leads ?? 0) },
        { label: 'New conversations', value: Number(s?.conversations ?? 0) },
        { label: 'Messages from leads', value: Number(s?.messages ?? 0) },
        { label: 'Escalations', value: Number(s?.escalations ?? 0) },
        { label: 'Appointments booked', value: Number(s?.booked ?? 0) },
      ],
      hot: hot.map((h) => `${h.name ?? h.email ?? h.phone ?? 'Unnamed'} (score ${h.score})`),
      link: `${base}/dashboard/`,
      linkLabel: 'Open the inbox',
    });
  }

  private async lead(clientId: string, leadId: string): Promise<LeadRow | null> {
    const rows = await this.options.orm.em.getConnection().execute<LeadRow[]>(
      `select l.id, l.name, l.email, l.phone, l.score, l.temperature, l.status, l.appointment_at, l.qualification,
        (select c.id from conversations c where c.lead_id = l.id order by c.last_message_at desc nulls last limit 1) as conversation_id,
        (select m.content from messages m join conversations c on c.id = m.conversation_id
          where c.lead_id = l.id and m.role = 'visitor' order by m.created_at desc limit 1) as last_message
       from leads l where l.id = ? and l.client_id = ?`,
      [leadId, clientId],
    );
    return rows[0] ?? null;
  }

  /** The tenant's alert recipients, else its admins and managers, else STAFF_ALERT_EMAILS. */
  private async recipients(clientId: string, settings: Record<string, unknown>): Promise<string[]> {
    const own = storedSettings({ channelSettings: settings }).email?.alertRecipients ?? [];
    if (own.length) return own;
    const staff = await this.options.orm.em
      .getConnection()
      .execute<{ email: string }[]>(
        `select email from users where client_id = ? and role in ('admin', 'manager') order by created_at limit 10`,
        [clientId],
      );
    if (staff.length) return staff.map((s) => s.email);
    return this.options.fallbackRecipients;
  }

  private conversationLink(base: string, conversationId: string): string {
    return `${base}/dashboard/conversations/${encodeURIComponent(conversationId)}`;
  }
}

function leadFacts(lead: LeadRow): string[] {
  const facts: string[] = [];
  if (lead.phone) facts.push(`Phone: ${lead.phone}`);
  if (lead.email) facts.push(`Email: ${lead.email}`);
  const q = lead.qualification ?? {};
  const labels: Record<string, string> = {
    serviceInterest: 'Interested in',
    urgency: 'Urgency',
    budgetRange: 'Budget',
    location: 'Location',
    timeline: 'Timeline',
  };
  for (const [key, label] of Object.entries(labels)) {
    const v = q[key];
    if (typeof v === 'string' && v) facts.push(`${label}: ${v}`);
  }
  return facts;
}
