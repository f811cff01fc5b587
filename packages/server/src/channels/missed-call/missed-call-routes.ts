import { createHmac, timingSafeEqual } from 'node:crypto';
import { stripUnstorableText } from '@leaddesk/shared';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config/config.js';
import type { ConversationCore } from '../../conversation/conversation-core.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requirePlanChannel } from '../../plans/plan-limits.js';
import { findClientBySlugOrId } from '../find-client.js';
import type { OutboundDelivery } from '../outbound/outbound-delivery.js';
import { telephonySecret, twilioCredentials } from '../settings/channel-settings.js';
import type { SecretBox } from '../settings/secret-box.js';
import { param, parseForm, publicRequestUrl, verifyTwilioSignature } from '../sms/twilio-signature.js';
import { handleMissedCall } from './handle-missed-call.js';

export const MISSED_STATUSES = ['no-answer', 'busy', 'failed', 'canceled'] as const;

/** The generic form for other telephony providers, signed with `X-Signature-256: sha256=<hex HMAC of the body>`. */
export const genericMissedCallSchema = z.object({
  callId: z.string().trim().min(1).max(200),
  from: z.string().trim().min(3).max(40),
  to: z.string().trim().max(40).optional(),
  status: z.enum([...MISSED_STATUSES, 'missed', 'completed', 'answered', 'ringing', 'in-progress']),
});

export interface MissedCallRouteOptions {
  core: ConversationCore;
  delivery: OutboundDelivery;
  box: SecretBox | null;
  publicUrl: string | undefined;
  telephonySecret?: string;
  bodyLimit: string;
  /** Per plan, whether missed calls are included. */
  plans: Config['plans'];
}

/**
 * `POST /webhooks/missed-call?client=<slug|id>`:
 * - Twilio voice status callbacks and <Dial> action requests (form-encoded,
 *   `X-Twilio-Signature` with the tenant's auth token). `CallStatus` (or
 *   `DialCallStatus` for the <Dial> action) no-answer, busy, failed or
 *   canceled is a missed call; other statuses are acknowledged and ignored.
 * - JSON from any other provider, signed with an HMAC-SHA256 header.
 */
export function missedCallRoutes(options: MissedCallRouteOptions): Router {
  const router = Router();
  router.post(
    '/webhooks/missed-call',
    express.raw({ type: () => true, limit: options.bodyLimit }),
    route(async (req, res) => {
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const client = await findClientBySlugOrId(
        requireEm(req),
        typeof req.query.client === 'string' ? req.query.client : undefined,
      );
      if (!client)
        throw new AppError('invalid_signature', 'unknown client: add ?client=<slug or id> to the webhook URL');

      if (req.is('application/x-www-form-urlencoded')) {
        const signed = parseForm(raw);
        const creds = twilioCredentials(client, options.box);
        const url = publicRequestUrl(req, options.publicUrl);
        if (!creds || !verifyTwilioSignature(creds.authToken, req.get('x-twilio-signature'), url, signed)) {
          throw new AppError('invalid_signature', 'X-Twilio-Signature is missing or does not match');
        }
        // Signed provider data: characters PostgreSQL cannot store are dropped, not the call.
        const params = stripUnstorableText(signed);
        if (client.status !== 'active') throw new AppError('client_paused', 'this client is paused');
        requirePlanChannel(options, client, 'voice');
        const dial = param(params, 'DialCallStatus');
        const status = dial ?? param(params, 'CallStatus') ?? '';
        // The lead is the caller, except on calls the business placed (outbound-api), where it is the callee.
        const direction = param(params, 'Direction') ?? 'inbound';
        const from = direction === 'outbound-api' ? param(params, 'To') : param(params, 'From');
        const callId = param(params, 'ParentCallSid') ?? param(params, 'CallSid');
        if (!(MISSED_STATUSES as readonly string[]).includes(status) || !from || !callId) {
          res.json({ ok: true, handled: false });
          return;
        }
        const result = await handleMissedCall(options, client, { callId, from, status, provider: 'twilio' });
        res.json({ ok: true, handled: true, ...result });
        return;
      }

      const secret = telephonySecret(client, options.box) ?? options.telephonySecret;
      if (!secret || !verifyHmac(raw, req.get('x-signature-256'), secret)) {
        throw new AppError('invalid_signature', 'X-Signature-256 is missing or does not match');
      }
      if (client.status !== 'active') throw new AppError('client_paused', 'this client is paused');
      requirePlanChannel(options, client, 'voice');
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new AppError('bad_request', 'body is not JSON');
      }
      const body = parseInput(genericMissedCallSchema, stripUnstorableText(json), 'body');
      if (!['missed', ...MISSED_STATUSES].includes(body.status)) {
        res.json({ ok: true, handled: false });
        return;
      }
      const result = await handleMissedCall(options, client, {
        callId: body.callId,
        from: body.from,
        status: body.status,
        provider: 'generic',
      });
      res.json({ ok: true, handled: true, ...result });
    }),
  );
  return router;
}

export function signGenericBody(raw: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
}

function verifyHmac(raw: Buffer, header: string | undefined, secret: string): boolean {
  if (!header?.startsWith('sha256=') || header.length !== 71) return false;
  const given = Buffer.from(header.slice(7), 'hex');
  const expected = createHmac('sha256', secret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
