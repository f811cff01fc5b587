import { type ClientConfig, monthlyReportSettingsSchema } from '@leaddesk/shared';
import { addDays, localParts, scheduleOf, zonedToUtc } from '../../automation/business-hours/index.js';
import {
  claimPeriod,
  finishClaim,
  finishDelivery,
  MAX_DIGEST_CLAIMS,
  releaseClaim,
  renewClaim,
  startDelivery,
} from '../../automation/digests/digest-claims.js';
import type { BrandingService } from '../../branding/branding-service.js';
import { DeliveryError } from '../../channels/channel-adapter.js';
import type { Mailer } from '../../channels/email/mailer.js';
import type { Sql } from '../../db/sql.js';
import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import type { ReportService } from '../report-service.js';
import { reportTexts } from '../report-text/report-texts.js';
import type { ConversionModels } from '../scoring/conversion-model.js';
import { REPORTS_QUEUE } from '../scoring/nightly-refit.js';
import { scoringReport } from '../scoring/scoring-report.js';
import { type MonthlyFigures, renderMonthlyEmail } from './render-monthly-email.js';

export const MONTHLY_EMAIL_JOB = 'reports.monthly-email';

export interface MonthlyEmailJob {
  clientId: string;
  /** The month reported, YYYY-MM (in the tenant's zone). */
  month: string;
}

/** How long after the 1st a month's email may still go out (a process down over a weekend catches up). */
export const CATCH_UP_MS = 3 * 86_400_000;

export interface MonthlyReportEmailsOptions {
  sql: Sql;
  jobs: Jobs;
  mailer: Mailer | null;
  reports: ReportService;
  models: ConversionModels;
  logger: Logger;
  dashboardUrl: string;
  /** The client's brand (docs/white-label.md): sender, product name, support link, dashboard domain. */
  branding: BrandingService;
  /** How long a claim on a tenant's month lasts before another process may take it over (ms). */
  leaseMs: number;
  now?: () => Date;
}

interface ClientRow {
  id: string;
  name: string;
  timezone: string;
  locale: string;
  config: ClientConfig;
}

/** The claim's period key in `digest_sends` (the digest's claim table, shared: see docs/reports.md). */
export const periodKey = (month: string) => `monthly:${month}`;

/**
 * The month whose report is due at `now` for a tenant, or null: from the 1st
 * at `sendHour` local time for CATCH_UP_MS, the previous month.
 */
export function dueMonth(timezone: string, sendHour: number, now: Date): { month: string; dueAt: Date } | null {
  const today = localParts(timezone, now).date;
  const first = `${today.slice(0, 8)}01`;
  const dueAt = zonedToUtc(timezone, first, `${String(sendHour).padStart(2, '0')}:00`);
  if (now < dueAt || now.getTime() >= dueAt.getTime() + CATCH_UP_MS) return null;
  return { month: addDays(first, -1).slice(0, 7), dueAt };
}

/**
 * The monthly report email (issue 17): last month's headline numbers to the
 * staff the tenant chose, on the 1st after its send hour. A sweep (every
 * process that works jobs) queues one job per tenant and month (the job id
 * names both); the month is then claimed with a lease in the digest's claim
 * table and each recipient recorded as sent (digest-claims.ts says why a
 * crash mid-send retries rather than drops), so two processes, or a
 * duplicated job, send it once; a claim whose holder died is queued again
 * by the next sweep once its lease expired.
 */
export class MonthlyReportEmails {
  private readonly now: () => Date;

