/** Reports that prove the value (issue 17): response-time SLA and missed revenue, from a daily rollup. */
export { type Histogram, percentile, withinBound } from './histogram.js';
export { type RefreshResult, type ReportClient, refreshRollup } from './report-rollup.js';
export { ReportService, type ReportServiceOptions } from './report-service.js';
export { publicResponseTimeRoutes, reportsRoutes } from './reports-routes.js';
