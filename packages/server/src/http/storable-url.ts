import { findUnstorableText } from '@leaddesk/shared';
import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';

/**
 * Refuses a request whose path or query string decodes to text PostgreSQL
 * cannot store (`%00`, see packages/shared/src/storable-text.ts), before any
 * route reads `req.params` or `req.query`: a route that looks an id or a
 * search term up must never reach the database with it. Bodies are checked
 * by `parseInput`.
 */
export function refuseUnstorableUrl(): RequestHandler {
  return (req, _res, next) => {
    let path: string | null = null;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      // Malformed escapes: the router answers 400 itself when it decodes a parameter.
    }
    if (path?.includes('\u0000')) {
      throw new AppError('bad_request', 'the URL path contains the NUL character (%00), which cannot be stored');
    }
    const bad = findUnstorableText(req.query);
    if (bad) {
      throw new AppError('validation_failed', `invalid query: ${bad.path}: ${bad.message}`, [
        { path: bad.path, message: bad.message },
      ]);
    }
    next();
  };
}
