/** Review capture (issue 14): one tracked review request per lead after an appointment or a won deal. */
export { REVIEW_JOB, REVIEW_QUEUE, ReviewCapture, type ReviewJob } from './review-capture.js';
export { reviewRedirectRoutes } from './review-redirect-routes.js';
