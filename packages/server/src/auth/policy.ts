/**
 * The role policy, for server code: the table itself lives in
 * packages/shared/src/policy.ts (the dashboard reads it too). REST routes use
 * `requirePermission(action)`; the staff socket calls `assertPermission` (or
 * `can`) per event with the principal from `resolveCaller`.
 */
export { ACTIONS, type Action, can, POLICY } from '@leaddesk/shared';
export { API_KEY_ROLE, assertPermission, type Principal, resolveCaller } from './principal.js';
