import type { ReportInsightsDto, ReportsQuery } from '@leaddesk/shared';
import type { Logger } from 'pino';
import { scheduleOf } from '../../automation/business-hours/index.js';
import type { Sql } from '../../db/sql.js';
import type { ReportClient } from '../report-rollup.js';
import type { ReportService } from '../report-service.js';
import { bookingHeatMap } from './booking-heat-map.js';
import { commonQuestions, rolledUpQuestions } from './common-questions.js';
import type { QuestionEmbedder } from './embed-clusters.js';
import { followUpSteps } from './follow-up-steps.js';
import { intakeStops } from './intake-stops.js';
import { leadFunnel } from './lead-funnel.js';
import { variantResults } from './variant-results.js';

export interface InsightsClient extends ReportClient {
  /** The tenant's locale: the language a question is stemmed in when nothing else tells. */
  locale?: string;
}

/**
 * The insights report (docs/reports.md, "Insights"): six parts over the same
 * period as `GET /reports` (local dates in the tenant's zone, resolved by the
 * ReportService so the two can never disagree on what "this month" is). The
 * funnel, channels, heat map, follow-ups and variants are summed from the
 * daily rollups (brought up to date first, as for `GET /reports`), and so
 * are the questions (per day and wording) and the intake drop-off (per day
 * and question): a report reads no message.
 */
export class InsightsService {
  constructor(
    private readonly sql: Sql,
    private readonly reports: Pick<ReportService, 'period' | 'fresh'>,
    /** The knowledge base's embeddings provider: questions are then grouped by meaning. */
    private readonly embedder: QuestionEmbedder | null = null,
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  async insights(client: InsightsClient, query: ReportsQuery): Promise<ReportInsightsDto> {
    const timezone = scheduleOf(client).timezone;
    await this.reports.fresh(client);
    const { from, to } = this.reports.period(client, query);
    const days = { from, to };
    // One after the other: a report holds one pooled connection at a time, like every request.
    const { channels, steps } = await leadFunnel(this.sql, client.id, days);
    const leads = steps[0]?.count ?? 0;
    const intake = await intakeStops(this.sql, client.id, days, client.config.qualificationQuestions ?? [], leads);
    const read = await rolledUpQuestions(this.sql, client.id, days);
    // The clustering (and an embeddings provider's call) holds no connection.
    const questions = await commonQuestions(read, this.embedder, (err) =>
      this.logger?.warn({ err, clientId: client.id }, 'question embeddings failed; clustering by text'),
    );
    const heatMap = await bookingHeatMap(this.sql, client.id, days);
    const followUps = await followUpSteps(this.sql, client.id, days);
    const promptVariants = await variantResults(this.sql, client.id, days);
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
