import { type BusinessHours, type DigestSettings, WEEKDAYS } from '@leaddesk/shared';
import type { BrandingService } from '../../branding/branding-service.js';
import { DeliveryError } from '../../channels/channel-adapter.js';
import type { Mailer } from '../../channels/email/mailer.js';
import type { Orm } from '../../db/orm.js';
import { type Sql, sqlOf } from '../../db/sql.js';
import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import type { AutomationClock } from '../sequences/automation-clock.js';
import type { AutomationSettingsStore } from '../sequences/automation-settings.js';
import { localDate, nextLocalTime, weekdayOf } from '../sequences/local-time.js';
import {
  claimPeriod,
  expiredClaims,
  finishClaim,
  finishDelivery,
  MAX_DIGEST_CLAIMS,
  releaseClaim,
  renewClaim,
  startDelivery,
} from './digest-claims.js';
import { digestFigures } from './digest-figures.js';
import { renderDigest } from './render-digest.js';

export const DIGEST_QUEUE = 'digests';
export const DIGEST_JOB = 'digest.send';

export interface DigestJob {
  clientId: string;
  /** `daily:2026-12-04T08:00` or `weekly:2026-12-07T08:00`: the local slot, which names the period. */
  period: string;
  /** The slot's instant (automation time). */
  at: string;
}

export interface DigestServiceOptions {
  orm: Orm;
  jobs: Jobs;
  settings: AutomationSettingsStore;
  clock: AutomationClock;
  logger: Logger;
  mailer: Mailer | null;
  dashboardUrl: string;
  /** The client's brand (docs/white-label.md): sender, product name, support link, dashboard domain. */
  branding: BrandingService;
  /** How long a claim on a period lasts before another process may take it over (real ms). */
  leaseMs: number;
}

/**
 * The staff digest (issue 14): daily or weekly, per tenant, at a local time,
 * to the staff the tenant chose. Each slot is one job whose id is tenant +
 * period, so every process may schedule it and it is queued once; the
 * period is claimed with a lease before any email goes out and each
 * recipient recorded as sent (digest-claims.ts, which says why a crash
 * mid-send retries rather than drops), so a duplicate job or a second
 * process sends nothing, and a process killed mid-send is taken over once
 * its lease expires. After sending, the next slot is queued.
 */
