import {
  experimentStatsResponseSchema,
  type UsageResponse,
  usageQuerySchema,
  usageResponseSchema,
} from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Router } from 'express';
import type { PromptVariants } from '../../ai/experiments/prompt-variants.js';
import { BUDGET_AUDIT_ACTIONS, type UsageMeter } from '../../ai/usage/usage-meter.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient, requireEm } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { requirePermission } from '../authenticate.js';
import type { OpenApiRegistry } from '../openapi.js';

/** AI usage, budget steps and prompt-experiment results of the calling tenant. */
export function usageRoutes(openapi: OpenApiRegistry, deps: { meter: UsageMeter; variants: PromptVariants }): Router {
  const router = Router();

  openapi.add({
    method: 'get',
    path: '/usage',
    summary: 'AI tokens this month (per model and day), the plan budget and the budget step reached',
    tag: 'usage',
    query: usageQuerySchema,
    response: usageResponseSchema,
  });
  router.get(
    '/usage',
    requirePermission('analytics:read'),
    route(async (req, res) => {
      const query = parseInput(usageQuerySchema, req.query, 'query');
      const client = requireClient(req);
      const em = requireEm(req) as EntityManager;
      const state = await deps.meter.state(client.id);
      const month = query.month ?? state?.month ?? new Date().toISOString().slice(0, 7);
      const daily = await em.execute<
        Array<{
          day: string | Date;
          model: string;
          requests: number;
          input_tokens: string;
          output_tokens: string;
          cache_read_tokens: string;
          cache_write_tokens: string;
        }>
      >(
        `select day, model, requests, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens
           from usage_logs where client_id = ? and to_char(day, 'YYYY-MM') = ? order by day, model`,
        [client.id, month],
      );
      const steps = await em.execute<Array<{ action: string; created_at: Date; metadata: { used?: number } }>>(
        `select action, created_at, metadata from audit_logs where client_id = ? and target = ? and action in (?, ?) order by created_at`,
        [client.id, `budget:${month}`, BUDGET_AUDIT_ACTIONS.soft, BUDGET_AUDIT_ACTIONS.exhausted],
      );
      const current = month === state?.month;
      const body: UsageResponse = {
        month,
        plan: client.plan,
        budgetTokens: state?.budget ?? 0,
        usedTokens: current
          ? (state?.used ?? 0)
          : daily.reduce(
              (n, r) =>
                n +
                Number(r.input_tokens) +
                Number(r.output_tokens) +
                Number(r.cache_read_tokens) +
                Number(r.cache_write_tokens),
              0,
            ),
        ratio: current ? (state?.ratio ?? 0) : 0,
        softThreshold: state?.softThreshold ?? 0.8,
        step: current ? (state?.step ?? 'normal') : 'normal',
        steps: steps.map((s) => ({
          step: s.action === BUDGET_AUDIT_ACTIONS.exhausted ? 'exhausted' : 'soft',
          at: new Date(s.created_at).toISOString(),
          usedTokens: Number(s.metadata?.used ?? 0),
        })),
        daily: daily.map((r) => ({
          day: typeof r.day === 'string' ? r.day.slice(0, 10) : r.day.toISOString().slice(0, 10),
          model: r.model,
          requests: Number(r.requests),
          inputTokens: Number(r.input_tokens),
          outputTokens: Number(r.output_tokens),
          cacheReadTokens: Number(r.cache_read_tokens),
          cacheWriteTokens: Number(r.cache_write_tokens),
        })),
      };
      if (!current) body.ratio = body.budgetTokens ? body.usedTokens / body.budgetTokens : 0;
      res.json(body);
    }),
  );

  openapi.add({
    method: 'get',
    path: '/experiments',
    summary: 'Qualification rate and hot-lead rate per prompt variant',
    tag: 'usage',
    response: experimentStatsResponseSchema,
  });
  router.get(
    '/experiments',
    requirePermission('analytics:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      res.json({ variants: await deps.variants.stats(client.id) });
    }),
  );
  return router;
}
