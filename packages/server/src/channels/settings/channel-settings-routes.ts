import {
  type ChannelSettingsView,
  emailSettingsSchema,
  telephonySettingsSchema,
  twilioSettingsSchema,
  whatsappSettingsSchema,
} from '@leaddesk/shared';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { type Request, type Response, Router } from 'express';
import type { z } from 'zod';
import type { Config } from '../../config/config.js';
import { Client, type IClient } from '../../db/entities/index.js';
import { updateLocked } from '../../db/update-locked.js';
import { AppError } from '../../errors/app-error.js';
import { requireClient, requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { requirePermission } from '../../http/authenticate.js';
import { mergePatch, requirePatchObject } from '../../http/merge-patch.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import { normalizePhone } from '../../leads/normalize-contact.js';
import { channelLimitError, channelsBeyondPlan, connectedChannels, limitsOf } from '../../plans/plan-limits.js';
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
  /** Which provider channels each plan includes: connecting another is refused. */
  plans: Config['plans'];
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
  const view = (req: Request, client: IClient): ChannelSettingsView => {
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
    res.json(view(req, requireClient(req)));
  });

  /**
   * Every change is a read-modify-write of the one `channel_settings` column,
   * under a row lock: saving WhatsApp and Twilio at the same moment keeps both.
   */
  const save = async (req: Request, change: (current: StoredChannelSettings) => StoredChannelSettings) => {
    let updated: Awaited<ReturnType<typeof updateLocked<IClient, void>>>;
    try {
      updated = await updateLocked(requireEm(req), Client, { id: requireClient(req).id }, (client) => {
        const before = storedSettings(client);
        const next = change(before);
        const beyond = channelsBeyondPlan(
          limitsOf(options, client.plan),
          connectedChannels(before),
          connectedChannels(next),
        );
        if (beyond.length) throw channelLimitError(client.plan, beyond);
        client.channelSettings = next as Record<string, unknown>;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new AppError('conflict', 'this number is already connected to another client');
      }
      throw err;
    }
    if (!updated) throw AppError.notFound('client');
    return view(req, updated.row);
  };

  /**
   * PATCH (and PUT, which has always meant the same) is a JSON Merge Patch of
   * the channel's settings: fields not sent keep their stored values. Secrets
   * are write-only: absent keeps the stored one, null clears an optional one.
   */
  const both = (
    path: string,
    summary: string,
    body: z.ZodTypeAny,
    handler: (req: Request, res: Response) => Promise<void>,
  ) => {
    for (const method of ['patch', 'put'] as const) {
      openapi.add({
        method,
        path,
        summary: method === 'patch' ? summary : `${summary} (same as PATCH)`,
        tag: 'channels',
        body,
        mergePatch: true,
      });
      router[method](path, requirePermission('client:update'), route(handler));
    }
  };

  both('/channels/whatsapp', 'Connect WhatsApp Cloud API', whatsappSettingsSchema, async (req, res) => {
    const sealer = requireSecretBox(box);
    const patch = requirePatchObject(req.body);
    res.json(
      await save(req, (current) => {
        const old = current.whatsapp;
        const stored = old
          ? {
              phoneNumberId: old.phoneNumberId,
              ...(old.followUpTemplate ? { followUpTemplate: old.followUpTemplate } : {}),
            }
          : {};
        const body = mergePatch(whatsappSettingsSchema, stored, patch, {
          writeOnly: ['accessToken', 'appSecret', 'verifyToken'],
        });
        if (!body.accessToken && !old) throw new AppError('validation_failed', 'invalid body: accessToken: required');
        const appSecret = body.appSecret ?? undefined;
        const verifyToken = body.verifyToken ?? undefined;
        return {
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
            followUpTemplate: body.followUpTemplate ?? undefined,
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
      }),
    );
  });

  both('/channels/twilio', 'Connect Twilio (SMS and missed calls)', twilioSettingsSchema, async (req, res) => {
    const sealer = requireSecretBox(box);
    const patch = requirePatchObject(req.body);
    res.json(
      await save(req, (current) => {
        const old = current.twilio;
        const stored = old ? { accountSid: old.accountSid, phoneNumber: old.phoneNumber } : {};
        const body = mergePatch(twilioSettingsSchema, stored, patch, { writeOnly: ['authToken'] });
        if (!body.authToken && !old) throw new AppError('validation_failed', 'invalid body: authToken: required');
        const phone = normalizePhone(body.phoneNumber);
        if (!phone) throw new AppError('validation_failed', 'invalid body: phoneNumber: not a phone number in E.164');
        return {
          ...current,
          twilio: {
            accountSid: body.accountSid,
            authToken: body.authToken ? sealer.seal(body.authToken) : (old?.authToken as string),
            phoneNumber: phone,
            hints: { authToken: body.authToken ? lastFour(body.authToken) : (old?.hints.authToken as string) },
          },
        };
      }),
    );
  });

  both(
    '/channels/telephony',
    'Signing secret for generic telephony webhooks',
    telephonySettingsSchema,
    async (req, res) => {
      const sealer = requireSecretBox(box);
      const patch = requirePatchObject(req.body);
      res.json(
        await save(req, (current) => {
          const old = current.telephony;
          const body = mergePatch(telephonySettingsSchema.partial(), {}, patch, { writeOnly: ['signingSecret'] });
          if (!body.signingSecret && !old) {
            throw new AppError('validation_failed', 'invalid body: signingSecret: required');
          }
          if (!body.signingSecret) return current;
          return {
            ...current,
            telephony: {
              signingSecret: sealer.seal(body.signingSecret),
              hints: { signingSecret: lastFour(body.signingSecret) },
            },
          };
        }),
      );
    },
  );

  both('/channels/email', 'Staff alert recipients', emailSettingsSchema, async (req, res) => {
    const patch = requirePatchObject(req.body);
    res.json(
      await save(req, (current) => {
        const stored = current.email ? { alertRecipients: current.email.alertRecipients } : {};
        const body = mergePatch(emailSettingsSchema, stored, patch);
        return { ...current, email: { alertRecipients: body.alertRecipients } };
      }),
    );
  });

  openapi.add({ method: 'delete', path: '/channels/:channel', summary: 'Disconnect a channel', tag: 'channels' });
  router.delete(
    '/channels/:channel',
    requirePermission('client:update'),
    route(async (req, res) => {
      const channel = String(req.params.channel);
      if (!['whatsapp', 'twilio', 'telephony', 'email'].includes(channel)) throw AppError.notFound('channel');
      res.json(
        await save(req, (current) => {
          const { [channel as keyof StoredChannelSettings]: _removed, ...rest } = current;
          return rest;
        }),
      );
    }),
  );

  return router;
}
