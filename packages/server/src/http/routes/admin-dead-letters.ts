import { type Request, Router } from 'express';
import { z } from 'zod';
import type { DeadWebhookEvent } from '../../channels/webhook-inbox.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import type { Jobs } from '../../jobs/job-queue.js';
import { route } from '../async-handler.js';
import { audited, requirePermission } from '../authenticate.js';
import type { OpenApiRegistry } from '../openapi.js';

/** What the routes need of a webhook inbox (channels/webhook-inbox.ts). */
export interface DeadLetterInbox {
  readonly provider: string;
  listDead(limit: number): Promise<DeadWebhookEvent[]>;
  retryDead(id: string): Promise<boolean>;
  discardDead(id: string): Promise<boolean>;
}

const listQuery = z.object({
  kind: z.enum(['webhook', 'job']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const deadLetterSchema = z.object({
  kind: z.enum(['webhook', 'job']),
  /** The webhook provider (`whatsapp`) or the job queue (`outbound`). */
  source: z.string(),
  id: z.string(),
  /** The job name (`outbound.deliver`); `webhook event` for webhooks. */
  name: z.string(),
  clientId: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  failedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
  /** POST `<path>/retry` retries it, DELETE `<path>` discards it (relative to /api/v1). */
  path: z.string(),
});
type DeadLetter = z.infer<typeof deadLetterSchema>;

/**
 * Dead letters for the platform's operator (super admin, `clients:manage`):
 * webhook events set aside after their attempts and jobs that failed for good,
 * across tenants, with their error; each can be retried (a fresh set of
 * attempts) or discarded. Tenant staff never see them: an event's payload and
 * a job's error may concern several tenants, and neither is theirs to retry.
 */
export function adminDeadLetterRoutes(
  openapi: OpenApiRegistry,
  sources: { inboxes: DeadLetterInbox[]; jobs: Jobs },
): Router {
  const router = Router();
  const manage = requirePermission('clients:manage');
  const inbox = (provider: string) => {
    const found = sources.inboxes.find((i) => i.provider === provider);
    if (!found) throw AppError.notFound('dead letter');
    return found;
  };
  // webhook_events ids are bigints: anything else is simply not there (never a database error).
  const eventId = (id: string) => {
    if (!/^\d{1,18}$/.test(id)) throw AppError.notFound('dead letter');
    return id;
  };
  const target = (kind: string) => (req: Request) =>
    `${kind}:${String(req.params.source)}:${String(req.params.id)}`.slice(0, 200);

  openapi.add({
    method: 'get',
    path: '/admin/dead-letters',
    summary: 'Webhook events set aside after their attempts and jobs that failed for good, newest first',
    tag: 'admin',
    query: listQuery,
    response: z.object({ data: z.array(deadLetterSchema) }),
  });
  router.get(
    '/admin/dead-letters',
    manage,
    route(async (req, res) => {
      const q = parseInput(listQuery, req.query, 'query');
      const data: DeadLetter[] = [];
      if (q.kind !== 'job') {
        for (const i of sources.inboxes) {
          for (const e of await i.listDead(q.limit)) {
            data.push({
              kind: 'webhook',
              source: e.provider,
              id: e.id,
              name: 'webhook event',
              clientId: e.clientId,
              error: e.error,
              attempts: e.attempts,
              failedAt: e.deadAt,
              receivedAt: e.receivedAt,
              path: `/admin/dead-letters/webhooks/${encodeURIComponent(e.provider)}/${e.id}`,
            });
          }
        }
      }
      if (q.kind !== 'webhook') {
        for (const j of await sources.jobs.listFailed(q.limit)) {
          data.push({
            kind: 'job',
            source: j.queue,
            id: j.id,
            name: j.name,
            clientId: j.clientId,
            error: j.error,
            attempts: j.attempts,
            failedAt: j.failedAt,
            receivedAt: null,
            path: `/admin/dead-letters/jobs/${encodeURIComponent(j.queue)}/${encodeURIComponent(j.id)}`,
          });
        }
      }
      data.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
      res.json({ data: data.slice(0, q.limit) });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/admin/dead-letters/webhooks/:source/:id/retry',
    summary: 'Process a set-aside webhook event again, with a fresh set of attempts',
    tag: 'admin',
  });
  router.post(
    '/admin/dead-letters/webhooks/:source/:id/retry',
    manage,
    audited('dead_letters.retried', { target: target('webhook') }),
    route(async (req, res) => {
      const ok = await inbox(String(req.params.source)).retryDead(eventId(String(req.params.id)));
      if (!ok) throw AppError.notFound('dead letter');
      res.json({ ok: true });
    }),
  );

  openapi.add({
    method: 'delete',
    path: '/admin/dead-letters/webhooks/:source/:id',
    summary: 'Discard a set-aside webhook event (kept as discarded, so a redelivery of it is ignored)',
    tag: 'admin',
  });
  router.delete(
    '/admin/dead-letters/webhooks/:source/:id',
    manage,
    audited('dead_letters.discarded', { target: target('webhook') }),
    route(async (req, res) => {
      const ok = await inbox(String(req.params.source)).discardDead(eventId(String(req.params.id)));
      if (!ok) throw AppError.notFound('dead letter');
      res.json({ ok: true });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/admin/dead-letters/jobs/:source/:id/retry',
    summary: 'Run a failed job again, with a fresh set of attempts',
    tag: 'admin',
  });
  router.post(
    '/admin/dead-letters/jobs/:source/:id/retry',
    manage,
    audited('dead_letters.retried', { target: target('job') }),
    route(async (req, res) => {
      if (!(await sources.jobs.retryFailed(String(req.params.source), String(req.params.id)))) {
        throw AppError.notFound('dead letter');
      }
      res.json({ ok: true });
    }),
  );

  openapi.add({
    method: 'delete',
    path: '/admin/dead-letters/jobs/:source/:id',
    summary: 'Discard a failed job',
    tag: 'admin',
  });
  router.delete(
    '/admin/dead-letters/jobs/:source/:id',
    manage,
    audited('dead_letters.discarded', { target: target('job') }),
    route(async (req, res) => {
      if (!(await sources.jobs.discardFailed(String(req.params.source), String(req.params.id)))) {
        throw AppError.notFound('dead letter');
      }
      res.json({ ok: true });
    }),
  );

  return router;
}
