import {
  type Branding,
  brandDomainInputSchema,
  brandDomainSchema,
  brandDomainTakeoverSchema,
  brandHostSchema,
  brandingSchema,
  type EffectiveBranding,
} from '@leaddesk/shared';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.js';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';
import { requireClient, requireEm } from '../http/api-key-auth.js';
import { route } from '../http/async-handler.js';
import { audited, requirePermission } from '../http/authenticate.js';
import { isJsonObject, requirePatchObject } from '../http/merge-patch.js';
import type { OpenApiRegistry } from '../http/openapi.js';
import type { BrandDomains } from './brand-domains.js';
import type { BrandingService } from './branding-service.js';
import type { BrandOwner } from './branding-store.js';

const TAG = 'branding';
/** The calling agency's routes are agency staff's (tagged so), not a client's role × action. */
const tagOf = (path: string) => (path.startsWith('/agency/') ? 'agency' : TAG);
const domainList = z.object({ data: z.array(brandDomainSchema) });
const oneDomain = z.object({ data: brandDomainSchema });
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Public: what the dashboard of this Host looks like (no sender address: only what a page shows). */
export function publicBrandingRoutes(openapi: OpenApiRegistry, branding: BrandingService): Router {
  const router = Router();
  openapi.add({
    method: 'get',
    path: '/branding',
    summary: 'The branding of the host this request was sent to (product name, logo, colours, support link)',
    tag: 'meta',
    auth: 'none',
  });
  router.get(
    '/branding',
    route(async (req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.json(publicView((await branding.forHost(req.get('host'))).branding));
    }),
  );
  return router;
}

export function publicView(b: EffectiveBranding) {
  return {
    productName: b.productName,
    logoUrl: b.logoUrl,
    faviconUrl: b.faviconUrl,
    primaryColor: b.primaryColor,
    accentColor: b.accentColor,
    supportUrl: b.supportUrl ?? null,
  };
}

/**
 * Branding and brand domains of the calling client (client admins), of the calling agency (its admins) and of
 * any agency (super admins). The stored document is the override only; `effective` is what people see.
 */
/**
 * `reservedHosts`: the deployment's own hosts (PUBLIC_URL's). No tenant may claim one as a brand domain: its
 * branding would then greet every user of the platform's own dashboard, a phishing page for one tenant's price.
 */
export function brandingRoutes(
  openapi: OpenApiRegistry,
  branding: BrandingService,
  domains: BrandDomains,
  reservedHosts: readonly string[] = [],
): Router {
  const router = Router();
  const reserved = new Set(reservedHosts.map((h) => h.toLowerCase()));
  const { store } = branding;

  // --- The client's own -------------------------------------------------------------------------------
  openapi.add({
    method: 'get',
    path: '/client/branding',
    summary: "The client's branding override and the effective branding",
    tag: TAG,
  });
  router.get(
    '/client/branding',
    requirePermission('client:read'),
    route(async (req, res) => {
      res.json(await view(branding, domains, { clientId: requireClient(req).id, agencyId: null }));
    }),
  );
  openapi.add({
    method: 'patch',
    path: '/client/branding',
    summary: "Change the client's branding (merge patch: only the fields sent change, null inherits again)",
    tag: TAG,
    body: brandingSchema,
    mergePatch: true,
  });
  router.patch(
    '/client/branding',
    requirePermission('client:update'),
    audited('client.branding_updated'),
    route(async (req, res) => {
      const owner = { clientId: requireClient(req).id, agencyId: null };
      const layers = await store.clientLayers(owner.clientId);
      const next = patchBranding(layers?.client, req.body);
      await store.setClientBranding(owner.clientId, next);
      branding.forget();
      res.json(await view(branding, domains, owner));
    }),
  );
  domainRoutes(router, openapi, domains, reserved, '/client/brand-domains', 'client', (req) => ({
    clientId: requireClient(req).id,
    agencyId: null,
  }));

  // --- The calling agency's (agency admins) -----------------------------------------------------------
  const agencyAdmin = (req: Request): BrandOwner => {
    const principal = req.principal;
    if (!principal) throw new AppError('unauthorized', 'not authenticated');
    if (!principal.agencyId) throw new AppError('forbidden', 'this account belongs to no agency');
    if (principal.role !== 'admin')
      throw new AppError('forbidden', `the ${principal.role} role may not manage branding`);
    return { agencyId: principal.agencyId, clientId: null };
  };
  agencyBrandingRoutes(router, openapi, branding, domains, '/agency/branding', 'the calling agency', agencyAdmin);
  domainRoutes(router, openapi, domains, reserved, '/agency/brand-domains', 'agency', agencyAdmin);

  // --- Any agency's (super admins) --------------------------------------------------------------------
  const anyAgency = (req: Request): BrandOwner => {
    const principal = req.principal;
    if (!principal) throw new AppError('unauthorized', 'not authenticated');
    if (principal.role !== 'super_admin')
      throw new AppError('forbidden', `the ${principal.role} role may not do clients:manage`);
    const id = String(req.params.id);
    if (!uuid.test(id)) throw AppError.notFound('agency');
    return { agencyId: id.toLowerCase(), clientId: null };
  };
  agencyBrandingRoutes(router, openapi, branding, domains, '/admin/agencies/:id/branding', 'an agency', anyAgency);
  domainRoutes(router, openapi, domains, reserved, '/admin/agencies/:id/brand-domains', 'agency', anyAgency);
  return router;
}

