import { type Plan, type PlanView, planViewSchema } from '@leaddesk/shared';
import { Router } from 'express';
import { storedSettings } from '../channels/settings/channel-settings.js';
import type { Config } from '../config/config.js';
import { requireClient, requireEm } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { requirePermission } from '../http/authenticate.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import { monthKey, tokenBudget } from '../tenants/tenant-service.js';
import { channelsOf, connectedChannels, limitsOf } from './plan-limits.js';
import { seatsInUse } from './seats.js';

/** `GET /plan`: what the calling tenant's plan includes and what it uses of it. */
export function planRoutes(openapi: OpenApiRegistry, config: Pick<Config, 'plans' | 'rateLimit'>): Router {
  const router = Router();
  openapi.add({
    method: 'get',
    path: '/plan',
    summary: "The tenant's plan: seats, channels, monthly AI tokens and API rate, with what is in use",
    tag: 'usage',
    response: planViewSchema,
  });
  router.get(
    '/plan',
    requirePermission('client:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      const limits = limitsOf(config, client.plan);
      const body: PlanView = {
        plan: client.plan,
        limits: {
          seats: limits.seats,
          channels: channelsOf(limits),
          monthlyTokens: tokenBudget(client),
          requestsPerMinute: Math.round(
            (config.rateLimit.perPlan[client.plan as Plan] * 60_000) / config.rateLimit.windowMs,
          ),
        },
        usage: {
          seats: await seatsInUse(requireEm(req), client.id),
          channels: connectedChannels(storedSettings(client)),
          monthlyTokens: client.usageMonth === monthKey() ? Number(client.tokensUsedMonth) : 0,
        },
      };
      res.json(body);
    }),
  );
  return router;
}
