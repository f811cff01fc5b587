import type { ErrorRequestHandler } from 'express';
import { toErrorBody } from '../errors/app-error.js';

/** What the app needs of the Sentry SDK. */
export interface ErrorReporter {
  captureException(err: unknown, hint?: { tags?: Record<string, string> }): string;
}

/**
 * instrument.ts runs before the app loads (node --import) and is a bundle of its own, so it
 * hands the initialised SDK over on a global instead of a module variable; the app never
 * imports Sentry when SENTRY_DSN is unset.
 */
const REPORTER = Symbol.for('leaddesk.errorReporter');

export function setErrorReporter(reporter: ErrorReporter | undefined): void {
  (globalThis as { [REPORTER]?: ErrorReporter })[REPORTER] = reporter;
}

export function errorReporter(): ErrorReporter | undefined {
  return (globalThis as { [REPORTER]?: ErrorReporter })[REPORTER];
}

/**
 * Sends unexpected route errors (the ones answered "internal error") to Sentry when it is
 * set up. Errors that are the caller's (an AppError, or a 4xx that Express's own layers
 * raise, such as a body that is not JSON) are not reported.
 */
export function reportUnexpectedErrors(): ErrorRequestHandler {
  return (err, req, _res, next) => {
    const reporter = errorReporter();
    if (reporter && !toErrorBody(err).expected && !isClientError(err)) {
      reporter.captureException(err, { tags: { route: routeOf(req) } });
    }
    next(err);
  };
}

function isClientError(err: unknown): boolean {
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function routeOf(req: { baseUrl: string; route?: { path?: unknown } }): string {
  return typeof req.route?.path === 'string' ? `${req.baseUrl}${req.route.path}` : req.baseUrl || 'unmatched';
}
