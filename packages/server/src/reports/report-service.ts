import type { ReportsDto, ReportsQuery } from '@leaddesk/shared';
import type { Logger } from 'pino';
import { isOpenAt, localParts, scheduleOf } from '../automation/business-hours/index.js';
import type { Sql } from '../db/sql.js';
import { buildReport, type InquiryGroup, periodDates, type ResponseGroup } from './build-report.js';
import { addSample, type Histogram } from './histogram.js';
import { inquiryRows, responseSamples, serviceOf } from './raw-samples.js';
import { dayWindow, type ReportClient, refreshRollup } from './report-rollup.js';

export interface ReportServiceOptions {
  sql: Sql;
  logger: Logger;
  /** The clock named periods end on (tests inject one). */
  now?: () => Date;
}

/**
 * The reports of issue 17: read from the daily rollup after bringing it up to
 * date for the tenant (cheap when little changed), plus a sweep that keeps
 * every tenant's rollup fresh in the background, and the reference
 * computation over raw rows that tests and the bench compare against.
 */
export class ReportService {
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: ReportServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  period(
    client: ReportClient,
    query: ReportsQuery,
  ): { from: string; to: string; period: ReportsQuery['period'] | null } {
    if (query.from && query.to) return { from: query.from, to: query.to, period: null };
    return { ...periodDates(query.period, scheduleOf(client).timezone, this.now()), period: query.period };
  }

  async report(client: ReportClient, query: ReportsQuery): Promise<ReportsDto> {
    const { refreshedAt } = await refreshRollup(this.options.sql, client);
    const { from, to, period } = this.period(client, query);
    const rows = await this.options.sql.query<
      Array<{
        day: string;
        metric: string;
        channel: string;
        in_hours: boolean;
        service: string;
        n: number;
        sum_seconds: number;
        histogram: Histogram;
        qualified: number;
        booked: number;
        won: number;
      }>
    >(
      `select to_char(day, 'YYYY-MM-DD') as day, metric, channel, in_hours, service, n, sum_seconds, histogram, qualified, booked, won
       from report_daily where client_id = ? and day between ?::date and ?::date`,
      [client.id, from, to],
    );
    const responses: ResponseGroup[] = [];
    const inquiries: InquiryGroup[] = [];
    for (const r of rows) {
      if (r.metric === 'inquiry') {
        inquiries.push({
          day: r.day,
          inHours: r.in_hours,
          service: r.service,
          n: r.n,
          qualified: r.qualified,
          booked: r.booked,
          won: r.won,
        });
      } else {
        responses.push({
          metric: r.metric,
          channel: r.channel,
          inHours: r.in_hours,
          n: r.n,
          sumSeconds: Number(r.sum_seconds),
          histogram: r.histogram,
        });
      }
    }
    return buildReport({
      timezone: scheduleOf(client).timezone,
      from,
      to,
      period,
      settings: client.config,
      responses,
      inquiries,
      refreshedAt,
    });
  }

  /**
   * The same report straight from the raw tables over the whole period, with
   * exact percentiles: the reference for tests and the bench, never served.
   */
  async rawReport(client: ReportClient, query: ReportsQuery): Promise<ReportsDto> {
    const schedule = scheduleOf(client);
    const { from, to, period } = this.period(client, query);
    const start = dayWindow(schedule.timezone, from).start;
    const end = dayWindow(schedule.timezone, to).end;
    const sql = this.options.sql;
    const responses: ResponseGroup[] = [];
    for (const s of await responseSamples(sql, client.id, start, end)) {
      const inHours = isOpenAt(schedule, s.startAt);
      const metrics =
        s.kind === 'first_response'
          ? ['first_response', s.by === 'ai' ? 'first_response_ai' : 'first_response_human']
          : [s.kind];
      for (const metric of metrics) {
        const histogram: Histogram = {};
        addSample(histogram, s.seconds);
        responses.push({
          metric,
          channel: s.channel,
          inHours,
          n: 1,
          sumSeconds: s.seconds,
          histogram,
          samples: [s.seconds],
        });
      }
    }
    const inquiries: InquiryGroup[] = (await inquiryRows(sql, client.id, start, end)).map((l) => ({
      day: localParts(schedule.timezone, l.at).date,
      inHours: isOpenAt(schedule, l.at),
      service: serviceOf(l.serviceInterest, client.config.services),
      n: 1,
      qualified: Number(l.qualified),
      booked: Number(l.booked),
      won: Number(l.won),
    }));
    return buildReport({
      timezone: schedule.timezone,
      from,
      to,
      period,
      settings: client.config,
      responses,
      inquiries,
      refreshedAt: new Date(),
    });
  }

  /** Refreshes every tenant's rollup now (the sweep's tick; tests call it too). */
  async sweep(): Promise<number> {
    const clients = await this.options.sql.query<ReportClient[]>(
      'select id, timezone, config from clients order by id',
    );
    let days = 0;
    for (const client of clients) {
      try {
        days += (await refreshRollup(this.options.sql, client)).days;
      } catch (err) {
        this.options.logger.error({ err, clientId: client.id }, 'report rollup refresh failed');
      }
    }
    return days;
  }

  /** Every process may sweep: the per-tenant lock makes concurrent sweeps take turns. */
  startSweep(everyMs: number): void {
    if (this.timer || everyMs <= 0) return;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.sweep()
          .catch((err: unknown) => this.options.logger.error({ err }, 'report sweep failed'))
          .finally(() => {
            if (this.timer) tick();
          });
      }, everyMs);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
