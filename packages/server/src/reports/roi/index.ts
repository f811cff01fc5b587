/** The ROI report and each report as CSV (issue 17; docs/reports.md). */
export { aiSpend } from './ai-spend.js';
export { proratedCost } from './plan-cost.js';
export { roiReportRoutes } from './roi-routes.js';
export { RoiService, type RoiServiceOptions } from './roi-service.js';
