import {
  type ChannelSettingsView,
  emailSettingsSchema,
  telephonySettingsSchema,
  twilioSettingsSchema,
  whatsappSettingsSchema,
} from '@leaddesk/shared';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { type Request, Router } from 'express';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient, requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requirePermission } from '../../http/authenticate.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import { normalizePhone } from '../../leads/normalize-contact.js';
import {
  channelSettingsView,
  hashVerifyToken,
  lastFour,
  type StoredChannelSettings,
  storedSettings,
} from './channel-settings.js';
import { requireSecretBox, type SecretBox } from './secret-box.js';

export interface ChannelSettingsRoutesOptions {
  /** PUBLIC_URL; without it the webhook URLs are built from the request's own origin. */
  publicUrl?: string;
  /** What the operator configured for every tenant (shown, never the values). */
  platform: Omit<ChannelSettingsView['setup']['platform'], 'secretsStorable'>;
}

/**
 * `/api/v1/channels`: the tenant's channel credentials. Secrets go in,
 * never out: responses show whether each is set and its last 4 characters,
 * with the webhook URLs to paste into Meta's and Twilio's consoles.
 */
export function channelSettingsRoutes(
  openapi: OpenApiRegistry,
  box: SecretBox | null,
  options: ChannelSettingsRoutesOptions,
): Router {
  const router = Router();
  const view = (req: Request): ChannelSettingsView => {
    const client = requireClient(req);
    const base = options.publicUrl ?? `${req.protocol}://${req.get('host')}`;
    // The slug names the tenant in webhook URLs: its own app secret and Twilio token verify them.
    const tenant = `client=${encodeURIComponent(client.slug)}`;
    return {
      ...channelSettingsView(client),
      setup: {
        webhooks: {
          whatsapp: `${base}/webhooks/whatsapp?${tenant}`,
          sms: `${base}/webhooks/sms?${tenant}`,
          missedCall: `${base}/webhooks/missed-call?${tenant}`,
        },
        platform: { ...options.platform, secretsStorable: box !== null },
      },
    };
  };

  openapi.add({
    method: 'get',
    path: '/channels',
    summary: 'Channel settings (secrets shown as set/last 4)',
    tag: 'channels',
  });
  router.get('/channels', requirePermission('client:read'), (req, res) => {
    res.json(view(req));
  });

  const save = async (req: Request, next: StoredChannelSettings) => {
    const em = requireEm(req);
    const client = requireClient(req);
    client.channelSettings = next as Record<string, unknown>;
    try {
      await em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new AppError('conflict', 'this number is already connected to another client');
      }
      throw err;
    }
    return view(req);
  };

  openapi.add({
    method: 'put',
    path: '/channels/whatsapp',
    summary: 'Connect WhatsApp Cloud API',
    tag: 'channels',
    body: whatsappSettingsSchema,
  });
  router.put(
    '/channels/whatsapp',
    requirePermission('client:update'),
    route(async (req, res) => {
      const body = parseInput(whatsappSettingsSchema, req.body, 'body');
      const sealer = requireSecretBox(box);
      const current = storedSettings(requireClient(req));
      const old = current.whatsapp;
      if (!body.accessToken && !old) throw new AppError('validation_failed', 'invalid body: accessToken: required');
      const appSecret = body.appSecret === null ? undefined : body.appSecret;
      const verifyToken = body.verifyToken === null ? undefined : body.verifyToken;
      const template = body.followUpTemplate === null ? undefined : (body.followUpTemplate ?? old?.followUpTemplate);
      const next: StoredChannelSettings = {
        ...current,
        whatsapp: {
          phoneNumberId: body.phoneNumberId,
          accessToken: body.accessToken ? sealer.seal(body.accessToken) : (old?.accessToken as string),
          appSecret: appSecret ? sealer.seal(appSecret) : body.appSecret === null ? undefined : old?.appSecret,
          verifyTokenHash: verifyToken
            ? hashVerifyToken(verifyToken)
            : body.verifyToken === null
              ? undefined
              : old?.verifyTokenHash,
          followUpTemplate: template,
          hints: {
            accessToken: body.accessToken ? lastFour(body.accessToken) : (old?.hints.accessToken as string),
            appSecret: appSecret ? lastFour(appSecret) : body.appSecret === null ? undefined : old?.hints.appSecret,
            verifyToken: verifyToken
              ? lastFour(verifyToken)
              : body.verifyToken === null
                ? undefined
                : old?.hints.verifyToken,
          },
        },
      };
      res.json(await save(req, next));
    }),
  );

  openapi.add({
    method: 'put',
    path: '/channels/twilio',
    summary: 'Connect Twilio (SMS and missed calls)',
    tag: 'channels',
    body: twilioSettingsSchema,
  });
  router.put(
    '/channels/twilio',
    requirePermission('client:update'),
    route(async (req, res) => {
      const body = parseInput(twilioSettingsSchema, req.body, 'body');
      const sealer = requireSecretBox(box);
      const client = requireClient(req);
      const current = storedSettings(client);
      const old = current.twilio;
      if (!body.authToken && !old) throw new AppError('validation_failed', 'invalid body: authToken: required');
      const phone = normalizePhone(body.phoneNumber);
      if (!phone) throw new AppError('validation_failed', 'invalid body: phoneNumber: not a phone number in E.164');
      const next: StoredChannelSettings = {
        ...current,
        twilio: {
          accountSid: body.accountSid,
          authToken: body.authToken ? sealer.seal(body.authToken) : (old?.authToken as string),
          phoneNumber: phone,
          hints: { authToken: body.authToken ? lastFour(body.authToken) : (old?.hints.authToken as string) },
        },
      };
      res.json(await save(req, next));
    }),
  );

  openapi.add({
    method: 'put',
    path: '/channels/telephony',
    summary: 'Signing secret for generic telephony webhooks',
    tag: 'channels',
    body: telephonySettingsSchema,
  });
  router.put(
    '/channels/telephony',
    requirePermission('client:update'),
    route(async (req, res) => {
      const body = parseInput(telephonySettingsSchema, req.body, 'body');
      const sealer = requireSecretBox(box);
      const current = storedSettings(requireClient(req));
      const next: StoredChannelSettings = {
        ...current,
        telephony: {
          signingSecret: sealer.seal(body.signingSecret),
          hints: { signingSecret: lastFour(body.signingSecret) },
        },
      };
      res.json(await save(req, next));
    }),
  );

  openapi.add({
    method: 'put',
    path: '/channels/email',
    summary: 'Staff alert recipients',
    tag: 'channels',
    body: emailSettingsSchema,
  });
  router.put(
    '/channels/email',
    requirePermission('client:update'),
    route(async (req, res) => {
      const body = parseInput(emailSettingsSchema, req.body, 'body');
      const current = storedSettings(requireClient(req));
      const next: StoredChannelSettings = {
        ...current,
        email: { alertRecipients: body.alertRecipients },
      };
      res.json(await save(req, next));
    }),
  );

  openapi.add({ method: 'delete', path: '/channels/:channel', summary: 'Disconnect a channel', tag: 'channels' });
  router.delete(
    '/channels/:channel',
    requirePermission('client:update'),
    route(async (req, res) => {
      const channel = String(req.params.channel);
      if (!['whatsapp', 'twilio', 'telephony', 'email'].includes(channel)) throw AppError.notFound('channel');
      const { [channel as keyof StoredChannelSettings]: _removed, ...rest } = storedSettings(requireClient(req));
      res.json(await save(req, rest));
    }),
  );

  return router;
}
