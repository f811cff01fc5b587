import type { Action } from '@leaddesk/shared';
import type { Request, RequestHandler } from 'express';
import type { RequestMeta } from '../audit/audit-log.js';
import { recordAudit } from '../audit/audit-log.js';
import type { AuthService, SessionMeta } from '../auth/auth-service.js';
import { assertPermission, type Principal, resolveCaller } from '../auth/principal.js';
import type { IUser } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { requireEm } from './api-key-auth.js';
import { route } from './async-handler.js';

export type { Principal } from '../auth/principal.js';
export { API_KEY_ROLE } from '../auth/principal.js';

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

/** Super admins choose the client they act for with this header. */
export const CLIENT_HEADER = 'x-client-id';

/**
 * `Authorization: Bearer ld_live_…` (tenant API key) or `Bearer <staff JWT>`
 * → req.principal and, when known, req.client. Refuses anything else with 401.
 */
export function authenticate(auth: AuthService): RequestHandler {
  return route(async (req, _res, next) => {
    const credential = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!credential) {
      throw new AppError('unauthorized', 'missing credentials: send Authorization: Bearer <API key or access token>');
    }
    const header = req.headers[CLIENT_HEADER];
    const { principal, client } = await resolveCaller(
      auth,
      requireEm(req),
      credential,
      typeof header === 'string' ? header : undefined,
    );
    // Always assign: Node's IncomingMessage already has a `client` property (the socket),
    // which must never pass for a tenant.
    req.client = client ?? undefined;
    req.principal = principal;
    next();
  });
}

/** Refuses the request unless the policy table lets the caller do `action` (see assertPermission). */
export function requirePermission(action: Action): RequestHandler {
  return (req, _res, next) => {
    if (!req.principal) throw new AppError('unauthorized', 'not authenticated');
    assertPermission(req.principal, req.client, action);
    next();
  };
}

/** The staff user behind the request, or 401 (API keys have no account). */
export function requireUser(req: Request): IUser {
  const user = req.principal?.user;
  if (!user) throw new AppError('unauthorized', 'this endpoint needs a staff access token, not an API key');
  return user;
}

export function requestMeta(req: Request): SessionMeta & RequestMeta {
  const device = typeof req.body?.device === 'string' ? req.body.device.slice(0, 200) : null;
  return { ip: req.ip ?? null, userAgent: req.get('user-agent')?.slice(0, 500) ?? null, device };
}

/**
 * Records an admin action in the audit log when it succeeds (2xx), with who
 * did it and from where, before the response leaves: an acknowledged action
 * always has its audit entry. Refused requests change nothing and are not
 * recorded here. Routes using it answer with res.json.
 */
export function audited(
  action: string,
  options: {
    target?: (req: Request) => string | undefined;
    clientIsTarget?: boolean;
    /** An action on an agency, not a client (issue 18): filed under no client, whichever one the caller selected. */
    agencyLevel?: boolean;
    /**
     * The agency the entry belongs to (GET /agency/audit lists it). Without it: the agency the handler put in
     * `auditMetadata.agencyId`, else, for an agency-level action, the caller's own agency.
     */
    agency?: (req: Request) => string | undefined;
  } = {},
): RequestHandler {
  return (req, res, next) => {
    const send = res.json.bind(res);
    res.json = ((body: unknown) => {
      if (res.statusCode >= 300) return send(body);
      const principal = req.principal;
      const meta = requestMeta(req);
      const target =
        options.target?.(req) ?? (typeof req.params.id === 'string' ? req.params.id : (req.client?.id ?? null));
      const metadata = res.locals.auditMetadata as Record<string, unknown> | undefined;
      const agencyId =
        options.agency?.(req) ??
        (typeof metadata?.agencyId === 'string' ? metadata.agencyId : undefined) ??
        (options.agencyLevel ? principal?.agencyId : undefined) ??
        null;
      recordAudit(requireEm(req), {
        action,
        actor: principal?.kind ?? 'anonymous',
        // Actions on a client (by a super admin) are filed under that client, so its admins see them.
        clientId:
          options.agencyLevel || options.agency ? null : ((options.clientIsTarget ? target : req.client?.id) ?? null),
        agencyId,
        userId: principal?.userId ?? null,
        target,
        // What the handler adds (res.locals.auditMetadata): e.g. the agency an agency-level action concerns.
        metadata,
        ip: meta.ip,
        userAgent: meta.userAgent,
      }).then(
        () => send(body),
        (err: Error) => {
          // The action happened; its result (maybe a key shown once) must still reach the caller.
          req.log?.error({ err: { message: err.message }, action }, 'audit write failed');
          send(body);
        },
      );
      return res;
    }) as typeof res.json;
    next();
  };
}
