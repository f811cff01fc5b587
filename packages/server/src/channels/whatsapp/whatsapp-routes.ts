import { timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import type { Config } from '../../config/config.js';
import type { IClient } from '../../db/entities/index.js';
import { AppError } from '../../errors/app-error.js';
import { requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requirePlanChannel } from '../../plans/plan-limits.js';
import { findClientBySetting, findClientBySlugOrId } from '../find-client.js';
import { hashVerifyToken, storedSettings, whatsappCredentials } from '../settings/channel-settings.js';
import type { SecretBox } from '../settings/secret-box.js';
import type { WebhookInbox } from '../webhook-inbox.js';
import { verifyMetaSignature } from './verify-signature.js';

export interface WhatsAppRouteOptions {
  inbox: WebhookInbox;
  box: SecretBox | null;
  appSecret?: string;
  verifyToken?: string;
  bodyLimit: string;
  /** Per plan, whether WhatsApp is included (a tenant named in the URL may be on the platform's Meta app). */
  plans: Config['plans'];
}

/**
 * `GET /webhooks/whatsapp`: Meta's subscription check. `POST`: signed event
 * notifications. The signature is checked on the raw bytes before anything is
 * parsed; an accepted body is stored in `webhook_events` (identical
 * redeliveries collapse there) before Meta gets its 200, and a drain job
 * processes it (see WebhookInbox). Messages are deduplicated again by wamid in the conversation core.
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
      // Refused before it is accepted (Meta is told, nothing is stored): a plan without WhatsApp.
      if (client) requirePlanChannel(options, client, 'whatsapp');

      if (await options.inbox.store(raw, client?.id ?? null)) options.inbox.kick();
      res.status(200).json({ ok: true });
    }),
  );

  return router;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
