import { retentionReportSchema, retentionRunSchema } from '@leaddesk/shared';
import { Router } from 'express';
import { parseInput } from '../../errors/validate.js';
import { requireClient } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requirePermission } from '../../http/authenticate.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import type { RetentionService } from './retention-service.js';

/** `POST /automation/retention/run`: `{ "dryRun": true }` (the default) counts, `false` applies now. */
export function retentionRoutes(openapi: OpenApiRegistry, retention: RetentionService): Router {
  const router = Router();
  openapi.add({
    method: 'post',
    path: '/automation/retention/run',
    summary: 'Count (dry run, the default) or apply the retention period now',
    tag: 'automation',
    body: retentionRunSchema,
    response: retentionReportSchema,
  });
  router.post(
    '/automation/retention/run',
    requirePermission('client:update'),
    route(async (req, res) => {
      const body = parseInput(retentionRunSchema, req.body ?? {}, 'body');
      res.json(await retention.apply(requireClient(req).id, body.dryRun));
    }),
  );
  return router;
}
