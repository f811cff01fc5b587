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
  if (!err || typeof err !== 'object' || !('type' in err)) return undefined;
  switch ((err as { type: string }).type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'request body is too large');
    case 'entity.parse.failed':
      return new AppError('bad_request', 'request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'unsupported body encoding');
    default:
      return undefined;
  }
}
