import { createHash } from 'node:crypto';
import type { ChannelSettingsView } from '@leaddesk/shared';
import type { IClient } from '../../db/entities/index.js';
import type { SecretBox } from './secret-box.js';

/**
 * What a tenant stores in `clients.channel_settings`. Secrets are sealed with
 * the SecretBox (AES-256-GCM) and never leave the server: API responses show
 * only whether each is set and its last four characters (`hints`). The verify
 * token is only ever compared, so it is kept as a SHA-256 hash.
 */
export type TemplateParameter = 'lead_name' | 'business_name' | 'message';

export interface StoredWhatsAppSettings {
  phoneNumberId: string;
  accessToken: string;
  appSecret?: string;
  verifyTokenHash?: string;
  followUpTemplate?: { name: string; language: string; parameters: TemplateParameter[] };
  hints: { accessToken: string; appSecret?: string; verifyToken?: string };
}

export interface StoredTwilioSettings {
  accountSid: string;
  authToken: string;
  /** The tenant's Twilio number in E.164 (inbound SMS are routed by it). */
  phoneNumber: string;
  hints: { authToken: string };
}

export interface StoredTelephonySettings {
  signingSecret: string;
  hints: { signingSecret: string };
}

export interface StoredEmailSettings {
  /** Who receives staff alerts (hot lead, escalation, appointment, daily digest). */
  alertRecipients: string[];
}

export interface StoredChannelSettings {
  whatsapp?: StoredWhatsAppSettings;
  twilio?: StoredTwilioSettings;
  telephony?: StoredTelephonySettings;
  email?: StoredEmailSettings;
}

/** Decrypted, ready to use. */
export interface WhatsAppCredentials {
  phoneNumberId: string;
  accessToken: string;
  appSecret?: string;
  followUpTemplate?: StoredWhatsAppSettings['followUpTemplate'];
}
export interface TwilioCredentials {
  accountSid: string;
  authToken: string;
  phoneNumber: string;
}

export function storedSettings(client: Pick<IClient, 'channelSettings'>): StoredChannelSettings {
  return (client.channelSettings ?? {}) as StoredChannelSettings;
}

export function hashVerifyToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function lastFour(secret: string): string {
  return secret.length <= 4 ? '••••' : secret.slice(-4);
}

export function whatsappCredentials(client: Pick<IClient, 'channelSettings'>, box: SecretBox | null) {
  const s = storedSettings(client).whatsapp;
  if (!s || !box) return null;
  return {
    phoneNumberId: s.phoneNumberId,
    accessToken: box.open(s.accessToken),
    appSecret: s.appSecret ? box.open(s.appSecret) : undefined,
    followUpTemplate: s.followUpTemplate,
  } satisfies WhatsAppCredentials;
}

export function twilioCredentials(client: Pick<IClient, 'channelSettings'>, box: SecretBox | null) {
  const s = storedSettings(client).twilio;
  if (!s || !box) return null;
  return {
    accountSid: s.accountSid,
    authToken: box.open(s.authToken),
    phoneNumber: s.phoneNumber,
  } satisfies TwilioCredentials;
}

export function telephonySecret(client: Pick<IClient, 'channelSettings'>, box: SecretBox | null): string | null {
  const s = storedSettings(client).telephony;
  return s && box ? box.open(s.signingSecret) : null;
}

/** The settings as API responses show them: nothing secret, only what is set. */
export function channelSettingsView(client: Pick<IClient, 'channelSettings'>): Omit<ChannelSettingsView, 'setup'> {
  const s = storedSettings(client);
  const hint = (last4: string | undefined) => ({ set: true as const, last4: last4 ?? '••••' });
  return {
    whatsapp: s.whatsapp
      ? {
          configured: true,
          phoneNumberId: s.whatsapp.phoneNumberId,
          accessToken: hint(s.whatsapp.hints.accessToken),
          appSecret: s.whatsapp.appSecret ? hint(s.whatsapp.hints.appSecret) : { set: false },
          verifyToken: s.whatsapp.verifyTokenHash ? hint(s.whatsapp.hints.verifyToken) : { set: false },
          followUpTemplate: s.whatsapp.followUpTemplate ?? null,
        }
      : { configured: false },
    twilio: s.twilio
      ? {
          configured: true,
          accountSid: s.twilio.accountSid,
          phoneNumber: s.twilio.phoneNumber,
          authToken: hint(s.twilio.hints.authToken),
        }
      : { configured: false },
    telephony: s.telephony
      ? { configured: true, signingSecret: hint(s.telephony.hints.signingSecret) }
      : { configured: false },
    email: { alertRecipients: s.email?.alertRecipients ?? [] },
  };
}
