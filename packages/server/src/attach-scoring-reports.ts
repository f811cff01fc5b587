import { type Router as ExpressRouter, Router } from 'express';
import type { AppContext } from './app-context.js';
import { brandingOf } from './branding/branding-service.js';
import type { Mailer } from './channels/email/mailer.js';
import { sqlOf } from './db/sql.js';
import type { OpenApiRegistry } from './http/openapi.js';
import {
  MONTHLY_EMAIL_JOB,
  type MonthlyEmailJob,
  MonthlyReportEmails,
  monthlyEmailRoutes,
} from './reports/monthly-email/index.js';
import type { ReportService } from './reports/report-service.js';
import {
  CONVERSION_FIT_JOB,
  type ConversionFitJob,
  ConversionModels,
  queueNightlyRefits,
  REPORTS_QUEUE,
  scoringRoutes,
} from './reports/scoring/index.js';

export interface ScoringReportComponents {
  models: ConversionModels;
  monthlyEmails: MonthlyReportEmails;
  /** Tenant API under `/api/v1` (behind authentication). */
  api: ExpressRouter;
  /** One sweep: queues due nightly refits and monthly emails (tests call it). */
  sweep(): Promise<void>;
  /** The `reports` queue's worker and the sweep (the worker processes' part). */
  start(): Promise<void>;
  close(): void;
}

/**
 * Composition for issue 17's lead scoring report, conversion model (refitted
 * nightly, once across processes) and monthly report email. Both recurring
 * jobs come from one sweep on the reports' interval (REPORTS_SWEEP_INTERVAL_MS)
 * that queues jobs whose ids name the tenant and the day or month, on the
 * `reports` queue.
 */
export function attachScoringReports(
  ctx: AppContext,
  deps: { openapi: OpenApiRegistry; reports: ReportService; mailer: Mailer | null },
): ScoringReportComponents {
  const sql = sqlOf(ctx.db.orm);
  const now = ctx.clock ?? (() => new Date());
  const models = new ConversionModels(sql);
  const publicUrl = ctx.config.http.publicUrl ?? `http://localhost:${ctx.config.http.port}`;
  const monthlyEmails = new MonthlyReportEmails({
    sql,
    jobs: ctx.jobs,
    mailer: deps.mailer,
    reports: deps.reports,
    models,
    logger: ctx.logger,
    dashboardUrl: `${publicUrl}/dashboard/analytics`,
    branding: brandingOf(ctx),
    leaseMs: ctx.config.raw.DIGEST_LEASE_MS,
    now,
  });
  const api = Router();
  api.use(scoringRoutes(deps.openapi, { sql, reports: deps.reports, models }));
  api.use(monthlyEmailRoutes(deps.openapi, sql));

  let timer: NodeJS.Timeout | undefined;
  const sweep = async () => {
    await queueNightlyRefits(sql, ctx.jobs, now());
    await monthlyEmails.sweep();
  };
  return {
    models,
    monthlyEmails,
    api,
    sweep,
    async start() {
      await ctx.jobs.work<ConversionFitJob | MonthlyEmailJob>(REPORTS_QUEUE, async (job) => {
        if (job.name === CONVERSION_FIT_JOB) {
          const data = job.data as ConversionFitJob;
          const [client] = await sql.query<Parameters<ConversionModels['refit']>[0][]>(
            'select id, timezone, locale, config from clients where id = ?',
            [data.clientId],
          );
          if (client) await models.refit(client, data.day);
        } else if (job.name === MONTHLY_EMAIL_JOB) {
          await monthlyEmails.send(job.data as MonthlyEmailJob);
        }
      });
      const everyMs = ctx.config.raw.REPORTS_SWEEP_INTERVAL_MS;
      if (everyMs <= 0) return;
      const tick = () => {
        timer = setTimeout(() => {
          sweep()
            .catch((err: unknown) => ctx.logger.warn({ err }, 'scoring reports sweep failed'))
            .finally(() => {
              if (timer) tick();
            });
        }, everyMs);
        timer.unref();
      };
      await sweep().catch((err: unknown) => ctx.logger.warn({ err }, 'scoring reports sweep failed'));
      tick();
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
