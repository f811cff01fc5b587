import type { ErrorBody, ErrorCode } from '@leaddesk/shared';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_signature: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  invalid_site_key: 401,
  client_paused: 423,
  not_found: 404,
  conflict: 409,
  plan_limit_reached: 403,
  invalid_transition: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
};

/**
 * The one error type the server raises on purpose. `message` is safe to show
 * to the caller; anything else that escapes is logged and shown as "internal
 * error". Each transport (HTTP, socket ack, job) translates it in one place.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorBody['details'],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS_BY_CODE[code];
  }

  toBody(): ErrorBody {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }

  static notFound(what: string): AppError {
    return new AppError('not_found', `${what} not found`);
  }
}

/** Turns anything thrown into a body safe to send; unknown errors become "internal error". */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody; expected: boolean } {
  if (err instanceof AppError) return { status: err.status, body: err.toBody(), expected: true };
  return { status: 500, body: { code: 'internal', message: 'internal error' }, expected: false };
}
