import { ApiError } from './api.js';

/**
 * Server validation errors shown next to the field they name. The server
 * answers a bad body with `details: [{ path, message }]` (paths such as
 * `config.hours.holidays.0.date`); a form keeps them and each field shows the
 * ones at its path or below it.
 */
export type FieldErrors = Array<{ path: string; message: string }>;

export function fieldErrorsOf(err: unknown): FieldErrors {
  return err instanceof ApiError ? err.details : [];
}

export function errorsAt(errors: FieldErrors, path: string): string[] {
  return errors.filter((e) => e.path === path || e.path.startsWith(`${path}.`)).map((e) => e.message);
}

export function FieldError({ errors, path }: { errors: FieldErrors; path: string }) {
  const messages = errorsAt(errors, path);
  if (messages.length === 0) return null;
  return (
    <span class="block text-xs text-rose-700" role="alert" data-field-error={path}>
      {messages.join('; ')}
    </span>
  );
}
