import { randomUUID } from 'node:crypto';
import { PLAN_TOKEN_BUDGETS, type Plan } from '@leaddesk/shared';
import type { TurnFacts } from '../../conversation/reply-snapshot.js';
import type { Orm } from '../../db/orm.js';
import { type Sql, sqlOf } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import { monthKey } from '../../tenants/tenant-service.js';
import type { ProviderUsage } from '../providers/provider.js';

export type BudgetStep = 'normal' | 'soft' | 'exhausted';

export interface BudgetState {
  month: string;
  plan: Plan;
  budget: number;
  used: number;
  ratio: number;
  softThreshold: number;
  step: BudgetStep;
}

export function budgetStep(used: number, budget: number, softThreshold: number): BudgetStep {
  if (used >= budget) return 'exhausted';
  if (used >= budget * softThreshold) return 'soft';
  return 'normal';
}

const STEP_RANK: Record<BudgetStep, number> = { normal: 0, soft: 1, exhausted: 2 };
export const BUDGET_AUDIT_ACTIONS: Record<Exclude<BudgetStep, 'normal'>, string> = {
  soft: 'budget.soft_threshold_reached',
  exhausted: 'budget.exhausted',
};

/** The budget columns, as the reply snapshot's turn facts carry them. */
export type BudgetRow = Pick<
  TurnFacts,
  'plan' | 'usage_month' | 'tokens_used_month' | 'soft' | 'budget_step' | 'budget_step_month'
>;

/**
 * Tokens per tenant, model and day (`usage_logs`, one upserted row) and the
 * tenant's monthly counter (`clients.tokens_used_month`, reset when the month
 * changes). Every provider call is metered where it is made — replies, router
 * and summaries alike. Crossing the soft threshold or the budget is recorded
 * once per month: `clients.budget_step` moves up with a conditional UPDATE and
 * the winner writes the audit log row.
 */
export class UsageMeter {
  constructor(
    private readonly orm: Orm,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get sql(): Sql {
    return sqlOf(this.orm);
  }

  /** Columns of `clients` (aliased `c`) that `fromRow` needs, for callers that join them into their own query. */
  static readonly COLUMNS =
    "c.plan, c.usage_month, c.tokens_used_month, c.config->'budgetSoftThreshold' as soft, c.budget_step, c.budget_step_month";

  async state(clientId: string): Promise<BudgetState | null> {
    const rows = await this.sql.query<BudgetRow[]>(`select ${UsageMeter.COLUMNS} from clients c where c.id = ?`, [
      clientId,
    ]);
    const row = rows[0];
    return row ? this.fromRow(clientId, row) : null;
  }

  /** The budget state from a row read elsewhere; records a step reached without a metered call. */
  async fromRow(clientId: string, row: BudgetRow): Promise<BudgetState> {
    const state = this.toState(row);
    // A step reached without a metered call (budget lowered, plan changed) is recorded too.
    const stored: BudgetStep = row.budget_step_month === state.month ? (row.budget_step as BudgetStep) : 'normal';
    if (STEP_RANK[state.step] > STEP_RANK[stored]) await this.recordStep(clientId, state);
    return state;
  }

  async record(clientId: string, model: string, usage: ProviderUsage): Promise<BudgetState | null> {
    const tokens = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
    const month = monthKey(this.now());
    const day = this.now().toISOString().slice(0, 10);
    // One statement, one round trip: the daily row and the monthly counter together.
    const rows = await this.sql.query<BudgetRow[]>(
      `with logged as (
         insert into usage_logs (id, client_id, model, day, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens)
         values (?, ?, ?, ?, 1, ?, ?, ?, ?)
         on conflict (client_id, model, day) do update set
           requests = usage_logs.requests + 1,
           input_tokens = usage_logs.input_tokens + excluded.input_tokens,
           output_tokens = usage_logs.output_tokens + excluded.output_tokens,
           cache_read_tokens = usage_logs.cache_read_tokens + excluded.cache_read_tokens,
           cache_write_tokens = usage_logs.cache_write_tokens + excluded.cache_write_tokens
         returning 1)
       update clients set
         tokens_used_month = case when usage_month = ? then tokens_used_month + ? else ? end,
         usage_month = ?
       where id = ? and exists (select 1 from logged)
       returning plan, usage_month, tokens_used_month, config->'budgetSoftThreshold' as soft, budget_step, budget_step_month`,
      [
        randomUUID(),
        clientId,
        model.slice(0, 100),
        day,
        usage.inputTokens,
        usage.outputTokens,
        usage.cacheReadTokens,
        usage.cacheWriteTokens,
        month,
        tokens,
        tokens,
        month,
        clientId,
      ],
    );
    const row = rows[0];
    if (!row) return null;
    const state = this.toState(row);
    const stored: BudgetStep = row.budget_step_month === month ? (row.budget_step as BudgetStep) : 'normal';
    if (STEP_RANK[state.step] > STEP_RANK[stored]) await this.recordStep(clientId, state);
    return state;
  }

  /** Moves the stored step up (once per month and step) and writes the audit row. */
  private async recordStep(clientId: string, state: BudgetState): Promise<void> {
    if (state.step === 'normal') return;
    const lower = state.step === 'exhausted' ? ['normal', 'soft'] : ['normal'];
    const moved = await this.sql.query<{ id: string }[]>(
      `update clients set budget_step = ?, budget_step_month = ?
       where id = ? and (budget_step_month <> ? or budget_step in (${lower.map(() => '?').join(', ')})) returning id`,
      [state.step, state.month, clientId, state.month, ...lower],
    );
    if (!moved.length) return;
    await this.sql.query(
      `insert into audit_logs (id, client_id, user_id, action, target, metadata, created_at) values (?, ?, null, ?, ?, ?::jsonb, now())`,
      [
        randomUUID(),
        clientId,
        BUDGET_AUDIT_ACTIONS[state.step],
        `budget:${state.month}`,
        JSON.stringify({ used: state.used, budget: state.budget, softThreshold: state.softThreshold }),
      ],
    );
    this.logger.info({ clientId, step: state.step, used: state.used, budget: state.budget }, 'budget step reached');
  }

  private toState(row: BudgetRow): BudgetState {
    const month = monthKey(this.now());
    const used = row.usage_month === month ? Number(row.tokens_used_month) : 0;
    const budget = PLAN_TOKEN_BUDGETS[row.plan] ?? PLAN_TOKEN_BUDGETS.starter;
    const softThreshold = row.soft === null || row.soft === undefined ? 0.8 : Number(row.soft);
    return {
      month,
      plan: row.plan,
      budget,
      used,
      ratio: budget ? used / budget : 1,
      softThreshold,
      step: budgetStep(used, budget, softThreshold),
    };
  }
}