  constructor(private readonly options: MonthlyReportEmailsOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Queues the due month of every tenant with recipients; returns how many jobs were queued. */
  async sweep(): Promise<number> {
    if (!this.options.mailer) return 0;
    const clients = await this.options.sql.query<ClientRow[]>(
      `select id, name, timezone, locale, config from clients
       where jsonb_array_length(coalesce(config->'monthlyReport'->'recipients', '[]'::jsonb)) > 0 order by id`,
    );
    let queued = 0;
    for (const client of clients) {
      const settings = monthlyReportSettingsSchema.parse(client.config.monthlyReport ?? {});
      const due = dueMonth(scheduleOf(client).timezone, settings.sendHour, this.now());
      if (!due) continue;
      const [send] = await this.options.sql.query<Array<{ status: string; attempts: number; expired: boolean }>>(
        `select status, attempts, coalesce(lease_until < now(), true) as expired from digest_sends
         where client_id = ? and period = ?`,
        [client.id, periodKey(due.month)],
      );
      // Sent, given up, or being sent by a live holder: nothing to queue.
      if (send && (send.status !== 'sending' || !send.expired)) continue;
      const suffix = send ? `.retry${send.attempts}` : '';
      await this.options.jobs.add(
        REPORTS_QUEUE,
        MONTHLY_EMAIL_JOB,
        { clientId: client.id, month: due.month } satisfies MonthlyEmailJob,
        { jobId: `monthly-email.${client.id}.${due.month}${suffix}`, attempts: 5 },
      );
      queued++;
    }
    return queued;
  }

  /** The month's figures for one tenant (also what the email's test checks against). */
  async figures(client: ClientRow, month: string): Promise<MonthlyFigures> {
    const from = `${month}-01`;
    const to = addDays(`${addDays(from, 32).slice(0, 7)}-01`, -1);
    const report = await this.options.reports.report(client, { period: 'last_month', from, to });
    const scoring = await scoringReport(this.options.sql, this.options.models, this.options.reports, client, {
      from,
      to,
    });
    const first = report.responseTimes.metrics.find((m) => m.metric === 'first_response');
    const mr = report.missedRevenue;
    return {
      month,
      monthLabel: reportTexts(client.locale).month(month),
      currency: mr.currency,
      responseTime: {
        headline: report.responseTimes.headline,
        averageSeconds: report.responseTimes.averageSeconds,
        count: first?.all.count ?? 0,
        p90Seconds: first?.all.p90Seconds ?? null,
        targetSeconds: first?.targetSeconds ?? 60,
        meetsTarget: first?.meetsTarget ?? null,
      },
      afterHours: {
        inquiries: mr.afterHoursInquiries,
        qualified: mr.qualified,
        qualifiedValue: mr.qualifiedValue,
        won: mr.won,
        wonValue: mr.wonValue,
      },
      leads: scoring.summary,
      temperatureByWeek: scoring.temperatureByWeek,
      model: {
        source: scoring.model.source,
        trainingSize: scoring.model.trainingSize,
        auc: scoring.model.calibration?.auc ?? null,
        brier: scoring.model.calibration?.brier ?? null,
      },
    };
  }

  /** Sends one tenant's month, once. */
  async send(job: MonthlyEmailJob): Promise<'sent' | 'already' | 'busy' | 'stale' | 'no_recipients'> {
    const { mailer, sql, leaseMs } = this.options;
    if (!mailer) return 'stale';
    const [client] = await sql.query<ClientRow[]>(
      'select id, name, timezone, locale, config from clients where id = ?',
      [job.clientId],
    );
    if (!client) return 'stale';
    const settings = monthlyReportSettingsSchema.parse(client.config.monthlyReport ?? {});
    if (!settings.recipients.length) return 'stale';
    const period = periodKey(job.month);
    const nextFirst = `${addDays(`${job.month}-01`, 32).slice(0, 7)}-01`;
    const slotAt = zonedToUtc(
      scheduleOf(client).timezone,
      nextFirst,
      `${String(settings.sendHour).padStart(2, '0')}:00`,
    );
    const claim = await claimPeriod(sql, { clientId: client.id, period, slotAt, leaseMs });
    if (!claim.held) return claim.status === 'busy' ? 'busy' : 'already';
    const held = { clientId: client.id, period, attempt: claim.attempt };
    if (claim.attempt > MAX_DIGEST_CLAIMS) {
      this.options.logger.error(held, 'monthly report email given up after repeated failed attempts');
      await finishClaim(sql, { ...held, status: 'failed', at: this.now() });
      return 'already';
    }
    // Only this tenant's active staff, whatever ids the config holds.
    const recipients = await sql.query<Array<{ id: string; email: string }>>(
      'select id, email from users where client_id = ? and disabled_at is null and id = any(?) order by id',
      [client.id, settings.recipients],
    );
    const figures = await this.figures(client, job.month);
    const origin = await this.options.branding.linkOrigin({ clientId: client.id, agencyId: null });
    const mail = renderMonthlyEmail({
      business: client.name,
      figures,
      dashboardUrl: origin ? `${origin}/dashboard/analytics` : this.options.dashboardUrl,
      brand: await this.options.branding.forClient(client.id),
      locale: client.locale,
    });
    for (const r of recipients) {
      const delivery = { clientId: client.id, period, userId: r.id };
      if (!(await renewClaim(sql, { ...held, leaseMs }))) return 'busy';
      if (!(await startDelivery(sql, { ...delivery, email: r.email }))) continue;
      try {
        const sent = await mailer.send({
          to: [r.email],
          ...mail,
          messageId: `<monthly-report.${job.month}.${client.id}.${r.id}@reports.invalid>`,
        });
        await finishDelivery(sql, { ...delivery, messageId: sent.messageId });
      } catch (err) {
        if (err instanceof DeliveryError && err.permanent) {
          this.options.logger.warn({ ...delivery, err }, 'monthly report email refused for a recipient');
          await finishDelivery(sql, { ...delivery, messageId: null, error: err.message });
          continue;
        }
        await releaseClaim(sql, held);
        throw err;
      }
    }
    await finishClaim(sql, { ...held, status: 'sent', at: this.now(), figures });
    return recipients.length ? 'sent' : 'no_recipients';
  }
}
