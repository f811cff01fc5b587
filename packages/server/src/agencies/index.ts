/** Agencies (issue 18; docs/agencies.md): resellers that own clients, their staff and their overview. */
export { adminAgencyRoutes } from './admin-agency-routes.js';
export { agencyRoutes } from './agency-routes.js';
export { agencyClientToDto, agencyToDto, createAgency, findAgency } from './agency-service.js';
