import type { Channel, MessageDto } from '@leaddesk/shared';
import type { IClient, ILead } from '../db/entities/index.js';

/**
 * The contract every outbound channel implements (WhatsApp, SMS, email).
 *
 * Design note: an adapter only knows how to put text in front of a lead on
 * its channel and how to classify what went wrong. Queueing, retries with
 * backoff, resuming a half-sent reply and recording delivery state are done
 * once, for every adapter, by `OutboundDelivery`; the conformance suite
 * (test/channel-adapter-conformance.test.ts) holds every adapter to it.
 */
export interface DeliveryRequest {
  client: IClient;
  lead: ILead | null;
  conversationId: string;
  message: MessageDto;
  /** Provider ids of the parts already sent by an earlier attempt; send only the rest. */
  sentParts: readonly string[];
  /** `follow_up`: the first message to a lead who has not written (e.g. after a missed call). */
  purpose: 'reply' | 'follow_up';
}

export interface DeliveryReceipt {
  /** What actually went out (`template` when WhatsApp's 24-hour window had closed). */
  via: 'text' | 'template' | 'email';
}

export interface ChannelAdapter {
  readonly channel: Channel;
  /** Splits a reply into the messages this channel sends: sentence-sized, never token by token. */
  split(text: string): string[];
  /**
   * Sends the message's remaining parts. Calls `partSent` with the provider id
   * of each part as soon as it is accepted (so a retry does not send it again).
   * Throws a `DeliveryError` that says whether retrying can help.
   */
  deliver(request: DeliveryRequest, partSent: (providerId: string) => Promise<void>): Promise<DeliveryReceipt>;
}

/** A failed send: `permanent` means retrying cannot help (bad number, closed window, 4xx). */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly permanent: boolean;
  readonly code: string | number | undefined;

  constructor(message: string, options: { permanent: boolean; code?: string | number }) {
    super(message);
    this.permanent = options.permanent;
    this.code = options.code;
  }

  /** HTTP-based providers: 429 and 5xx are worth retrying, other 4xx are not. */
  static fromHttpStatus(status: number, message: string, code?: string | number): DeliveryError {
    return new DeliveryError(message, { permanent: !(status === 429 || status >= 500), code: code ?? status });
  }
}

/** For adapters that need the lead's address on their channel. */
export function unreachable(channel: Channel, what: string): DeliveryError {
  return new DeliveryError(`the lead has no ${what} for ${channel}`, { permanent: true, code: 'no_recipient' });
}
