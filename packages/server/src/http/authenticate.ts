import { type Action, can, POLICY, type Role } from '@leaddesk/shared';
import type { Request, RequestHandler } from 'express';
import type { RequestMeta } from '../audit/audit-log.js';
import { recordAudit } from '../audit/audit-log.js';
import type { AuthService, SessionMeta } from '../auth/auth-service.js';
import type { IUser } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { findClientByApiKey } from '../tenants/tenant-service.js';
import { requireEm } from './api-key-auth.js';

/**
 * Who is calling. A tenant API key acts as an integration with the fixed role
 * `admin` of its own client; a staff JWT acts with the user's current role.
 */
export interface Principal {
  kind: 'api_key' | 'user';
  role: Role;
  userId?: string;
  sessionId?: string;
  /** The login (refresh-token family) this access token belongs to. */
  familyId?: string;
  user?: IUser;
}

declare global {
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

/** The role a tenant API key acts with (see docs/auth.md). */
export const API_KEY_ROLE: Role = 'admin';
/** Super admins choose the client they act for with this header. */
export const CLIENT_HEADER = 'x-client-id';

/**
 * `Authorization: Bearer ld_live_…` (tenant API key) or `Bearer <staff JWT>`
 * → req.principal and, when known, req.client. Refuses anything else with 401.
 */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const credential = match?.[1];
    if (!credential) {
      throw new AppError('unauthorized', 'missing credentials: send Authorization: Bearer <API key or access token>');
    }
    const em = requireEm(req);
    if (credential.startsWith('ld_')) {
      const client = await findClientByApiKey(em, credential);
      if (!client) throw new AppError('unauthorized', 'invalid API key');
      if (client.status !== 'active') throw new AppError('client_paused', 'this client is paused');
      req.client = client;
      req.principal = { kind: 'api_key', role: API_KEY_ROLE };
      return next();
    }
    const found = await auth.authenticateAccessToken(em, credential);
    if (!found) throw new AppError('unauthorized', 'invalid or expired access token');
    const header = req.headers[CLIENT_HEADER];
    const client = await auth.clientFor(em, found.user, typeof header === 'string' ? header : undefined);
    // Always assign: Node's IncomingMessage already has a `client` property (the socket),
    // which must never pass for a tenant.
    req.client = client ?? undefined;
    req.principal = {
      kind: 'user',
      role: found.user.role,
      userId: found.user.id,
      sessionId: found.session.id,
      familyId: found.session.familyId,
      user: found.user,
    };
    next();
  };
}

/**
 * Refuses the request unless the policy table lets the caller's role do
 * `action`. Tenant actions also need a selected, active client (super admins
 * may act on a paused one).
 */
export function requirePermission(action: Action): RequestHandler {
  return (req, _res, next) => {
    const principal = req.principal;
    if (!principal) throw new AppError('unauthorized', 'not authenticated');
    if (!can(principal.role, action)) {
      throw new AppError('forbidden', `the ${principal.role} role may not do ${action}`);
    }
    if (POLICY[action].scope === 'tenant') {
      if (!req.client) {
        if (principal.role === 'super_admin') {
          throw new AppError('bad_request', 'select the client to act for with the X-Client-Id header');
        }
        throw new AppError('forbidden', 'this account belongs to no client');
      }
      if (req.client.status !== 'active' && principal.role !== 'super_admin') {
        throw new AppError('client_paused', 'this client is paused');
      }
    }
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
  options: { target?: (req: Request) => string | undefined; clientIsTarget?: boolean } = {},
): RequestHandler {
  return (req, res, next) => {
    const send = res.json.bind(res);
    res.json = ((body: unknown) => {
      if (res.statusCode >= 300) return send(body);
      const principal = req.principal;
      const meta = requestMeta(req);
      const target =
        options.target?.(req) ?? (typeof req.params.id === 'string' ? req.params.id : (req.client?.id ?? null));
      recordAudit(requireEm(req), {
        action,
        actor: principal?.kind ?? 'anonymous',
        // Actions on a client (by a super admin) are filed under that client, so its admins see them.
        clientId: (options.clientIsTarget ? target : req.client?.id) ?? null,
        userId: principal?.userId ?? null,
        target,
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
