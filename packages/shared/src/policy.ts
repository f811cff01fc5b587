import type { Role } from './enums.js';

/**
 * The one role policy: every REST route and every staff socket event names an
 * action from this table, and `can(role, action)` is the only question the
 * server asks. It lives in shared so the dashboard hides what the server would
 * refuse anyway (the server stays the authority).
 *
 * `tenant` actions act on one client's data (super_admin and agency staff must
 * select a client); `platform` actions act across clients; `agency` actions act
 * on the caller's own agency (issue 18) and need an agency account: client staff
 * and API keys get 403, and super admins reach agencies through the platform
 * routes (`/admin/agencies…`, `clients:manage`) instead, so the agency actions do
 * not list super_admin.
 */
const ALL: readonly Role[] = ['super_admin', 'admin', 'manager', 'agent', 'viewer'];
const STAFF: readonly Role[] = ['super_admin', 'admin', 'manager', 'agent'];
const MANAGERS: readonly Role[] = ['super_admin', 'admin', 'manager'];
const ADMINS: readonly Role[] = ['super_admin', 'admin'];
const PLATFORM: readonly Role[] = ['super_admin'];
const AGENCY_ALL: readonly Role[] = ['admin', 'manager', 'agent', 'viewer'];
const AGENCY_MANAGERS: readonly Role[] = ['admin', 'manager'];
const AGENCY_ADMINS: readonly Role[] = ['admin'];

export const POLICY = {
  // Leads
  'leads:read': { roles: ALL, scope: 'tenant' },
  'leads:update': { roles: STAFF, scope: 'tenant' },
  // Privacy (issue 18): a lead's data as a download (one lead as JSON, or the client list as CSV),
  // and its erasure everywhere
  'leads:export': { roles: MANAGERS, scope: 'tenant' },
  'leads:erase': { roles: ADMINS, scope: 'tenant' },
  // Conversations and messages
  'conversations:read': { roles: ALL, scope: 'tenant' },
  'conversations:takeover': { roles: STAFF, scope: 'tenant' },
  'conversations:assign': { roles: MANAGERS, scope: 'tenant' },
  'messages:send': { roles: STAFF, scope: 'tenant' },
  'notes:create': { roles: STAFF, scope: 'tenant' },
  'suggestions:request': { roles: STAFF, scope: 'tenant' },
  // Escalations
  'escalations:read': { roles: ALL, scope: 'tenant' },
  'escalations:resolve': { roles: STAFF, scope: 'tenant' },
  // Knowledge and analytics
  'knowledge:read': { roles: ALL, scope: 'tenant' },
  'knowledge:manage': { roles: MANAGERS, scope: 'tenant' },
  'analytics:read': { roles: MANAGERS, scope: 'tenant' },
  // The client's own profile, settings and keys
  'client:read': { roles: ALL, scope: 'tenant' },
  'client:update': { roles: ADMINS, scope: 'tenant' },
  'client:rotate_keys': { roles: ADMINS, scope: 'tenant' },
  // Staff accounts and the audit trail
  'users:read': { roles: MANAGERS, scope: 'tenant' },
  'users:invite': { roles: ADMINS, scope: 'tenant' },
  'users:manage': { roles: ADMINS, scope: 'tenant' },
  'audit:read': { roles: ADMINS, scope: 'tenant' },
  // Across clients
  'clients:manage': { roles: PLATFORM, scope: 'platform' },
  // The caller's own agency (issue 18): the agency and its clients (the switcher), the side-by-side overview
  // (usage, budget and plan of every client), and its administration (new clients, agency staff)
  'agency:read': { roles: AGENCY_ALL, scope: 'agency' },
  'agency:reports': { roles: AGENCY_MANAGERS, scope: 'agency' },
  'agency:manage': { roles: AGENCY_ADMINS, scope: 'agency' },
} as const satisfies Record<string, { roles: readonly Role[]; scope: 'tenant' | 'platform' | 'agency' }>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

export function can(role: Role, action: Action): boolean {
  return (POLICY[action].roles as readonly Role[]).includes(role);
}
