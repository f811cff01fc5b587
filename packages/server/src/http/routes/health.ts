import { Router } from 'express';
import type { AppContext } from '../../app-context.js';
import { route } from '../async-handler.js';

/** Liveness says the process answers; readiness says its dependencies do. */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get(
    '/readyz',
    route(async (_req, res) => {
      const database = await ctx.db.ping();
      const redis = ctx.redisPing ? await ctx.redisPing() : undefined;
      const ready = database && redis !== false && !ctx.shuttingDown();
      res.status(ready ? 200 : 503).json({
        status: ready ? 'ready' : ctx.shuttingDown() ? 'draining' : 'not_ready',
        role: ctx.config.role,
        checks: {
          database: { ok: database, kind: ctx.db.kind },
          redis: redis === undefined ? { ok: true, configured: false } : { ok: redis, configured: true },
          // The search mode the knowledge module actually uses (pgvector alone is not enough: it also needs embeddings).
          pgvector: { present: ctx.db.pgvector, search: ctx.knowledge?.status().search ?? 'full_text' },
          // The queues this process works: none on ROLE=web.
          jobs: { backend: ctx.jobs.kind, working: ctx.jobs.working?.() ?? [] },
          ...(ctx.knowledge ? { knowledge: ctx.knowledge.status() } : {}),
          shuttingDown: ctx.shuttingDown(),
        },
      });
    }),
  );
  return router;
}
