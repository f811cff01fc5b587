import {
  createWebhookEndpointSchema,
  listWebhookDeliveriesQuerySchema,
  updateWebhookEndpointSchema,
  type WebhookEndpointWithSecret,
} from '@leaddesk/shared';
import { type Request, Router } from 'express';
import { requireSecretBox, type SecretBox } from '../channels/settings/secret-box.js';
import type { Sql } from '../db/sql.js';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { requireClient } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { audited, requirePermission } from '../http/authenticate.js';
import { mergePatch } from '../http/merge-patch.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import { parseId } from '../http/routes/leads.js';
import { checkLiteralHost, hostOf, RefusedAddressError } from './address-policy.js';
import { listDeliveries } from './delivery-store.js';
import {
  deleteEndpoint,
  endpointView,
  getEndpoint,
  insertEndpoint,
  listEndpoints,
  rotateEndpointSecret,
  updateEndpoint,
} from './endpoint-store.js';
import type { OutgoingWebhooks } from './outgoing-webhooks.js';
import { generateSecret } from './signing.js';

export interface WebhookEndpointRoutesOptions {
  sql: Sql;
  box: SecretBox | null;
  webhooks: OutgoingWebhooks;
  clock: () => Date;
  allowHttp: boolean;
  allowPrivate: boolean;
}

/**
 * `/api/v1/webhook-endpoints` and `/api/v1/webhook-deliveries`: a tenant's
 * outgoing webhook endpoints (read: `client:read`; change, test and replay:
 * `client:update`, like the other client settings), the delivery log and
 * replay. Everything is scoped by the caller's client: another tenant's ids
 * are "not found".
 */
