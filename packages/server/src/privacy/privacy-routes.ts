import { leadErasureSchema, leadExportSchema } from '@leaddesk/shared';
import { type Request, type Response, Router } from 'express';
import { recordAudit } from '../audit/audit-log.js';
import type { Sql } from '../db/sql.js';
import { requireClient, requireEm } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { requestMeta, requirePermission } from '../http/authenticate.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import { parseId } from '../http/routes/leads.js';
import { getLead, leadToDto } from '../leads/lead-service.js';
import { tagsOfLeads } from '../leads/lead-tags.js';
import type { Logger } from '../logger.js';
import { type ErasedLead, eraseLead } from './erase-lead.js';
import { writeLeadExport } from './lead-export.js';

export interface PrivacyRoutesOptions {
  sql: Sql;
  logger: Logger;
  /**
   * What follows a committed erasure: the second pass and the deletion of the lead's records in the tenant's
   * CRM (queued jobs). Resolves whether a CRM deletion was queued.
   */
  afterErase(clientId: string, erased: ErasedLead): Promise<boolean>;
}

/**
 * `GET /leads/:id/export` (a download of everything held about the lead) and
 * `DELETE /leads/:id` (its erasure), both tenant-scoped: another tenant's lead
 * is 404 and nothing happens. Each leaves an audit entry with who and which
 * lead id, never the lead's data.
 */
export function privacyRoutes(openapi: OpenApiRegistry, options: PrivacyRoutesOptions): Router {
  const router = Router();
  const { sql } = options;

  openapi.add({
    method: 'get',
    path: '/leads/:id/export',
    summary: "Download the lead's data as JSON (profile, conversations, messages, everything kept about it)",
    tag: 'leads',
    response: leadExportSchema,
  });
  router.get(
    '/leads/:id/export',
    requirePermission('leads:export'),
    route(async (req, res) => {
      const client = requireClient(req);
      const lead = await getLead(requireEm(req), client, parseId(req.params.id));
      const dto = { ...leadToDto(lead), tags: (await tagsOfLeads(sql, client.id, [lead.id])).get(lead.id) ?? [] };
      await audit(req, 'lead.exported', lead.id, {});
      res.status(200);
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="lead-${lead.id}.json"`);
      res.setHeader('cache-control', 'no-store');
      try {
        await writeLeadExport(sql, client.id, dto, async (chunk) => {
          if (res.destroyed) throw new Error('export receiver went away');
          if (!res.write(chunk)) await drained(res);
        });
        res.end();
      } catch (err) {
        // Headers are gone: cut the download so the receiver never takes a partial file for a whole one.
        req.log?.error({ err: { message: (err as Error).message }, leadId: lead.id }, 'lead export failed');
        res.destroy();
      }
    }),
  );

  openapi.add({
    method: 'delete',
    path: '/leads/:id',
    summary: 'Erase the lead everywhere: its data is deleted and its CRM records archived (irreversible)',
    tag: 'leads',
    response: leadErasureSchema,
  });
  router.delete(
    '/leads/:id',
    requirePermission('leads:erase'),
    route(async (req, res) => {
      const client = requireClient(req);
      const erased = await eraseLead(sql, client.id, parseId(req.params.id));
      const leadId = erased.result.leadId;
      let crmDeletionQueued = false;
      try {
        crmDeletionQueued = await options.afterErase(client.id, erased);
      } catch (err) {
        // The lead is gone here already; the answer says no CRM deletion was queued, so staff can act on it.
        options.logger.error({ err, clientId: client.id, leadId }, 'queueing the erasure follow-up failed');
      }
      const result = { ...erased.result, crmDeletionQueued };
      // Counts and ids only: the entry that proves the erasure must not hold what was erased.
      await audit(req, 'lead.erased', leadId, { removed: result.removed, crmDeletionQueued });
      res.json(result);
    }),
  );

  return router;
}

async function audit(req: Request, action: string, leadId: string, metadata: Record<string, unknown>): Promise<void> {
  const meta = requestMeta(req);
  await recordAudit(requireEm(req), {
    action,
    actor: req.principal?.kind ?? 'anonymous',
    clientId: req.client?.id ?? null,
    userId: req.principal?.userId ?? null,
    target: leadId,
    metadata,
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
}

/** Resolves when the response can take more, or is gone; leaves no listener behind (one wait per page). */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