function agencyBrandingRoutes(
  router: Router,
  openapi: OpenApiRegistry,
  branding: BrandingService,
  domains: BrandDomains,
  path: string,
  whose: string,
  owner: (req: Request) => BrandOwner,
): void {
  openapi.add({ method: 'get', path, summary: `The branding of ${whose}`, tag: tagOf(path) });
  router.get(
    path,
    route(async (req, res) => {
      const o = owner(req);
      if ((await branding.store.agencyBranding(o.agencyId as string)) === null) throw AppError.notFound('agency');
      res.json(await view(branding, domains, o));
    }),
  );
  openapi.add({
    method: 'patch',
    path,
    summary: `Change the branding of ${whose} (merge patch: only the fields sent change, null removes)`,
    tag: tagOf(path),
    body: brandingSchema,
    mergePatch: true,
  });
  router.patch(
    path,
    audited('agency.branding_updated', {
      target: (req) => owner(req).agencyId ?? undefined,
      agency: (req) => owner(req).agencyId ?? undefined,
    }),
    route(async (req, res) => {
      const o = owner(req);
      const agencyId = o.agencyId as string;
      const current = await branding.store.agencyBranding(agencyId);
      if (current === null) throw AppError.notFound('agency');
      const next = patchBranding(current, req.body);
      if (!(await branding.store.setAgencyBranding(agencyId, next))) throw AppError.notFound('agency');
      branding.forget();
      res.json(await view(branding, domains, o));
    }),
  );
}

