import type { Router } from 'express';
import type { AppContext } from './app-context.js';
import type { CrmComponents } from './attach-crm.js';
import { sqlOf } from './db/sql.js';
import type { OpenApiRegistry } from './http/openapi.js';
import {
  ERASE_SWEEP_JOB,
  type EraseSweepJob,
  enqueueEraseSweep,
  PRIVACY_QUEUE,
  runEraseSweep,
} from './privacy/erase-sweep.js';
import { privacyRoutes } from './privacy/privacy-routes.js';

export interface PrivacyComponents {
  /** `GET /leads/:id/export`, `DELETE /leads/:id`, mounted behind authentication. */
  api: Router;
  /** The erasure's second pass (worker processes). */
  start(): Promise<void>;
}

/**
 * Composition for privacy (issue 18, docs/privacy.md): a lead's export and
 * erasure over REST; after an erasure, a delayed second pass here and the
 * archiving of its CRM records (attach-crm.ts), both as jobs.
 */
export function attachPrivacy(
  ctx: AppContext,
  deps: { openapi: OpenApiRegistry; crm: CrmComponents },
): PrivacyComponents {
  const { jobs, logger } = ctx;
  const sql = sqlOf(ctx.db.orm);
  const api = privacyRoutes(deps.openapi, {
    sql,
    logger,
    async afterErase(clientId, erased) {
      const leadId = erased.result.leadId;
      await enqueueEraseSweep(
        jobs,
        { clientId, leadId, conversationIds: erased.conversationIds },
        ctx.config.raw.PRIVACY_ERASE_SWEEP_MS,
      );
      return deps.crm.eraseLead(clientId, leadId, erased.crm);
    },
  });
  return {
    api,
    async start() {
      await jobs.work<EraseSweepJob>(PRIVACY_QUEUE, async (job) => {
        if (job.name !== ERASE_SWEEP_JOB) return;
        const removed = await runEraseSweep(sql, job.data);
        if (removed)
          logger.info({ clientId: job.data.clientId, leadId: job.data.leadId, removed }, 'erasure second pass');
      });
    },
  };
}
