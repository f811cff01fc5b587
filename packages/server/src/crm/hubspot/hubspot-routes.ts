import { type CrmSyncDto, type HubSpotSettingsView, hubspotSettingsSchema } from '@leaddesk/shared';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { lastFour } from '../../channels/settings/channel-settings.js';
import { requireSecretBox, type SecretBox } from '../../channels/settings/secret-box.js';
import type { IClient } from '../../db/entities/index.js';
import type { Sql } from '../../db/sql.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requirePermission } from '../../http/authenticate.js';
import { mergePatch, requirePatchObject } from '../../http/merge-patch.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import { parseId } from '../../http/routes/leads.js';
import {
  hubspotSettingsView,
  loadStoredHubSpot,
  PROVIDER,
  recordUrl,
  type StoredHubSpotSettings,
} from './hubspot-connection.js';
import type { HubSpotSync } from './hubspot-sync.js';

export interface HubSpotRoutesOptions {
  sql: Sql;
  box: SecretBox | null;
  sync: HubSpotSync;
  /** PUBLIC_URL; without it the webhook URL is built from the request's own origin. */
  publicUrl?: string;
}

const resyncSchema = z.object({ all: z.boolean().default(false) });

/**
 * `/api/v1/crm/hubspot`: the tenant's HubSpot connection (token and client
 * secret write-only), "test connection", the backlog re-sync; and each lead's
 * sync state at `/api/v1/leads/:id/crm`.
 */
