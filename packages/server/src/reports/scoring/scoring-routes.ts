import {
  type ConversionModelStatus,
  conversionModelStatusSchema,
  reportsQuerySchema,
  type ScoringReportDto,
  scoringReportSchema,
} from '@leaddesk/shared';
import { type Request, Router } from 'express';
import type { Sql } from '../../db/sql.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { audited, requirePermission } from '../../http/authenticate.js';
import { type CsvColumn, sendCsv } from '../../http/csv-response.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import type { ReportService } from '../report-service.js';
import type { ConversionModels } from './conversion-model.js';
import { scoringReport } from './scoring-report.js';

/** One line of the CSV: a figure of one section (long format: every section has the same columns). */
interface CsvRow {
  section: string;
  key: string;
  measure: string;
  value: number | null;
}

function csvRows(r: ScoringReportDto): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const w of r.temperatureByWeek) {
    for (const t of ['hot', 'warm', 'cold', 'unscored'] as const) {
      rows.push({ section: 'temperature_by_week', key: w.weekStart, measure: t, value: w[t] });
    }
  }
  const outcomes = (
    section: string,
    key: string,
    o: ScoringReportDto['responseEffect'][number] | ScoringReportDto['byTemperature'][number],
  ) => {
    for (const m of ['closed', 'won', 'lost', 'wonRate'] as const) rows.push({ section, key, measure: m, value: o[m] });
  };
  for (const b of r.responseEffect) outcomes('response_effect', b.bucket, b);
  for (const t of r.byTemperature) outcomes('won_rate_by_temperature', t.temperature, t);
  const m = r.model;
  rows.push({ section: 'model', key: m.source, measure: 'training_size', value: m.trainingSize });
  if (m.calibration) {
    rows.push({ section: 'model', key: m.source, measure: 'brier', value: m.calibration.brier });
    rows.push({ section: 'model', key: m.source, measure: 'baseline_brier', value: m.calibration.baselineBrier });
    rows.push({ section: 'model', key: m.source, measure: 'auc', value: m.calibration.auc });
  }
  return rows;
}

const COLUMNS: CsvColumn<CsvRow>[] = [
  { header: 'section', value: (r) => r.section },
  { header: 'key', value: (r) => r.key },
  { header: 'measure', value: (r) => r.measure },
  { header: 'value', value: (r) => r.value },
];

/**
 * `GET /reports/scoring` (+ `.csv`): the lead scoring report; `POST
 * /reports/scoring/model/refit`: an admin refits the tenant's conversion model now.
 */
export function scoringRoutes(
  openapi: OpenApiRegistry,
  deps: { sql: Sql; reports: ReportService; models: ConversionModels },
): Router {
  const router = Router();
  const build = (req: Request) => {
    const client = requireClient(req);
    const query = parseInput(reportsQuerySchema, req.query, 'query');
    return scoringReport(deps.sql, deps.models, deps.reports, client, deps.reports.period(client, query));
  };
  openapi.add({
    method: 'get',
    path: '/reports/scoring',
    summary:
      'Lead scoring report: leads by temperature per week, won rate by first-response time and by temperature, and the conversion model’s status and calibration (docs/reports.md)',
    tag: 'analytics',
    query: reportsQuerySchema,
    response: scoringReportSchema,
  });
  router.get(
    '/reports/scoring',
    requirePermission('analytics:read'),
    route(async (req, res) => {
      res.json(await build(req));
    }),
  );
  openapi.add({
    method: 'get',
    path: '/reports/scoring.csv',
    summary: 'The lead scoring report as CSV (columns section, key, measure, value)',
    tag: 'analytics',
    query: reportsQuerySchema,
  });
  router.get(
    '/reports/scoring.csv',
    requirePermission('analytics:read'),
    route(async (req, res) => {
      const report = await build(req);
      async function* batches() {
        yield csvRows(report);
      }
      await sendCsv(res, `lead-scoring-${report.from}-${report.to}.csv`, COLUMNS, batches());
    }),
  );
  openapi.add({
    method: 'post',
    path: '/reports/scoring/model/refit',
    summary: 'Refit the conversion model on the tenant’s closed leads now (it is also refitted nightly)',
    tag: 'analytics',
    response: conversionModelStatusSchema,
  });
  router.post(
    '/reports/scoring/model/refit',
    requirePermission('client:update'),
    audited('reports.conversion_model_refitted'),
    route(async (req, res) => {
      const { status } = await deps.models.refit(requireClient(req));
      res.json(status satisfies ConversionModelStatus);
    }),
  );
  return router;
}
