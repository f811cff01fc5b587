import { type BusinessHours, type DigestSettings, WEEKDAYS } from '@leaddesk/shared';
import type { Mailer } from '../../channels/email/mailer.js';
import type { Orm } from '../../db/orm.js';
import { type Sql, sqlOf } from '../../db/sql.js';
import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import type { AutomationClock } from '../sequences/automation-clock.js';
import type { AutomationSettingsStore } from '../sequences/automation-settings.js';
import { localDate, nextLocalTime, weekdayOf } from '../sequences/local-time.js';
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
}

/**
 * The staff digest (issue 14): daily or weekly, per tenant, at a local time,
 * to the staff the tenant chose. Each slot is one job whose id is tenant +
 * period, so every process may schedule it and it is queued once; the
 * `digest_sends` row (tenant, period) is claimed before the email goes out, so
 * a duplicate job sends nothing. After sending, the next slot is queued.
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
        this.scheduleAll()
          .catch((err: unknown) => this.options.logger.warn({ err }, 'digest scheduling failed'))
          .finally(() => {
            if (this.sweepTimer) tick();
          });
      }, sweepMs);
      this.sweepTimer.unref();
    };
    await this.scheduleAll().catch((err: unknown) => this.options.logger.warn({ err }, 'digest scheduling failed'));
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
  async send(job: DigestJob): Promise<'sent' | 'already' | 'stale' | 'no_recipients'> {
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
    const claimed = await this.sql.query<{ status: string }[]>(
      `insert into digest_sends (client_id, period) values (?, ?)
       on conflict (client_id, period) do update set status = digest_sends.status returning status`,
      [job.clientId, job.period],
    );
    if (claimed[0]?.status === 'sent') return 'already';

    const recipients = settings.recipients.length
      ? await this.sql.query<{ email: string }[]>(
          `select email from users where client_id = ? and disabled_at is null
             and id in (${settings.recipients.map(() => '?').join(', ')})`,
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
    if (recipients.length) {
      const mail = renderDigest({
        business: client.name,
        locale: client.locale,
        frequency: settings.frequency === 'weekly' ? 'weekly' : 'daily',
        periodLabel:
          settings.frequency === 'weekly'
            ? `${localDate(client.timezone, from)} – ${localDate(client.timezone, new Date(at.getTime() - 1))}`
            : localDate(client.timezone, from),
        figures,
        dashboardUrl: this.options.dashboardUrl,
      });
      await mailer.send({ to: recipients.map((r) => r.email), ...mail });
    }
    await this.sql.query(
      `update digest_sends set status = 'sent', sent_at = ?, figures = ?::jsonb where client_id = ? and period = ?`,
      [clock.now(), JSON.stringify(figures), job.clientId, job.period],
    );
    await this.scheduleNext(job.clientId, new Date(at.getTime() + 60_000));
    return recipients.length ? 'sent' : 'no_recipients';
  }
}

function periodOf(settings: DigestSettings, timezone: string, slot: Date): string {
  const local = `${localDate(timezone, slot)}T${settings.time}`;
  if (settings.frequency === 'weekly' && weekdayOf(timezone, slot) !== settings.weekday) return `weekly:mismatch`;
  return `${settings.frequency}:${local}`;
}

function emptyHours(): BusinessHours {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, []])) as unknown as BusinessHours;
}
