import { clientConfigSchema } from '@leaddesk/shared';
import { Router } from 'express';
import { z } from 'zod';
import type { BrandingService } from '../../branding/branding-service.js';
import { Client } from '../../db/entities/index.js';
import { updateLocked } from '../../db/update-locked.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import {
  chatPausedError,
  clientToDto,
  findClientBySiteKey,
  normaliseOrigins,
  rotateApiKey,
  rotateSiteKey,
} from '../../tenants/tenant-service.js';
import { requireClient, requireEm } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { audited, requirePermission } from '../authenticate.js';
import { mergePatch, requirePatchObject } from '../merge-patch.js';
import type { OpenApiRegistry } from '../openapi.js';

/** The client's editable profile, whole; `PATCH /client` is a merge patch of it. */
const clientProfileSchema = z.object({
  name: z.string().min(1).max(200),
  timezone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone'),
  locale: z
    .string()
    .min(2)
    .max(16)
    .refine((l) => {
      try {
        return Intl.getCanonicalLocales(l).length === 1;
      } catch {
        return false;
      }
    }, 'not a BCP 47 locale (e.g. en, es-MX)'),
  allowedOrigins: z.array(z.string().min(1).max(300)).max(50),
  config: clientConfigSchema,
});

/** The calling tenant's own profile and keys. */
export function clientRoutes(openapi: OpenApiRegistry): Router {
  const router = Router();

  openapi.add({
    method: 'get',
    path: '/client',
    summary: "The calling client's profile, configuration and usage",
    tag: 'client',
  });
  router.get('/client', requirePermission('client:read'), (req, res) => {
    res.json(clientToDto(requireClient(req)));
  });

  openapi.add({
    method: 'patch',
    path: '/client',
    summary:
      'Update profile, allowed origins or configuration (JSON Merge Patch: only the fields sent change, arrays are replaced whole, null removes an optional field)',
    tag: 'client',
    body: clientProfileSchema,
    mergePatch: true,
  });
  router.patch(
    '/client',
    requirePermission('client:update'),
    audited('client.updated'),
    route(async (req, res) => {
      const patch = requirePatchObject(req.body);
      const updated = await updateLocked(requireEm(req), Client, { id: requireClient(req).id }, (client) => {
        const current = {
          name: client.name,
          timezone: client.timezone,
          locale: client.locale,
          allowedOrigins: client.allowedOrigins,
          config: client.config,
        };
        const next = mergePatch(clientProfileSchema, current, patch);
        client.name = next.name;
        client.timezone = next.timezone;
        client.locale = next.locale;
        client.allowedOrigins = normaliseOrigins(next.allowedOrigins);
        client.config = next.config;
      });
      if (!updated) throw AppError.notFound('client');
      res.json(clientToDto(updated.row));
    }),
  );

  openapi.add({
    method: 'post',
    path: '/client/api-key/rotate',
    summary: 'Issue a new API key (shown once); the old one stops working at once',
    tag: 'client',
    response: z.object({ apiKey: z.string() }),
  });
  router.post(
    '/client/api-key/rotate',
    requirePermission('client:rotate_keys'),
    audited('client.api_key_rotated'),
    route(async (req, res) => {
      const apiKey = await rotateApiKey(requireEm(req), requireClient(req));
      res.json({ apiKey });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/client/site-key/rotate',
    summary: 'Issue a new public widget site key',
    tag: 'client',
    response: z.object({ siteKey: z.string() }),
  });
  router.post(
    '/client/site-key/rotate',
    requirePermission('client:rotate_keys'),
    audited('client.site_key_rotated'),
    route(async (req, res) => {
      const siteKey = await rotateSiteKey(requireEm(req), requireClient(req));
      res.json({ siteKey });
    }),
  );

  return router;
}

const widgetConfigQuery = z.object({ siteKey: z.string().min(3).max(64) });

/** Public: what the widget needs to draw itself. Keyed by the public site key. */
export function publicWidgetRoutes(openapi: OpenApiRegistry, branding: BrandingService): Router {
  const router = Router();
  openapi.add({
    method: 'get',
    path: '/widget/config',
    summary: 'Public widget appearance for a site key',
    tag: 'widget',
    auth: 'none',
    query: widgetConfigQuery,
  });
  router.get(
    '/widget/config',
    route(async (req, res) => {
      const { siteKey } = parseInput(widgetConfigQuery, req.query, 'query');
      const client = await findClientBySiteKey(requireEm(req), siteKey);
      if (!client) throw new AppError('invalid_site_key', 'unknown site key');
      if (client.status !== 'active') throw chatPausedError();
      // "Powered by": the widget settings' own choice (hidden, or a label or link), else the client's brand's
      // (its agency's, else the deployment's "Powered by <product>"); docs/white-label.md.
      const brand = await branding.forClient(client.id);
      const own = client.config.widget.poweredBy;
      const poweredBy = own?.hidden || own?.label || own?.url ? own : brand.poweredBy;
      res.json({
        businessName: client.name,
        locale: client.locale,
        widget: { ...client.config.widget, poweredBy },
        productName: brand.productName,
      });
    }),
  );
  return router;
}
