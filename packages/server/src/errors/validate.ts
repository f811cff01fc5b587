import type { z } from 'zod';
import { AppError } from './app-error.js';

/** Parses input with a shared schema; a failure becomes a 400 naming every bad field. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown, what = 'request'): z.infer<S> {
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
