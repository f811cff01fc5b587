/** Issue 17's lead scoring report and per-tenant conversion model (docs/reports.md). */
export { ConversionModels, LAMBDA } from './conversion-model.js';
export { bucketOf, FEATURES, featureVector, type LeadFacts } from './lead-facts.js';
export { auc, crossValidate, fitLogistic, predict } from './logistic-regression.js';
export { CONVERSION_FIT_JOB, type ConversionFitJob, queueNightlyRefits, REPORTS_QUEUE } from './nightly-refit.js';
export { scoringReport } from './scoring-report.js';
export { scoringRoutes } from './scoring-routes.js';
