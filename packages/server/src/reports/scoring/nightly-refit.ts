import type { ClientConfig } from '@leaddesk/shared';
import { localParts, scheduleOf } from '../../automation/business-hours/index.js';
import type { Sql } from '../../db/sql.js';
import type { Jobs } from '../../jobs/job-queue.js';

/** The queue of the reports' recurring jobs (nightly refits, monthly emails). */
export const REPORTS_QUEUE = 'reports';
export const CONVERSION_FIT_JOB = 'reports.conversion-fit';

export interface ConversionFitJob {
  clientId: string;
  /** The tenant's local day this fit is for (YYYY-MM-DD). */
  day: string;
}

/** Local time from which a night's refit is due (quiet for most businesses). */
export const NIGHTLY_FIT_MINUTES = 3 * 60;

/**
 * Queues the nightly refit of every tenant with closed leads whose model was
 * not yet fitted for its local today, once it is past 03:00 there. The job id
 * names the tenant and the day, so every process's sweep queues it once; the
 * fit itself locks the tenant's model row and skips a day already fitted
 * (ConversionModels.refit), so a duplicate job fits nothing.
 */
export async function queueNightlyRefits(sql: Sql, jobs: Jobs, now: Date): Promise<number> {
  const clients = await sql.query<
    Array<{ id: string; timezone: string; config: ClientConfig; fitted_day: string | null }>
  >(
    `select c.id, c.timezone, c.config, to_char(m.fitted_day, 'YYYY-MM-DD') as fitted_day
     from clients c left join conversion_models m on m.client_id = c.id
     where exists (select 1 from leads l where l.client_id = c.id and l.status in ('closed_won', 'closed_lost'))
     order by c.id`,
  );
  let queued = 0;
  for (const c of clients) {
    const local = localParts(scheduleOf(c).timezone, now);
    if (local.minutes < NIGHTLY_FIT_MINUTES || (c.fitted_day && c.fitted_day >= local.date)) continue;
    await jobs.add(REPORTS_QUEUE, CONVERSION_FIT_JOB, { clientId: c.id, day: local.date } satisfies ConversionFitJob, {
      jobId: `conversion-fit.${c.id}.${local.date}`,
      attempts: 3,
    });
    queued++;
  }
  return queued;
}
