/** Data retention (issue 14): delete or anonymise what is past the tenant's retention period. */

export { retentionRoutes } from './retention-routes.js';
export { RETENTION_JOB, RETENTION_QUEUE, type RetentionJob, RetentionService } from './retention-service.js';
