/** Staff digests (issue 14): daily or weekly figures by email at the tenant's local time. */
export { type DigestFigures, digestFigures } from './digest-figures.js';
export { DIGEST_JOB, DIGEST_QUEUE, type DigestJob, DigestService } from './digest-service.js';
export { renderDigest } from './render-digest.js';
