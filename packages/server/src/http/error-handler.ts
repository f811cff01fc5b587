import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, toErrorBody } from '../errors/app-error.js';

/** The one HTTP translator for errors: `{ error: { code, message } }`, no stack traces. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const bodyParserError = translateBodyParserError(err);
    const { status, body, expected } = toErrorBody(bodyParserError ?? err);
    if (!expected) logger.error({ err, reqId: (req as { id?: unknown }).id }, 'unhandled error');
    if (res.headersSent) return;
    res.status(status).json({ error: body });
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `no route for ${req.method} ${req.path}`));
};

function translateBodyParserError(err: unknown): AppError | undefined {
  if (!err || typeof err !== 'object' || err instanceof AppError) return undefined;
  if (!('type' in err)) return translateClientHttpError(err);
  switch ((err as { type: string }).type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'request body is too large');
    case 'entity.parse.failed':
      return new AppError('bad_request', 'request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'unsupported body encoding');
    default:
      return translateClientHttpError(err);
  }
}

/**
 * Other 4xx errors Express's own layers raise are the caller's fault, not
 * ours: answered as such, not as 500. The router marks a malformed `%` escape
 * in a path parameter with `status` 400 on a URIError; http-errors set
 * `expose` on messages safe to show.
 */
function translateClientHttpError(err: object): AppError | undefined {
  const { status, expose, message } = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (err instanceof URIError) return new AppError('bad_request', 'the URL has a malformed percent-encoding');
  if (expose !== true) return undefined;
  const text = typeof message === 'string' && message ? message.slice(0, 200) : 'bad request';
  if (status === 413) return new AppError('payload_too_large', text);
  if (status === 415) return new AppError('unsupported_media_type', text);
  return new AppError('bad_request', text);
}
