/**
 * Error codes every transport speaks (HTTP body, socket ack, job failure).
 * Messages shown to users are built where the error is raised; the code is the
 * stable part clients branch on.
 */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  /** The tenant's plan does not include this (a seat, a channel); an operator or super admin changes plans. */
  'plan_limit_reached',
  'invalid_transition',
  'client_paused',
  'origin_not_allowed',
  'invalid_site_key',
  'invalid_signature',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'service_unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Field-level details for validation errors. */
  details?: Array<{ path: string; message: string }>;
}

/** Shape of every failed HTTP response: `{ error: { code, message } }`. */
export interface ErrorResponse {
  error: ErrorBody;
}

/** Socket acknowledgement: `{ ok: true, data } | { ok: false, error }`. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
