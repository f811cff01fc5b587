import { createHash } from 'node:crypto';
import express, { Router } from 'express';
import { z } from 'zod';
import type { ConversationCore } from '../../conversation/conversation-core.js';
import type { OutboundRegistry } from '../../conversation/outbound.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { normalizeEmail } from '../../leads/normalize-contact.js';
import type { RateLimiters } from '../../rate-limit/create-rate-limiters.js';
import { assertClientActive, findClientBySiteKey } from '../../tenants/tenant-service.js';

/** The hidden field a human never fills in; bots that fill every input do. */
export const HONEYPOT_FIELD = 'website_url';

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const webFormSchema = z
  .object({
    siteKey: z.string().min(3).max(64),
    name: text(200),
    email: text(254),
    phone: text(32),
    message: text(4000),
    service: text(200),
    /** The form's own id for the submission; a resubmission with it stores nothing new. */
    submissionId: text(100),
    [HONEYPOT_FIELD]: z.string().max(1000).optional(),
  })
  .refine((b) => b.email || b.phone, { message: 'an email or a phone number is required', path: ['email'] })
  .refine((b) => !b.email || normalizeEmail(b.email), { message: 'not a valid email address', path: ['email'] });

export interface WebFormRouteOptions {
  core: ConversationCore;
  outbound: OutboundRegistry;
  limits: RateLimiters;
  bodyLimit: string;
}

/**
 * `POST /webhooks/web-form`: a website's contact form, JSON or form-encoded,
 * keyed by the public site key (body, `x-site-key` header or `?siteKey=`).
 * Goes through the conversation core like a chat message; the follow-up goes
 * by email when an email sender is registered, otherwise the lead waits for
 * staff (and the response says which).
 */
export function webFormRoutes(options: WebFormRouteOptions): Router {
  const router = Router();
  router.post(
    '/webhooks/web-form',
    express.urlencoded({ extended: false, limit: options.bodyLimit }),
    express.json({ limit: options.bodyLimit }),
    route(async (req, res) => {
      const raw = typeof req.body === 'object' && req.body ? { ...req.body } : {};
      const headerKey = req.get('x-site-key');
      const queryKey = typeof req.query.siteKey === 'string' ? req.query.siteKey : undefined;
      raw.siteKey ??= headerKey ?? queryKey;
      const body = parseInput(webFormSchema, raw, 'form');

      const em = requireEm(req);
      const client = await findClientBySiteKey(em, body.siteKey);
      if (!client) throw new AppError('invalid_site_key', 'unknown site key');
      assertClientActive(client);
      const origin = req.get('origin');
      if (origin && !client.allowedOrigins.includes('*') && !client.allowedOrigins.includes(origin)) {
        throw new AppError('origin_not_allowed', 'this website is not allowed to use this site key');
      }
      await options.limits.consume([{ limiter: 'webForm', key: `${client.id}:${req.ip ?? 'unknown'}` }]);

      const emailFollowUp = options.outbound.has('web_form');
      const followUp = emailFollowUp ? 'email' : 'awaiting_staff';
      const thanks = emailFollowUp
        ? 'Thank you! We have received your message and will reply by email shortly.'
        : 'Thank you! We have received your message; a member of our team will contact you soon.';
      if (body[HONEYPOT_FIELD]) {
        // Looks accepted to the bot; nothing is stored.
        res.status(202).json({ ok: true, followUp, message: thanks });
        return;
      }

      const lines = [body.message ?? 'Web form submission without a message.'];
      if (body.service) lines.push(`Service: ${body.service}`);
      const externalId =
        body.submissionId ??
        createHash('sha256')
          .update(
            JSON.stringify([
              body.email,
              body.phone,
              body.name,
              body.message,
              body.service,
              new Date().toISOString().slice(0, 10),
            ]),
          )
          .digest('hex');
      const result = await options.core.receiveInbound({
        client,
        channel: 'web_form',
        contact: { name: body.name, email: body.email, phone: body.phone },
        externalId,
        content: lines.join('\n'),
        requestReply: emailFollowUp,
      });
      if (!result.duplicate && body.service && result.leadId) {
        await options.core.updateLead(client.id, result.leadId, { qualification: { serviceInterest: body.service } });
      }
      res.status(result.duplicate ? 200 : 201).json({
        ok: true,
        duplicate: result.duplicate,
        leadId: result.leadId,
        conversationId: result.conversation.id,
        messageId: result.message.id,
        followUp,
        message: thanks,
      });
    }),
  );
  return router;
}
