import type { Channel, MessageDto } from '@leaddesk/shared';
import type { IClient, ILead } from '../db/entities/index.js';

/**
 * Outbound delivery for channels whose visitors are not on a socket (web form
 * by email, WhatsApp, SMS). The channels issue implements real senders; the
 * reply orchestrator and staff messages call `send` after storing a message.
 * A channel without a sender keeps its conversations waiting for staff.
 */
export interface OutboundSender {
  readonly channel: Channel;
  send(input: { client: IClient; lead: ILead | null; conversationId: string; message: MessageDto }): Promise<void>;
}

export class OutboundRegistry {
  private readonly senders = new Map<Channel, OutboundSender>();

  register(sender: OutboundSender): () => void {
    this.senders.set(sender.channel, sender);
    return () => {
      if (this.senders.get(sender.channel) === sender) this.senders.delete(sender.channel);
    };
  }

  get(channel: Channel): OutboundSender | undefined {
    return this.senders.get(channel);
  }

  has(channel: Channel): boolean {
    return this.senders.has(channel);
  }
}
