import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import type { IClient } from '../../db/entities/index.js';
import type { Orm } from '../../db/orm.js';
import { AppError } from '../../errors/app-error.js';
import { requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import { findClientBySetting, findClientBySlugOrId } from '../find-client.js';
import { hashVerifyToken, storedSettings, whatsappCredentials } from '../settings/channel-settings.js';
import type { SecretBox } from '../settings/secret-box.js';
import { verifyMetaSignature } from './verify-signature.js';

export const WHATSAPP_QUEUE = 'whatsapp';
export const PROCESS_WEBHOOK_JOB = 'whatsapp.process-webhook';

export interface WhatsAppRouteOptions {
  orm: Orm;
  jobs: Jobs;
  box: SecretBox | null;
  logger: Logger;
  appSecret?: string;
  verifyToken?: string;
  bodyLimit: string;
}

/**
 * `GET /webhooks/whatsapp`: Meta's subscription check. `POST`: signed event
 * notifications. The signature is checked on the raw bytes before anything is
 * parsed; an accepted body is stored in `webhook_events` (identical
 * redeliveries collapse there) and handed to a job, and Meta gets its 200 at
 * once. Messages are deduplicated again by wamid in the conversation core.
 *
 * Which app secret: with `?client=<slug|id>` (a tenant that brought its own
 * Meta app) the tenant's secret, else the platform's `META_APP_SECRET`.
 */
export function whatsappRoutes(options: WhatsAppRouteOptions): Router {
  const router = Router();

  router.get(
    '/webhooks/whatsapp',
    route(async (req, res) => {
      const mode = req.query['hub.mode'];
      const token = req.query['hub.verify_token'];
      const challenge = req.query['hub.challenge'];
      if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || !challenge) {
        throw new AppError('forbidden', 'not a valid subscription request');
      }
      const em = requireEm(req);
      const ref = typeof req.query.client === 'string' ? req.query.client : undefined;
      let ok = false;
      if (ref) {
        const client = await findClientBySlugOrId(em, ref);
        const hash = client ? storedSettings(client).whatsapp?.verifyTokenHash : undefined;
        ok = Boolean(hash && safeEqual(hash, hashVerifyToken(token)));
      } else {
        ok = Boolean(options.verifyToken && safeEqual(options.verifyToken, token));
        if (!ok) ok = (await findClientBySetting(em, 'whatsapp', 'verifyTokenHash', hashVerifyToken(token))) !== null;
      }
      if (!ok) throw new AppError('forbidden', 'verify token does not match');
      res.type('text/plain').send(challenge);
    }),
  );

  router.post(
    '/webhooks/whatsapp',
    express.raw({ type: () => true, limit: options.bodyLimit }),
    route(async (req, res) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const ref = typeof req.query.client === 'string' ? req.query.client : undefined;
      let client: IClient | null = null;
      const secrets: string[] = [];
      if (ref) {
        client = await findClientBySlugOrId(requireEm(req), ref);
        if (!client) throw new AppError('invalid_signature', 'unknown client in webhook URL');
        const own = whatsappCredentials(client, options.box)?.appSecret;
        if (own) secrets.push(own);
      }
      if (options.appSecret) secrets.push(options.appSecret);
      if (!secrets.length) throw new AppError('invalid_signature', 'no app secret configured to verify this webhook');
      if (!verifyMetaSignature(raw, req.get('x-hub-signature-256'), secrets)) {
        throw new AppError('invalid_signature', 'X-Hub-Signature-256 is missing or does not match');
      }
      if (client && client.status !== 'active') throw new AppError('client_paused', 'this client is paused');

      const eventId = await storeWebhookEvent(options.orm, 'whatsapp', raw, client?.id ?? null);
      if (eventId) {
        await options.jobs.add(WHATSAPP_QUEUE, PROCESS_WEBHOOK_JOB, { eventId }, { jobId: `wa-event-${eventId}`, attempts: 5 });
      }
      res.status(200).json({ ok: true });
    }),
  );

  return router;
}

/**
 * Stores an accepted webhook once per identical body; returns its id while it
 * is still unprocessed (so a redelivery after a failed enqueue enqueues again
 * — the job id keeps that to one job), or null when it was processed already.
 */
export async function storeWebhookEvent(
  orm: Orm,
  provider: string,
  raw: Buffer,
  clientId: string | null,
): Promise<string | null> {
  const key = createHash('sha256').update(raw).digest('hex');
  const rows = await orm.em.getConnection().execute<{ id: string; processed_at: Date | null }[]>(
    `insert into webhook_events (provider, dedup_key, client_id, payload) values (?, ?, ?, ?)
     on conflict (provider, dedup_key) do update set provider = excluded.provider
     returning id, processed_at`,
    [provider, key, clientId, raw.toString('utf8')],
  );
  const row = rows[0];
  return row && !row.processed_at ? String(row.id) : null;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
