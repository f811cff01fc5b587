import { CONVERSION_MODEL_MINIMUMS, type ConversionEstimate, type ConversionModelStatus } from '@leaddesk/shared';
import { scheduleOf } from '../../automation/business-hours/index.js';
import type { Sql } from '../../db/sql.js';
import type { ReportClient } from '../report-rollup.js';
import { FEATURES, featureVector, leadFacts, trainingLeads } from './lead-facts.js';
import {
  type Calibration,
  crossValidate,
  fitLogistic,
  type LogisticModel,
  predict,
  round4,
} from './logistic-regression.js';

type Query = Pick<Sql, 'query'>;

/** The L2 penalty: strong enough to keep 30 outcomes from fitting noise, weak enough to let a real effect show. */
export const LAMBDA = 1;
const FOLDS = 5;

interface StoredModel extends LogisticModel {
  features: string[];
}

interface ModelRow {
  source: 'model' | 'heuristic';
  fitted_at: Date | string | null;
  fitted_day: string | null;
  training_size: number;
  won: number;
  lost: number;
  model: StoredModel | null;
  calibration: Calibration | null;
  reason: string | null;
}

const MODEL_COLUMNS = `source, fitted_at, to_char(fitted_day, 'YYYY-MM-DD') as fitted_day, training_size, won, lost,
  model, calibration, reason`;

async function modelRow(q: Query, clientId: string): Promise<ModelRow | null> {
  const rows = await q.query<ModelRow[]>(`select ${MODEL_COLUMNS} from conversion_models where client_id = ?`, [
    clientId,
  ]);
  return rows[0] ?? null;
}

function statusOf(row: ModelRow | null): ConversionModelStatus {
  const model = row?.source === 'model' ? row.model : null;
  return {
    source: model ? 'model' : 'heuristic',
    fittedAt: row?.fitted_at ? new Date(row.fitted_at).toISOString() : null,
    trainingSize: row?.training_size ?? 0,
    won: row?.won ?? 0,
    lost: row?.lost ?? 0,
    minimums: { ...CONVERSION_MODEL_MINIMUMS },
    features: model?.features ?? [...FEATURES],
    coefficients: model ? model.weights.map(round4) : [],
    intercept: model ? round4(model.intercept) : null,
    lambda: model?.lambda ?? null,
    calibration: model ? (row?.calibration ?? null) : null,
    reason: model
      ? null
      : (row?.reason ?? 'not fitted yet: the model is fitted nightly, or now by an admin ("Refit now")'),
  };
}

/**
 * A per-tenant logistic regression of "won" on the facts of the tenant's own
 * closed leads (docs/reports.md, "Conversion probability"). Fitted only with
 * enough outcomes; otherwise the stored row says why and every estimate is
 * the lead's score, labelled heuristic. Every read and write names the
 * tenant: one tenant's model never scores another's leads.
 */
export class ConversionModels {
  constructor(private readonly sql: Sql) {}

  async status(clientId: string): Promise<ConversionModelStatus> {
    return statusOf(await modelRow(this.sql, clientId));
  }

  /** The lead's chance of being won; null when the lead is not this tenant's. */
  async estimate(client: ReportClient, leadId: string): Promise<ConversionEstimate | null> {
    const facts = await leadFacts(this.sql, client.id, leadId);
    if (!facts) return null;
    const row = await modelRow(this.sql, client.id);
    const model = row?.source === 'model' ? row.model : null;
    if (!model || model.features.join() !== FEATURES.join()) {
      return { probability: facts.score === null ? null : facts.score / 100, source: 'heuristic', modelFittedAt: null };
    }
    return {
      probability: round4(predict(model, featureVector(facts, scheduleOf(client)))),
      source: 'model',
      modelFittedAt: row?.fitted_at ? new Date(row.fitted_at).toISOString() : null,
    };
  }

  /**
   * Fits the tenant's model now from its closed leads and stores it (or why
   * there is none). With `day` (the nightly fit), does nothing when a fit for
   * that local day or later is stored already: the row is locked for the fit,
   * so two processes fit a tenant once a night.
   */
  async refit(client: ReportClient, day?: string): Promise<{ status: ConversionModelStatus; fitted: boolean }> {
    const fitted = await this.sql.transaction(async (tx) => {
      await tx.query('insert into conversion_models (client_id) values (?) on conflict do nothing', [client.id]);
      const [locked] = await tx.query<Array<{ fitted_day: string | null }>>(
        `select to_char(fitted_day, 'YYYY-MM-DD') as fitted_day from conversion_models where client_id = ? for update`,
        [client.id],
      );
      if (day && locked?.fitted_day && locked.fitted_day >= day) return false;
      const leads = await trainingLeads(tx, client.id);
      const schedule = scheduleOf(client);
      const x = leads.map((l) => featureVector(l, schedule));
      const y = leads.map((l) => (l.status === 'closed_won' ? 1 : 0));
      const won = y.filter((v) => v === 1).length;
      const lost = y.length - won;
      const min = CONVERSION_MODEL_MINIMUMS;
      let source: 'model' | 'heuristic' = 'heuristic';
      let stored: StoredModel | null = null;
      let calibration: Calibration | null = null;
      let reason: string | null = null;
      if (leads.length < min.closed || won < min.won || lost < min.lost) {
        reason = `too few outcomes: ${leads.length} closed leads (${won} won, ${lost} lost); a model needs at least ${min.closed} closed with ${min.won} won and ${min.lost} lost`;
      } else {
        source = 'model';
        stored = { ...fitLogistic(x, y, { lambda: LAMBDA }), features: [...FEATURES] };
        calibration = crossValidate(x, y, { folds: FOLDS, lambda: LAMBDA }).calibration;
      }
      await tx.query(
        `update conversion_models set source = ?, fitted_at = now(), fitted_day = coalesce(?::date, fitted_day),
           training_size = ?, won = ?, lost = ?, model = ?::jsonb, calibration = ?::jsonb, reason = ?, updated_at = now()
         where client_id = ?`,
        [
          source,
          day ?? null,
          leads.length,
          won,
          lost,
          stored ? JSON.stringify(stored) : null,
          calibration ? JSON.stringify(calibration) : null,
          reason,
          client.id,
        ],
      );
      return true;
    });
    return { status: await this.status(client.id), fitted };
  }
}
