import { findUnstorableText } from '@leaddesk/shared';
import type { z } from 'zod';
import { AppError } from './app-error.js';

/**
 * Parses input with a shared schema; a failure becomes a 400 naming every bad
 * field. HTTP routes and socket handlers all come through here, so it is also
 * where text PostgreSQL cannot store (U+0000, unpaired surrogates) is refused:
 * checked on the raw input, keys and unknown fields included, before the
 * schema runs (see packages/shared/src/storable-text.ts).
 */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  assertStorableText(input, what);
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
  throw new AppError(
    'validation_failed',
    `invalid ${what}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
    details,
  );
}

/** 400 when any string (or key) in `input` cannot be stored by PostgreSQL. */
export function assertStorableText(input: unknown, what = 'request'): void {
  const bad = findUnstorableText(input);
  if (bad) {
    throw new AppError('validation_failed', `invalid ${what}: ${bad.path}: ${bad.message}`, [
      { path: bad.path, message: bad.message },
    ]);
  }
}
