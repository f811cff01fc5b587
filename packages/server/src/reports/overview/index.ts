/** The agency overview: every client's reports side by side, for super admins (issue 17; docs/reports.md). */
export { overviewRoutes, sendOverviewCsv } from './overview-routes.js';
export { type OverviewScope, OverviewService, type OverviewServiceOptions, sortRows } from './overview-service.js';
