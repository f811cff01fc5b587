import type { ReportsDto, ReportsQuery } from '@leaddesk/shared';
import type { Logger } from 'pino';
import { isOpenAt, localParts, scheduleOf } from '../automation/business-hours/index.js';
import type { Sql } from '../db/sql.js';
import { buildReport, type InquiryGroup, periodDates, type ResponseGroup } from './build-report.js';
import { addSample, type Histogram } from './histogram.js';
import { inquiryRows, responseSamples, serviceOf } from './raw-samples.js';
import { dayWindow, type ReportClient, refreshRollup, rollupConfigHash } from './report-rollup.js';

export interface ReportServiceOptions {
  sql: Sql;
  logger: Logger;
  /** The clock named periods end on (tests inject one). */
  now?: () => Date;
  /** A rollup refreshed this recently (and with the same settings) is read as it is. @default 0 */
  maxStalenessMs?: number;
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
    const refreshedAt = await this.fresh(client);
    const { from, to, period } = this.period(client, query);
    // Merged in SQL: one histogram per group for the whole period, inquiries per local week (Monday).
    const histograms = await this.options.sql.query<
      Array<{
        metric: string;
        channel: string;
        in_hours: boolean;
        n: number;
        sum_seconds: number;
        histogram: Histogram;
      }>
    >(
      `with g as (
         select metric, channel, in_hours, sum(n)::int as n, sum(sum_seconds) as sum_seconds
         from report_daily where client_id = ? and day between ?::date and ?::date and metric <> 'inquiry'
         group by 1, 2, 3),
       b as (
         select d.metric, d.channel, d.in_hours, h.key, sum(h.value::int) as c
         from report_daily d cross join lateral jsonb_each_text(d.histogram) h
         where d.client_id = ? and d.day between ?::date and ?::date and d.metric <> 'inquiry'
         group by 1, 2, 3, 4)
       select g.metric, g.channel, g.in_hours, g.n, g.sum_seconds,
         coalesce((select jsonb_object_agg(b.key, b.c) from b
           where b.metric = g.metric and b.channel = g.channel and b.in_hours = g.in_hours), '{}') as histogram
       from g`,
      [client.id, from, to, client.id, from, to],
    );
    const weeks = await this.options.sql.query<
      Array<{
        week: string;
        in_hours: boolean;
        service: string;
        n: number;
        qualified: number;
        booked: number;
        won: number;
      }>
    >(
      `select to_char(date_trunc('week', day), 'YYYY-MM-DD') as week, in_hours, service, sum(n)::int as n,
         sum(qualified)::int as qualified, sum(booked)::int as booked, sum(won)::int as won
       from report_daily where client_id = ? and day between ?::date and ?::date and metric = 'inquiry'
       group by 1, 2, 3`,
      [client.id, from, to],
    );
    const responses: ResponseGroup[] = histograms.map((r) => ({
      metric: r.metric,
      channel: r.channel,
      inHours: r.in_hours,
      n: r.n,
      sumSeconds: Number(r.sum_seconds),
      histogram: r.histogram,
    }));
    const inquiries: InquiryGroup[] = weeks.map((r) => ({
      day: r.week,
      inHours: r.in_hours,
      service: r.service,
      n: r.n,
      qualified: r.qualified,
      booked: r.booked,
      won: r.won,
    }));
    return buildReport({
      timezone: scheduleOf(client).timezone,
      locale: client.locale,
      from,
      to,
      period,
      settings: client.config,
      responses,
      inquiries,
      refreshedAt,
    });
  }

  /** When the tenant's rollup is complete up to, after refreshing it if it is older than allowed. */
  async fresh(client: ReportClient): Promise<Date> {
    const maxStaleness = this.options.maxStalenessMs ?? 0;
    if (maxStaleness > 0) {
      const [state] = await this.options.sql.query<
        Array<{ processed_until: Date | null; config_hash: string; age_ms: number }>
      >(
        `select processed_until, config_hash, extract(epoch from (now() - processed_until)) * 1000 as age_ms
         from report_rollup_state where client_id = ?`,
        [client.id],
      );
      if (
        state?.processed_until &&
        state.config_hash === rollupConfigHash(client) &&
        Number(state.age_ms) < maxStaleness
      ) {
        return new Date(state.processed_until);
      }
    }
    return (await refreshRollup(this.options.sql, client)).refreshedAt;
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
      locale: client.locale,
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
      'select id, timezone, locale, config from clients order by id',
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
