import type { ChannelAdapter, DeliveryReceipt, DeliveryRequest } from '../channel-adapter.js';
import { DeliveryError, unreachable } from '../channel-adapter.js';
import { splitText } from '../outbound/split-text.js';
import { twilioCredentials } from '../settings/channel-settings.js';
import type { SecretBox } from '../settings/secret-box.js';
import { TwilioClient } from './twilio-client.js';

export interface SmsAdapterOptions {
  box: SecretBox | null;
  twilioBaseUrl: string;
  /** Where Twilio posts delivery statuses (`<PUBLIC_URL>/webhooks/sms/status`; without PUBLIC_URL none are asked for). */
  statusCallbackUrl?: string;
  /** Characters per SMS message: three GSM segments keeps replies concise. @default 459 */
  partLength?: number;
}

/** Replies by SMS through the tenant's Twilio number. */
export class SmsAdapter implements ChannelAdapter {
  readonly channel = 'sms' as const;

  constructor(private readonly options: SmsAdapterOptions) {}

  split(text: string): string[] {
    return splitText(text, { maxLength: 1600, targetLength: this.options.partLength ?? 459 });
  }

  async deliver(request: DeliveryRequest, partSent: (id: string) => Promise<void>): Promise<DeliveryReceipt> {
    const creds = twilioCredentials(request.client, this.options.box);
    if (!creds)
      throw new DeliveryError('Twilio is not configured for this client', { permanent: true, code: 'not_configured' });
    const to = request.lead?.phone;
    if (!to) throw unreachable('sms', 'phone number');
    const twilio = new TwilioClient({
      baseUrl: this.options.twilioBaseUrl,
      accountSid: creds.accountSid,
      authToken: creds.authToken,
    });
    const statusCallback = this.options.statusCallbackUrl
      ? `${this.options.statusCallbackUrl}?client=${encodeURIComponent(request.client.id)}`
      : undefined;
    for (const part of this.split(request.message.content).slice(request.sentParts.length)) {
      await partSent(await twilio.sendSms({ to, from: creds.phoneNumber, body: part, statusCallback }));
    }
    return { via: 'text' };
  }
}
