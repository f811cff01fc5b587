import { type Action, can, POLICY, type Role } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { IClient, IUser } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { findClientByApiKey } from '../tenants/tenant-service.js';
import { type AuthService, agencyIdOf } from './auth-service.js';

/**
 * Who is calling, for any transport (REST, the staff socket). A tenant API key
 * acts as an integration with the fixed role `admin` of its own client; a staff
 * JWT acts with the user's current role, for the user's client (super admins
 * choose one per request or connection).
 */
export interface Principal {
  kind: 'api_key' | 'user';
  role: Role;
  userId?: string;
  sessionId?: string;
  /** The login (refresh-token family) this access token belongs to. */
  familyId?: string;
  user?: IUser;
  /** Agency staff: the agency whose clients they may select (issue 18). */
  agencyId?: string;
}

/** The role a tenant API key acts with (see docs/auth.md). */
export const API_KEY_ROLE: Role = 'admin';

export interface ResolvedCaller {
  principal: Principal;
  client: IClient | null;
}

/**
 * A bearer credential (`ld_live_…` API key or a staff access token) → who is
 * calling and for which client. Throws 401 for anything unknown, 423 for a
 * paused client's API key, 403/404 for a client the caller may not choose.
 */
export async function resolveCaller(
  auth: AuthService,
  em: EntityManager,
  credential: string,
  requestedClientId?: string,
): Promise<ResolvedCaller> {
  if (credential.startsWith('ld_')) {
    const client = await findClientByApiKey(em, credential);
    if (!client) throw new AppError('unauthorized', 'invalid API key');
    if (client.status !== 'active') throw new AppError('client_paused', 'this client is paused');
    return { principal: { kind: 'api_key', role: API_KEY_ROLE }, client };
  }
  const found = await auth.authenticateAccessToken(em, credential);
  if (!found) throw new AppError('unauthorized', 'invalid or expired access token');
  const client = await auth.clientFor(em, found.user, requestedClientId);
  return {
    principal: {
      kind: 'user',
      role: found.user.role,
      userId: found.user.id,
      sessionId: found.session.id,
      familyId: found.session.familyId,
      user: found.user,
      agencyId: agencyIdOf(found.user) ?? undefined,
    },
    client,
  };
}

/**
 * The one permission check: the policy table must let the role do `action`;
 * tenant actions also need a selected, active client (super admins may act on
 * a paused one); agency actions need an agency account (they act on its own
 * agency, never on one named in the request). Throws the AppError each transport translates.
 */
export function assertPermission(principal: Principal, client: IClient | null | undefined, action: Action): void {
  if (!can(principal.role, action)) {
    throw new AppError('forbidden', `the ${principal.role} role may not do ${action}`);
  }
  const scope = POLICY[action].scope;
  if (scope === 'agency') {
    // The caller's own agency only: client staff and API keys have none (super admins use /admin/agencies).
    if (!principal.agencyId) throw new AppError('forbidden', 'this account belongs to no agency');
    return;
  }
  if (scope !== 'tenant') return;
  if (!client) {
    if (principal.role === 'super_admin' || principal.agencyId) {
      throw new AppError('bad_request', 'select the client to act for with the X-Client-Id header');
    }
    throw new AppError('forbidden', 'this account belongs to no client');
  }
  if (client.status !== 'active' && principal.role !== 'super_admin') {
    throw new AppError('client_paused', 'this client is paused');
  }
}
