import { stripUnstorableText } from '@leaddesk/shared';
import express, { type Request, Router } from 'express';
import type { ConversationCore } from '../../conversation/conversation-core.js';
import type { IClient } from '../../db/entities/index.js';
import { AppError } from '../../errors/app-error.js';
import { requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { normalizePhone } from '../../leads/normalize-contact.js';
import type { Logger } from '../../logger.js';
import { findClientBySetting, findClientBySlugOrId } from '../find-client.js';
import type { OutboundDelivery } from '../outbound/outbound-delivery.js';
import { twilioCredentials } from '../settings/channel-settings.js';
import type { SecretBox } from '../settings/secret-box.js';
import { param, parseForm, publicRequestUrl, type TwilioParams, verifyTwilioSignature } from './twilio-signature.js';

export interface SmsRouteOptions {
  core: ConversationCore;
  delivery: OutboundDelivery;
  box: SecretBox | null;
  logger: Logger;
  publicUrl: string | undefined;
  bodyLimit: string;
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Twilio's SMS webhooks: `POST /webhooks/sms` (an inbound message) and
 * `POST /webhooks/sms/status` (delivery statuses of what we sent). The tenant
 * comes from `?client=<slug|id>` or the number the message was sent to; the
 * signature is checked with that tenant's auth token before anything is read.
 */
export function smsRoutes(options: SmsRouteOptions): Router {
  const router = Router();
  const form = express.raw({ type: 'application/x-www-form-urlencoded', limit: options.bodyLimit });

  const verified = async (
    req: Request,
    ourNumber: 'To' | 'From',
  ): Promise<{ client: IClient; params: TwilioParams }> => {
    if (!Buffer.isBuffer(req.body))
      throw new AppError('unsupported_media_type', 'expected application/x-www-form-urlencoded');
    const params = parseForm(req.body);
    const em = requireEm(req);
    const ref = typeof req.query.client === 'string' ? req.query.client : undefined;
    // Inbound messages are sent To our number; status reports are about messages From it.
    const to = normalizePhone(param(params, ourNumber));
    const client = ref
      ? await findClientBySlugOrId(em, ref)
      : to
        ? await findClientBySetting(em, 'twilio', 'phoneNumber', to)
        : null;
    const creds = client ? twilioCredentials(client, options.box) : null;
    if (!client || !creds) throw new AppError('invalid_signature', 'no Twilio account is connected for this number');
    if (
      !verifyTwilioSignature(
        creds.authToken,
        req.get('x-twilio-signature'),
        publicRequestUrl(req, options.publicUrl),
        params,
      )
    ) {
      throw new AppError('invalid_signature', 'X-Twilio-Signature is missing or does not match');
    }
    // Signed by Twilio, so ours to keep: characters PostgreSQL cannot store are dropped, not the message.
    return { client, params: stripUnstorableText(params) };
  };

  router.post(
    '/webhooks/sms',
    form,
    route(async (req, res) => {
      const { client, params } = await verified(req, 'To');
      const from = param(params, 'From');
      const sid = param(params, 'MessageSid') ?? param(params, 'SmsSid');
      // Already storable: a signed SMS is Twilio's word, its U+0000 dropped (see verified()).
      const body = param(params, 'Body') ?? '';
      if (!from || !sid) throw new AppError('validation_failed', 'From and MessageSid are required');
      const media = Array.from({ length: Math.min(10, Number(param(params, 'NumMedia') ?? 0) || 0) }, (_, i) => ({
        kind: 'file' as const,
        url: param(params, `MediaUrl${i}`),
        mimeType: param(params, `MediaContentType${i}`),
      })).filter((m) => m.url);
      await options.core.receiveInbound({
        client,
        channel: 'sms',
        contact: { phone: from },
        externalId: sid,
        content: body,
        attachments: media,
      });
      res.type('text/xml').send(EMPTY_TWIML);
    }),
  );

  router.post(
    '/webhooks/sms/status',
    form,
    route(async (req, res) => {
      const { client, params } = await verified(req, 'From');
      const sid = param(params, 'MessageSid');
      const status = param(params, 'MessageStatus');
      const state =
        status === 'sent'
          ? 'sent'
          : status === 'delivered'
            ? 'delivered'
            : status === 'read'
              ? 'read'
              : status === 'failed' || status === 'undelivered'
                ? 'failed'
                : null;
      if (sid && state) {
        const code = param(params, 'ErrorCode');
        await options.delivery.applyStatus(
          client.id,
          'sms',
          sid,
          state,
          state === 'failed'
            ? { code: code ? Number(code) : undefined, message: `Twilio reported the SMS ${status}` }
            : null,
        );
      }
      res.type('text/xml').send(EMPTY_TWIML);
    }),
  );

  return router;
}
