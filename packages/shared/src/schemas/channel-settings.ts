import { z } from 'zod';

/**
 * A tenant's channel credentials (`/api/v1/channels`). Design note: secrets go
 * in and never come out. Requests carry them; responses only say whether each
 * is set and its last four characters. Omitting a secret keeps the stored one;
 * `null` clears an optional one.
 */

const secret = z.string().trim().min(4).max(1000);

export const WHATSAPP_TEMPLATE_PARAMETERS = ['lead_name', 'business_name', 'message'] as const;

export const whatsappSettingsSchema = z.object({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,32}$/, 'a WhatsApp phone number id is digits'),
  /** Omit to keep the stored token. */
  accessToken: secret.optional(),
  /** The tenant's own Meta app secret; `null` removes it (META_APP_SECRET applies then). */
  appSecret: secret.nullable().optional(),
  verifyToken: secret.nullable().optional(),
  followUpTemplate: z
    .object({
      name: z
        .string()
        .trim()
        .regex(/^[a-z0-9_]{1,512}$/, 'template names are lower case letters, digits and _'),
      language: z
        .string()
        .trim()
        .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a language code such as en or en_US'),
      parameters: z.array(z.enum(WHATSAPP_TEMPLATE_PARAMETERS)).max(10).default([]),
    })
    .nullable()
    .optional(),
});
export type WhatsAppSettingsInput = z.input<typeof whatsappSettingsSchema>;

export const twilioSettingsSchema = z.object({
  accountSid: z
    .string()
    .trim()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'a Twilio account SID starts with AC and has 32 hex digits'),
  authToken: secret.optional(),
  phoneNumber: z.string().trim().min(5).max(32),
});
export type TwilioSettingsInput = z.input<typeof twilioSettingsSchema>;

export const telephonySettingsSchema = z.object({ signingSecret: z.string().trim().min(16).max(1000) });
export type TelephonySettingsInput = z.input<typeof telephonySettingsSchema>;

export const emailSettingsSchema = z.object({
  alertRecipients: z.array(z.string().trim().email().max(254)).max(20).default([]),
});
export type EmailSettingsInput = z.input<typeof emailSettingsSchema>;

/** A stored secret as responses show it. */
export type SecretHint = { set: true; last4: string } | { set: false };

/** `GET /api/v1/channels` and the answer of every change. */
export interface ChannelSettingsView {
  whatsapp:
    | {
        configured: true;
        phoneNumberId: string;
        accessToken: SecretHint;
        appSecret: SecretHint;
        verifyToken: SecretHint;
        followUpTemplate: {
          name: string;
          language: string;
          parameters: Array<(typeof WHATSAPP_TEMPLATE_PARAMETERS)[number]>;
        } | null;
      }
    | { configured: false };
  twilio: { configured: true; accountSid: string; phoneNumber: string; authToken: SecretHint } | { configured: false };
  telephony: { configured: true; signingSecret: SecretHint } | { configured: false };
  email: { alertRecipients: string[] };
  /** What to paste into Meta's and Twilio's consoles, and what the platform provides. */
  setup: {
    webhooks: {
      /** Meta: Callback URL (the verify token is the one set here, or the platform's). */
      whatsapp: string;
      /** Twilio number, "A message comes in". */
      sms: string;
      /** Twilio number, "Call status changes" (and `<Dial action>`), or another provider's signed JSON. */
      missedCall: string;
    };
    platform: {
      /** The platform's Meta app secret (META_APP_SECRET) verifies webhooks when the tenant sets none. */
      whatsappAppSecret: boolean;
      /** The platform's verify token (META_VERIFY_TOKEN) also answers Meta's verification. */
      whatsappVerifyToken: boolean;
      /** How email leaves the server (SMTP_URL, SENDGRID_API_KEY), set by the operator; null: not configured. */
      email: 'smtp' | 'sendgrid' | null;
      /** Credentials can be stored (APP_SECRET or the development key file). */
      secretsStorable: boolean;
    };
  };
}
