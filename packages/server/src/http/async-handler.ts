import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * An async route or middleware whose failure always reaches `next`. Express 5
 * forwards a rejected promise itself, but only when Express made the call: a
 * middleware run by hand (one route reusing another's check) would otherwise
 * leave an unhandled rejection and a request that never answers.
 */
export function route(fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {
  return (req, res, next) => fn(req, res, next).catch(next);
}

/**
 * Runs a middleware from inside a route: resolves when it calls `next()`,
 * rejects when it calls `next(err)`, throws, or returns a rejected promise.
 */
export function runMiddleware(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const next: NextFunction = (err?: unknown) =>
      err && err !== 'route' && err !== 'router' ? reject(err) : resolve();
    try {
      const result: unknown = middleware(req, res, next);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, reject);
      }
    } catch (err) {
      reject(err);
    }
  });
}