function domainRoutes(
  router: Router,
  openapi: OpenApiRegistry,
  domains: BrandDomains,
  reserved: ReadonlySet<string>,
  path: string,
  kind: 'client' | 'agency',
  owner: (req: Request) => BrandOwner,
): void {
  const { store } = domains.branding;
  const guard = kind === 'client' ? [requirePermission('client:read')] : [];
  const write = kind === 'client' ? [requirePermission('client:update')] : [];
  const agencyExists = async (o: BrandOwner) => {
    if (o.agencyId && (await store.agencyBranding(o.agencyId)) === null) throw AppError.notFound('agency');
  };
  openapi.add({
    method: 'get',
    path,
    summary: `The ${kind}'s brand domains (hosts serving its dashboard once verified), with the TXT record each needs`,
    tag: tagOf(path),
    response: domainList,
  });
  router.get(
    path,
    ...guard,
    route(async (req, res) => {
      const o = owner(req);
      await agencyExists(o);
      res.json({ data: await domains.list(o) });
    }),
  );
  openapi.add({
    method: 'post',
    path,
    summary: `Claim a host for the ${kind}'s branded dashboard: pending until its DNS TXT record is verified`,
    tag: tagOf(path),
    body: brandDomainInputSchema,
    status: 201,
    response: domainList,
  });
  // Agency-level entries name their agency (GET /agency/audit); a client's are filed under the client.
  const audit = (action: string) =>
    audited(`${kind}.${action}`, {
      target: (req) => (owner(req).agencyId ?? owner(req).clientId) || undefined,
      ...(kind === 'agency' ? { agency: (req: Request) => owner(req).agencyId ?? undefined } : {}),
    });
  router.post(
    path,
    ...write,
    audit('brand_domain_added'),
    route(async (req, res) => {
      const o = owner(req);
      const { host } = parseInput(brandDomainInputSchema, req.body, 'body');
      await agencyExists(o);
      if (reserved.has(host)) throw new AppError('conflict', `${host} is this deployment's own host`);
      if (!(await domains.claim(host, o))) {
        // The holder may be a squatter, or the previous owner of a host that was sold: whoever controls its DNS
        // can move it here (below), so a claim never blocks the real owner.
        throw new AppError(
          'conflict',
          `${host} is already a brand domain; if its DNS is yours, GET ${path}/${host}/take-over says which TXT record moves it here`,
        );
      }
      res.status(201).json({ data: await domains.list(o) });
    }),
  );
  openapi.add({
    method: 'post',
    path: `${path}/:host/verify`,
    summary: `Look up a pending ${kind} brand domain's TXT record now: verified when it holds the value, else still pending with the reason`,
    tag: tagOf(path),
    response: oneDomain,
  });
  router.post(
    `${path}/:host/verify`,
    ...write,
    audit('brand_domain_verify_requested'),
    route(async (req, res) => {
      const o = owner(req);
      const host = brandHostSchema.safeParse(req.params.host);
      const row = host.success ? await domains.verify(host.data, o) : null;
      if (!row) throw AppError.notFound('brand domain');
      res.locals.auditMetadata = { host: row.host, status: row.status };
      res.json({ data: domains.toDto(row) });
    }),
  );
  openapi.add({
    method: 'get',
    path: `${path}/:host/take-over`,
    summary: `The TXT record that moves a host another tenant holds (pending or verified) to the ${kind}`,
    tag: tagOf(path),
    response: z.object({ data: brandDomainTakeoverSchema }),
  });
  const hostParam = (req: Request) => {
    const host = brandHostSchema.safeParse(req.params.host);
    if (!host.success) throw new AppError('validation_failed', 'not a host name (lower case, at least one dot)');
    if (reserved.has(host.data)) throw new AppError('conflict', `${host.data} is this deployment's own host`);
    return host.data;
  };
  const notHeld = (host: string, state: 'free' | 'own') =>
    state === 'own'
      ? new AppError('conflict', `${host} is already this ${kind}'s brand domain`)
      : new AppError('not_found', `${host} is nobody's brand domain: claim it with POST ${path}`);
  router.get(
    `${path}/:host/take-over`,
    ...write,
    route(async (req, res) => {
      const o = owner(req);
      await agencyExists(o);
      const host = hostParam(req);
      const found = await domains.takeoverRecord(host, o);
      if (found.state !== 'held') throw notHeld(host, found.state);
      res.json({ data: { host, verification: found.record } });
    }),
  );
  openapi.add({
    method: 'post',
    path: `${path}/:host/take-over`,
    summary: `Move a host another tenant holds to the ${kind}, once the take-over TXT record is published: verified at once`,
    tag: tagOf(path),
    response: oneDomain,
  });
  router.post(
    `${path}/:host/take-over`,
    ...write,
    audit('brand_domain_taken_over'),
    route(async (req, res) => {
      const o = owner(req);
      await agencyExists(o);
      const host = hostParam(req);
      const moved = await domains.takeOver(host, o);
      if (moved.state === 'free' || moved.state === 'own') throw notHeld(host, moved.state);
      if (moved.state === 'changed') {
        throw new AppError('conflict', `${host} changed hands meanwhile; look at GET ${path}/${host}/take-over again`);
      }
      if (moved.state === 'unproven') {
        throw new AppError(moved.lookupFailed ? 'service_unavailable' : 'conflict', moved.reason);
      }
      // The former owner's trail says the host left (not to whom: another tenant's name is not theirs to see).
      const from = moved.from.owner;
      await recordAudit(requireEm(req), {
        action: `${from.agencyId ? 'agency' : 'client'}.brand_domain_moved_away`,
        actor: 'system',
        clientId: from.clientId,
        agencyId: from.agencyId,
        target: from.agencyId ?? from.clientId,
        metadata: { host, status: moved.from.status },
      });
      res.locals.auditMetadata = { host, previousStatus: moved.from.status };
      res.json({ data: domains.toDto(moved.row) });
    }),
  );
  openapi.add({
    method: 'delete',
    path: `${path}/:host`,
    summary: `Stop serving the ${kind}'s brand on a host (or drop a pending claim)`,
    tag: tagOf(path),
  });
  router.delete(
    `${path}/:host`,
    ...write,
    audit('brand_domain_removed'),
    route(async (req, res) => {
      const o = owner(req);
      const host = brandHostSchema.safeParse(req.params.host);
      if (!host.success || !(await store.removeDomain(host.data, o))) throw AppError.notFound('brand domain');
      domains.branding.forget();
      res.json({ data: await domains.list(o) });
    }),
  );
}

/** One-level merge patch (poweredBy is replaced whole), validated whole: a bad field is a 400 and nothing changes. */
export function patchBranding(current: unknown, body: unknown): Branding {
  const patch = requirePatchObject(body, { what: 'branding', emptyMessage: 'name at least one field to change' });
  const merged: Record<string, unknown> = isJsonObject(current) ? { ...current } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return parseInput(brandingSchema, merged, 'branding');
}

async function view(branding: BrandingService, domains: BrandDomains, owner: BrandOwner) {
  const own = owner.clientId
    ? (await branding.store.clientLayers(owner.clientId))?.client
    : await branding.store.agencyBranding(owner.agencyId as string);
  const effective = owner.clientId
    ? await branding.forClient(owner.clientId)
    : await branding.forAgency(owner.agencyId);
  const parsed = brandingSchema.safeParse(own ?? {});
  return {
    branding: parsed.success ? parsed.data : {},
    effective,
    domains: await domains.list(owner),
  };
}