export function hubspotRoutes(openapi: OpenApiRegistry, options: HubSpotRoutesOptions): Router {
  const { sql, box, sync } = options;
  const router = Router();
  const view = async (req: Request, client: IClient): Promise<HubSpotSettingsView> => {
    const base = options.publicUrl ?? `${req.protocol}://${req.get('host')}`;
    return hubspotSettingsView(await loadStoredHubSpot(sql, client.id), {
      webhookUrl: `${base}/webhooks/hubspot?client=${encodeURIComponent(client.slug)}`,
      secretsStorable: box !== null,
    });
  };

  openapi.add({
    method: 'get',
    path: '/crm/hubspot',
    summary: 'HubSpot connection (secrets as set/last 4)',
    tag: 'crm',
  });
  router.get(
    '/crm/hubspot',
    requirePermission('client:read'),
    route(async (req, res) => {
      res.json(await view(req, requireClient(req)));
    }),
  );

  for (const method of ['patch', 'put'] as const) {
    openapi.add({
      method,
      path: '/crm/hubspot',
      summary: method === 'patch' ? 'Connect HubSpot or change its mappings' : 'Same as PATCH',
      tag: 'crm',
      body: hubspotSettingsSchema,
      mergePatch: true,
    });
    router[method](
      '/crm/hubspot',
      requirePermission('client:update'),
      route(async (req, res) => {
        const sealer = requireSecretBox(box);
        const patch = requirePatchObject(req.body);
        const client = requireClient(req);
        const tokenChanged = await sql.transaction(async (tx) => {
          const old = (await loadStoredHubSpot(tx, client.id, { lock: true }))?.settings;
          const current = old
            ? {
                ...(old.portalId ? { portalId: old.portalId } : {}),
                pipelineId: old.pipelineId,
                stageMapping: old.stageMapping,
                propertyMapping: old.propertyMapping,
                enabled: old.enabled,
              }
            : {};
          const body = mergePatch(hubspotSettingsSchema, current, patch, {
            writeOnly: ['accessToken', 'clientSecret'],
          });
          if (!body.accessToken && !old) throw new AppError('validation_failed', 'invalid body: accessToken: required');
          const clientSecret = body.clientSecret ?? undefined;
          const next: StoredHubSpotSettings = {
            accessToken: body.accessToken ? sealer.seal(body.accessToken) : (old?.accessToken as string),
            clientSecret: clientSecret
              ? sealer.seal(clientSecret)
              : body.clientSecret === null
                ? undefined
                : old?.clientSecret,
            hints: {
              accessToken: body.accessToken ? lastFour(body.accessToken) : (old?.hints.accessToken as string),
              clientSecret: clientSecret
                ? lastFour(clientSecret)
                : body.clientSecret === null
                  ? undefined
                  : old?.hints.clientSecret,
            },
            portalId: body.portalId ?? undefined,
            pipelineId: body.pipelineId,
            stageMapping: body.stageMapping,
            propertyMapping: body.propertyMapping,
            enabled: body.enabled,
          };
          const changedToken = Boolean(body.accessToken);
          const mappingChanged = JSON.stringify(old?.propertyMapping ?? {}) !== JSON.stringify(next.propertyMapping);
          // A new token may be another HubSpot account, new property names need creating: prepare again.
          await tx.query(
            `insert into crm_connections (client_id, provider, settings, created_at, updated_at)
             values (?, ?, ?::jsonb, now(), now())
             on conflict (client_id, provider) do update set settings = excluded.settings, updated_at = now(),
               properties_ready_at = case when ? then null else crm_connections.properties_ready_at end`,
            [client.id, PROVIDER, JSON.stringify(next), changedToken || mappingChanged],
          );
          return changedToken || mappingChanged;
        });
        if (tokenChanged) await sync.enqueuePrepare(client.id);
        res.json(await view(req, client));
      }),
    );
  }

  openapi.add({ method: 'delete', path: '/crm/hubspot', summary: 'Disconnect HubSpot', tag: 'crm' });
  router.delete(
    '/crm/hubspot',
    requirePermission('client:update'),
    route(async (req, res) => {
      const client = requireClient(req);
      await sql.query('delete from crm_connections where client_id = ? and provider = ?', [client.id, PROVIDER]);
      res.json(await view(req, client));
    }),
  );

  openapi.add({ method: 'post', path: '/crm/hubspot/test', summary: 'Test the HubSpot connection', tag: 'crm' });
  router.post(
    '/crm/hubspot/test',
    requirePermission('client:update'),
    route(async (req, res) => {
      res.json(await sync.test(requireClient(req).id));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/crm/hubspot/resync',
    summary: "Re-sync the tenant's backlog (leads not synced; `all`: every lead)",
    tag: 'crm',
    body: resyncSchema,
  });
  router.post(
    '/crm/hubspot/resync',
    requirePermission('client:update'),
    route(async (req, res) => {
      const body = parseInput(resyncSchema, req.body ?? {}, 'body');
      const client = requireClient(req);
      const connected = await loadStoredHubSpot(sql, client.id);
      if (!connected) throw new AppError('conflict', 'HubSpot is not connected');
      const queued = await sync.store.requestBacklog(client.id, body.all);
      await sync.enqueueSweep(client.id);
      res.status(202).json({ queued });
    }),
  );

  openapi.add({ method: 'get', path: '/leads/:id/crm', summary: "A lead's CRM sync state", tag: 'leads' });
  router.get(
    '/leads/:id/crm',
    requirePermission('leads:read'),
    route(async (req, res) => {
      res.json(await syncState(req, parseId(req.params.id)));
    }),
  );

  openapi.add({ method: 'post', path: '/leads/:id/crm/sync', summary: 'Sync a lead to the CRM now', tag: 'leads' });
  router.post(
    '/leads/:id/crm/sync',
    requirePermission('leads:update'),
    route(async (req, res) => {
      const client = requireClient(req);
      const leadId = parseId(req.params.id);
      await syncState(req, leadId);
      if (!(await loadStoredHubSpot(sql, client.id))) throw new AppError('conflict', 'HubSpot is not connected');
      await sync.request(client.id, leadId, { force: true });
      res.status(202).json(await syncState(req, leadId));
    }),
  );

  const syncState = async (req: Request, leadId: string): Promise<CrmSyncDto> => {
    const client = requireClient(req);
    const lead = await sql.query('select 1 from leads where id = ? and client_id = ?', [leadId, client.id]);
    if (!lead.length) throw AppError.notFound('lead');
    const row = await sync.store.get(client.id, leadId);
    const portalId = (await loadStoredHubSpot(sql, client.id))?.settings.portalId ?? null;
    return {
      provider: 'hubspot',
      state: row?.state ?? 'not_synced',
      error: row?.error ?? null,
      contactId: row?.contact_id ?? null,
      dealId: row?.deal_id ?? null,
      contactUrl: recordUrl(portalId, '0-1', row?.contact_id ?? null),
      dealUrl: recordUrl(portalId, '0-3', row?.deal_id ?? null),
      requestedAt: row?.requested_at ? new Date(row.requested_at).toISOString() : null,
      syncedAt: row?.synced_at ? new Date(row.synced_at).toISOString() : null,
    };
  };

  return router;
}