export class DigestService {
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DigestServiceOptions) {}

  private get sql(): Sql {
    return sqlOf(this.options.orm);
  }

  async startWorkers(sweepMs: number): Promise<void> {
    if (!this.options.mailer) {
      this.options.logger.info('email is not configured: staff digests are skipped');
      return;
    }
    await this.options.jobs.work<DigestJob>(DIGEST_QUEUE, async (job) => {
      if (job.name === DIGEST_JOB) await this.send(job.data);
    });
    const tick = () => {
      this.sweepTimer = setTimeout(() => {
        Promise.all([this.scheduleAll(), this.retryExpired()])
          .catch((err: unknown) => this.options.logger.warn({ err }, 'digest scheduling failed'))
          .finally(() => {
            if (this.sweepTimer) tick();
          });
      }, sweepMs);
      this.sweepTimer.unref();
    };
    await Promise.all([this.scheduleAll(), this.retryExpired()]).catch((err: unknown) =>
      this.options.logger.warn({ err }, 'digest scheduling failed'),
    );
    tick();
  }

  close(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** Queues the next slot of every tenant with a digest (idempotent: the job id is tenant + period). */
  async scheduleAll(): Promise<void> {
    const rows = await this.sql.query<{ client_id: string }[]>(
      `select client_id from automation_settings where coalesce(settings->'digest'->>'frequency', 'off') <> 'off'`,
    );
    for (const r of rows) await this.scheduleNext(r.client_id);
  }

  /** Queues the tenant's next digest slot after `after` (now by default). */
  async scheduleNext(clientId: string, after = this.options.clock.now()): Promise<DigestJob | null> {
    const settings = (await this.options.settings.get(clientId)).digest;
    if (settings.frequency === 'off' || !this.options.mailer) return null;
    const tz = await this.timezone(clientId);
    const slot = nextLocalTime(
      tz,
      settings.time,
      after,
      settings.frequency === 'weekly' ? settings.weekday : undefined,
    );
    const job: DigestJob = { clientId, period: periodOf(settings, tz, slot), at: slot.toISOString() };
    await this.options.jobs.add(DIGEST_QUEUE, DIGEST_JOB, job, {
      jobId: `digest.${clientId}.${job.period.replace(/:/g, '_')}`,
      delayMs: this.options.clock.delayUntil(slot),
      attempts: 5,
    });
    return job;
  }

  private async timezone(clientId: string): Promise<string> {
    const rows = await this.sql.query<{ timezone: string }[]>('select timezone from clients where id = ?', [clientId]);
    return rows[0]?.timezone ?? 'UTC';
  }

  /** Sends one period's digest, once. */
  async send(job: DigestJob): Promise<'sent' | 'already' | 'busy' | 'stale' | 'no_recipients'> {
    const { mailer, clock } = this.options;
    if (!mailer) return 'stale';
    const settings = (await this.options.settings.get(job.clientId)).digest;
    const clients = await this.sql.query<
      { name: string; timezone: string; locale: string; config: { businessHours?: BusinessHours } }[]
    >('select name, timezone, locale, config from clients where id = ?', [job.clientId]);
    const client = clients[0];
    if (!client) return 'stale';
    const at = new Date(job.at);
    // The tenant changed the schedule since this slot was queued: the new slot is queued instead.
    if (settings.frequency === 'off' || periodOf(settings, client.timezone, at) !== job.period) {
      await this.scheduleNext(job.clientId);
      return 'stale';
    }
    const claim = await claimPeriod(this.sql, {
      clientId: job.clientId,
      period: job.period,
      slotAt: at,
      leaseMs: this.options.leaseMs,
    });
    // Sent or given up already, or another process holds the claim (a sweep retries it if that one dies).
    if (!claim.held) return claim.status === 'busy' ? 'busy' : 'already';
    const held = { clientId: job.clientId, period: job.period, attempt: claim.attempt };
    if (claim.attempt > MAX_DIGEST_CLAIMS) {
      this.options.logger.error(held, 'staff digest given up after repeated failed attempts');
      await finishClaim(this.sql, { ...held, status: 'failed', at: clock.now() });
      await this.scheduleNext(job.clientId, new Date(at.getTime() + 60_000));
      return 'already';
    }

    const recipients = settings.recipients.length
      ? await this.sql.query<{ id: string; email: string }[]>(
          `select id, email from users where client_id = ? and disabled_at is null
             and id in (${settings.recipients.map(() => '?').join(', ')}) order by id`,
          [job.clientId, ...settings.recipients],
        )
      : [];
    const from = new Date(at.getTime() - (settings.frequency === 'weekly' ? 7 : 1) * 86_400_000);
    const figures = await digestFigures(this.sql, {
      clientId: job.clientId,
      from,
      to: at,
      timezone: client.timezone,
      hours: client.config?.businessHours ?? emptyHours(),
    });
    const mail = renderDigest({
      business: client.name,
      locale: client.locale,
      frequency: settings.frequency === 'weekly' ? 'weekly' : 'daily',
      periodLabel:
        settings.frequency === 'weekly'
          ? `${localDate(client.timezone, from)} – ${localDate(client.timezone, new Date(at.getTime() - 1))}`
          : localDate(client.timezone, from),
      figures,
      dashboardUrl: (await this.dashboardUrlOf(job.clientId)) ?? this.options.dashboardUrl,
      brand: await this.options.branding.forClient(job.clientId),
    });
    // One email per recipient (nobody sees the others' addresses), each recorded on its own.
    for (const r of recipients) {
      const delivery = { clientId: job.clientId, period: job.period, userId: r.id };
      // Our lease was taken over (we were too slow): the new holder sends the rest.
      if (!(await renewClaim(this.sql, { ...held, leaseMs: this.options.leaseMs }))) return 'busy';
      if (!(await startDelivery(this.sql, { ...delivery, email: r.email }))) continue;
      try {
        const sent = await mailer.send({ to: [r.email], ...mail, messageId: digestMessageId(job, r.id) });
        await finishDelivery(this.sql, { ...delivery, messageId: sent.messageId });
      } catch (err) {
        if (err instanceof DeliveryError && err.permanent) {
          // This mailbox refuses it (unknown address, policy): the others still get theirs.
          this.options.logger.warn({ ...delivery, err }, 'staff digest refused for a recipient');
          await finishDelivery(this.sql, { ...delivery, messageId: null, error: err.message });
          continue;
        }
        // Worth another try (the job's retries): the recipients sent so far are not sent again.
        await releaseClaim(this.sql, held);
        throw err;
      }
    }
    await finishClaim(this.sql, { ...held, status: 'sent', at: clock.now(), figures });
    await this.scheduleNext(job.clientId, new Date(at.getTime() + 60_000));
    return recipients.length ? 'sent' : 'no_recipients';
  }

  private async dashboardUrlOf(clientId: string): Promise<string | null> {
    const origin = await this.options.branding.linkOrigin({ clientId, agencyId: null });
    return origin ? `${origin}/dashboard` : null;
  }

  /**
   * Periods whose claim expired unfinished (the process sending them died): queued again, once per claim
   * (the job id names the attempt, so every process's sweep queues it once).
   */
  async retryExpired(): Promise<number> {
    const expired = await expiredClaims(this.sql);
    for (const e of expired) {
      await this.options.jobs.add(
        DIGEST_QUEUE,
        DIGEST_JOB,
        { clientId: e.clientId, period: e.period, at: e.slotAt.toISOString() } satisfies DigestJob,
        { jobId: `digest.${e.clientId}.${e.period.replace(/:/g, '_')}.retry${e.attempts}`, delayMs: 0, attempts: 5 },
      );
    }
    return expired.length;
  }
}

/** The same Message-ID on every attempt for one recipient and period. */
function digestMessageId(job: DigestJob, userId: string): string {
  return `<digest.${job.period.replace(/[^A-Za-z0-9.-]/g, '.')}.${job.clientId}.${userId}@digests.invalid>`;
}

function periodOf(settings: DigestSettings, timezone: string, slot: Date): string {
  const local = `${localDate(timezone, slot)}T${settings.time}`;
  if (settings.frequency === 'weekly' && weekdayOf(timezone, slot) !== settings.weekday) return `weekly:mismatch`;
  return `${settings.frequency}:${local}`;
}

function emptyHours(): BusinessHours {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as BusinessHours;
}
