import { automationSettingsSchema, followUpStateSchema, stopFollowUpsSchema } from '@leaddesk/shared';
import { Router } from 'express';
import { z } from 'zod';
import type { Orm } from '../../db/orm.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requirePermission } from '../../http/authenticate.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import { parseId } from '../../http/routes/leads.js';
import type { AutomationSettingsStore } from './automation-settings.js';
import type { FollowUpSequences } from './follow-up-sequences.js';

/**
 * `/automation/follow-ups`: the tenant's automation settings (sequences,
 * review capture, digest, retention), a JSON merge patch validated whole.
 * `/conversations/:id/follow-ups`: a conversation's sequence, which staff may
 * stop (or start by hand).
 */
export function followUpRoutes(
  openapi: OpenApiRegistry,
  deps: {
    orm: Orm;
    settings: AutomationSettingsStore;
    sequences: FollowUpSequences;
    /** Called after a successful change (the digest's next slot is queued). */
    changed?: (clientId: string) => Promise<void>;
  },
): Router {
  const router = Router();
  const { settings, sequences } = deps;

  openapi.add({
    method: 'get',
    path: '/automation/follow-ups',
    summary: 'Follow-up sequences, review capture, digest and retention settings',
    tag: 'automation',
    response: automationSettingsSchema,
  });
  router.get(
    '/automation/follow-ups',
    requirePermission('client:read'),
    route(async (req, res) => {
      res.json(await settings.get(requireClient(req).id));
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/automation/follow-ups',
    summary: 'Change automation settings (JSON merge patch)',
    tag: 'automation',
    body: automationSettingsSchema,
    response: automationSettingsSchema,
  });
  router.patch(
    '/automation/follow-ups',
    requirePermission('client:update'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      // The recipients are read in the patch's transaction: on the embedded database (one connection) a read
      // from another connection would wait for that transaction to end, which waits for the read.
      const next = await settings.patch(clientId, req.body, async (s, tx) => {
        const ids = s.digest.recipients;
        if (!ids.length) return;
        const found = await tx.query<{ id: string }[]>(
          `select id from users where client_id = ? and disabled_at is null and id in (${ids.map(() => '?').join(', ')})`,
          [clientId, ...ids],
        );
        const known = new Set(found.map((r) => r.id));
        const unknown = ids.filter((id) => !known.has(id));
        if (unknown.length) {
          throw new AppError('validation_failed', 'invalid body: digest.recipients must be staff of this business', [
            { path: 'digest.recipients', message: `not staff here: ${unknown.join(', ')}` },
          ]);
        }
      });
      await deps.changed?.(clientId).catch(() => undefined);
      res.json(next);
    }),
  );

  openapi.add({
    method: 'get',
    path: '/conversations/:id/follow-ups',
    summary: "A conversation's follow-up sequence and whether its lead opted out",
    tag: 'automation',
    response: followUpStateSchema,
  });
  router.get(
    '/conversations/:id/follow-ups',
    requirePermission('conversations:read'),
    route(async (req, res) => {
      res.json(await sequences.state(requireClient(req).id, parseId(req.params.id)));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/conversations/:id/follow-ups/stop',
    summary: "Stop a conversation's follow-up sequence",
    tag: 'automation',
    body: stopFollowUpsSchema,
    response: followUpStateSchema,
  });
  router.post(
    '/conversations/:id/follow-ups/stop',
    requirePermission('conversations:takeover'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const id = parseId(req.params.id);
      const body = parseInput(stopFollowUpsSchema, req.body ?? {}, 'body');
      await sequences.state(clientId, id); // 404 for another tenant's conversation
      await sequences.stop(clientId, id, body.reason, req.principal?.user?.id ?? null);
      res.json(await sequences.state(clientId, id));
    }),
  );

  const startSchema = z.object({ key: z.string().min(1).max(40).default('default') });
  openapi.add({
    method: 'post',
    path: '/conversations/:id/follow-ups/start',
    summary: 'Start a follow-up sequence now (the lead has not answered our last message)',
    tag: 'automation',
    body: startSchema,
    response: followUpStateSchema,
  });
  router.post(
    '/conversations/:id/follow-ups/start',
    requirePermission('conversations:takeover'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const id = parseId(req.params.id);
      const body = parseInput(startSchema, req.body ?? {}, 'body');
      await sequences.start(clientId, id, body.key);
      res.json(await sequences.state(clientId, id));
    }),
  );

  return router;
}
