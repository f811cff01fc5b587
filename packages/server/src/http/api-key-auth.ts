import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';
import type { IClient } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { findClientByApiKey } from '../tenants/tenant-service.js';
import { route } from './async-handler.js';

declare global {
  namespace Express {
    interface Request {
      /** The tenant the request acts for; every query in a tenant route filters by it. */
      client?: IClient;
      /** A request-scoped entity manager (identity map per request). */
      em?: EntityManager;
    }
  }
}

/** `Authorization: Bearer ld_live_…` → req.client, or 401. A paused client is refused. */
export function apiKeyAuth(): RequestHandler {
  return route(async (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new AppError('unauthorized', 'missing API key: send Authorization: Bearer <api key>');
    const client = await findClientByApiKey(requireEm(req), match[1]);
    if (!client) throw new AppError('unauthorized', 'invalid API key');
    if (client.status !== 'active') throw new AppError('client_paused', 'this client is paused');
    req.client = client;
    next();
  });
}

export function requireEm(req: { em?: EntityManager }): EntityManager {
  if (!req.em) throw new Error('request entity manager missing');
  return req.em;
}

export function requireClient(req: { client?: IClient }): IClient {
  if (!req.client) throw new AppError('unauthorized', 'not authenticated');
  return req.client;
}