export function webhookEndpointRoutes(openapi: OpenApiRegistry, options: WebhookEndpointRoutesOptions): Router {
  const { sql, clock } = options;
  const router = Router();
  const tag = 'webhooks';

  /** The operator's rules for a URL: https (unless allowed), and no literal non-public address. */
  const checkUrl = (raw: string): string => {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) {
      throw new AppError('validation_failed', 'invalid body: url: must be an https:// URL');
    }
    if (url.username || url.password) {
      throw new AppError('validation_failed', 'invalid body: url: must not carry a user name or password');
    }
    try {
      checkLiteralHost(hostOf(url), options.allowPrivate);
    } catch (err) {
      if (err instanceof RefusedAddressError) {
        throw new AppError('validation_failed', `invalid body: url: ${err.message.replace(/^refused: /, '')}`);
      }
      throw err;
    }
    return url.toString();
  };
  const sealNew = (): { secret: string; sealed: string; last4: string } => {
    const secret = generateSecret();
    return { secret, sealed: requireSecretBox(options.box).seal(secret), last4: secret.slice(-4) };
  };
  const clientId = (req: Request) => requireClient(req).id;

  openapi.add({ method: 'get', path: '/webhook-endpoints', summary: 'Outgoing webhook endpoints', tag });
  router.get(
    '/webhook-endpoints',
    requirePermission('client:read'),
    route(async (req, res) => {
      res.json({ data: (await listEndpoints(sql, clientId(req))).map(endpointView) });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/webhook-endpoints',
    summary: 'Add an endpoint (its signing secret is in this answer only)',
    tag,
    body: createWebhookEndpointSchema,
    status: 201,
  });
  router.post(
    '/webhook-endpoints',
    requirePermission('client:update'),
    audited('webhook_endpoint.created'),
    route(async (req, res) => {
      const body = parseInput(createWebhookEndpointSchema, req.body, 'body');
      const url = checkUrl(body.url);
      const { secret, sealed, last4 } = sealNew();
      const row = await insertEndpoint(sql, {
        clientId: clientId(req),
        url,
        description: body.description,
        events: [...new Set(body.events)],
        secretSealed: sealed,
        secretLast4: last4,
        now: clock(),
      });
      const answer: WebhookEndpointWithSecret = { endpoint: endpointView(row), secret };
      res.status(201).json(answer);
    }),
  );

  openapi.add({ method: 'get', path: '/webhook-endpoints/:id', summary: 'One endpoint', tag });
  router.get(
    '/webhook-endpoints/:id',
    requirePermission('client:read'),
    route(async (req, res) => {
      const row = await getEndpoint(sql, clientId(req), parseId(req.params.id));
      if (!row) throw AppError.notFound('webhook endpoint');
      res.json(endpointView(row));
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/webhook-endpoints/:id',
    summary: 'Change an endpoint (URL, events, description, enabled)',
    tag,
    body: updateWebhookEndpointSchema,
    mergePatch: true,
  });
  router.patch(
    '/webhook-endpoints/:id',
    requirePermission('client:update'),
    audited('webhook_endpoint.updated'),
    route(async (req, res) => {
      const id = parseId(req.params.id);
      // Merged and validated under the row lock: two PATCHes at once keep each other's fields.
      const row = await sql.transaction(async (tx) => {
        const current = await getEndpoint(tx, clientId(req), id, { forUpdate: true });
        if (!current) throw AppError.notFound('webhook endpoint');
        const merged = mergePatch(
          updateWebhookEndpointSchema,
          { url: current.url, description: current.description, events: current.events, enabled: current.enabled },
          req.body,
          { emptyMessage: 'name at least one field to change' },
        );
        const url = merged.url === current.url ? current.url : checkUrl(merged.url);
        return updateEndpoint(
          tx,
          current,
          { url, description: merged.description, events: [...new Set(merged.events)], enabled: merged.enabled },
          clock(),
        );
      });
      res.json(endpointView(row));
    }),
  );

  openapi.add({ method: 'delete', path: '/webhook-endpoints/:id', summary: 'Remove an endpoint and its log', tag });
  router.delete(
    '/webhook-endpoints/:id',
    requirePermission('client:update'),
    audited('webhook_endpoint.deleted'),
    route(async (req, res) => {
      if (!(await deleteEndpoint(sql, clientId(req), parseId(req.params.id)))) {
        throw AppError.notFound('webhook endpoint');
      }
      res.json({ deleted: true });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/webhook-endpoints/:id/rotate-secret',
    summary: 'New signing secret (in this answer only; the old one stops at once)',
    tag,
  });
  router.post(
    '/webhook-endpoints/:id/rotate-secret',
    requirePermission('client:update'),
    audited('webhook_endpoint.secret_rotated'),
    route(async (req, res) => {
      const { secret, sealed, last4 } = sealNew();
      const row = await rotateEndpointSecret(sql, clientId(req), parseId(req.params.id), sealed, last4, clock());
      if (!row) throw AppError.notFound('webhook endpoint');
      const answer: WebhookEndpointWithSecret = { endpoint: endpointView(row), secret };
      res.json(answer);
    }),
  );

  openapi.add({
    method: 'post',
    path: '/webhook-endpoints/:id/test',
    summary: 'Send a signed webhook.test event',
    tag,
    status: 202,
  });
  router.post(
    '/webhook-endpoints/:id/test',
    requirePermission('client:update'),
    route(async (req, res) => {
      const row = await getEndpoint(sql, clientId(req), parseId(req.params.id));
      if (!row) throw AppError.notFound('webhook endpoint');
      if (!row.enabled) throw new AppError('conflict', 'the endpoint is disabled: enable it first');
      const deliveryId = await options.webhooks.sendTest(row.client_id, row.id);
      res.status(202).json({ deliveryId });
    }),
  );

  openapi.add({
    method: 'get',
    path: '/webhook-endpoints/:id/deliveries',
    summary: 'The delivery log of an endpoint, newest first, with each attempt',
    tag,
    query: listWebhookDeliveriesQuerySchema,
  });
  router.get(
    '/webhook-endpoints/:id/deliveries',
    requirePermission('client:read'),
    route(async (req, res) => {
      const query = parseInput(listWebhookDeliveriesQuerySchema, req.query, 'query');
      const row = await getEndpoint(sql, clientId(req), parseId(req.params.id));
      if (!row) throw AppError.notFound('webhook endpoint');
      res.json({ data: await listDeliveries(sql, row.client_id, { endpointId: row.id, limit: query.limit }) });
    }),
  );

  openapi.add({ method: 'get', path: '/webhook-deliveries/:id', summary: 'One delivery with its attempts', tag });
  router.get(
    '/webhook-deliveries/:id',
    requirePermission('client:read'),
    route(async (req, res) => {
      const [delivery] = await listDeliveries(sql, clientId(req), { deliveryId: parseId(req.params.id), limit: 1 });
      if (!delivery) throw AppError.notFound('webhook delivery');
      res.json(delivery);
    }),
  );

  openapi.add({
    method: 'post',
    path: '/webhook-deliveries/:id/replay',
    summary: 'Send a delivery again (same webhook-id, a fresh retry window)',
    tag,
    status: 202,
  });
  router.post(
    '/webhook-deliveries/:id/replay',
    requirePermission('client:update'),
    audited('webhook_delivery.replayed'),
    route(async (req, res) => {
      const outcome = await options.webhooks.replay(clientId(req), parseId(req.params.id));
      if (outcome === 'not_found') throw AppError.notFound('webhook delivery');
      if (outcome === 'disabled') throw new AppError('conflict', 'the endpoint is disabled: enable it first');
      if (outcome === 'busy') throw new AppError('conflict', 'an attempt of this delivery is in progress');
      res.status(202).json({ replayed: true });
    }),
  );

  return router;
}
