import type { ReportInsightsDto, ReportsQuery } from '@leaddesk/shared';
import type { Logger } from 'pino';
import { scheduleOf } from '../../automation/business-hours/index.js';
import type { Sql } from '../../db/sql.js';
import { dayWindow, type ReportClient } from '../report-rollup.js';
import type { ReportService } from '../report-service.js';
import { bookingHeatMap } from './booking-heat-map.js';
import { commonQuestions } from './common-questions.js';
import type { QuestionEmbedder } from './embed-clusters.js';
import { followUpSteps } from './follow-up-steps.js';
import { intakeStops } from './intake-stops.js';
import { leadFunnel } from './lead-funnel.js';
import { asQuestionLanguage } from './normalize-question.js';
import { variantResults } from './variant-results.js';

export interface InsightsClient extends ReportClient {
  /** The tenant's locale: the language a question is stemmed in when nothing else tells. */
  locale?: string;
}

/**
 * The insights report (docs/reports.md, "Insights"): six parts over the same
 * period as `GET /reports` (local dates in the tenant's zone, resolved by the
 * ReportService so the two can never disagree on what "this month" is), each
 * a bounded, indexed read of the period's rows.
 */
export class InsightsService {
  constructor(
    private readonly sql: Sql,
    private readonly reports: Pick<ReportService, 'period'>,
    /** The knowledge base's embeddings provider: questions are then grouped by meaning. */
    private readonly embedder: QuestionEmbedder | null = null,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  async insights(client: InsightsClient, query: ReportsQuery): Promise<ReportInsightsDto> {
    const timezone = scheduleOf(client).timezone;
    const { from, to } = this.reports.period(client, query);
    const window = { start: dayWindow(timezone, from).start, end: dayWindow(timezone, to).end };
    const fallback = asQuestionLanguage(client.locale) ?? 'en';
    // One after the other: a report holds one pooled connection at a time, like every request.
    const { channels, steps } = await leadFunnel(this.sql, client.id, window);
    const intake = await intakeStops(this.sql, client.id, window, client.config.qualificationQuestions ?? []);
    const questions = await commonQuestions(this.sql, client.id, window, fallback, this.embedder, (err) =>
      this.logger?.warn({ err, clientId: client.id }, 'question embeddings failed; clustering by text'),
    );
    const heatMap = await bookingHeatMap(this.sql, client.id, timezone, window);
    const followUps = await followUpSteps(this.sql, client.id, window);
    const promptVariants = await variantResults(this.sql, client.id, window);
    return {
      timezone,
      from,
      to,
      channels,
      questions,
      bookingHeatMap: heatMap,
      funnel: { steps, intake },
      followUps,
      promptVariants,
    };
  }
}
