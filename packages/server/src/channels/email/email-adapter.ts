import type { BrandingService } from '../../branding/branding-service.js';
import type { ChannelAdapter, DeliveryReceipt, DeliveryRequest } from '../channel-adapter.js';
import { unreachable } from '../channel-adapter.js';
import type { Mailer } from './mailer.js';
import { renderEmail } from './templates.js';

/**
 * Replies by email: to web-form leads (the follow-up the web-form channel
 * asks for) and on email conversations. One email per reply: the whole text,
 * paragraphs kept.
 */
export class EmailAdapter implements ChannelAdapter {
  readonly channel = 'email' as const;

  constructor(
    private readonly mailer: Mailer,
    /** The sender is the client's brand's (docs/white-label.md). */
    private readonly branding: BrandingService,
  ) {}

  split(text: string): string[] {
    const clean = text.trim();
    return clean ? [clean] : [];
  }

  async deliver(request: DeliveryRequest, partSent: (id: string) => Promise<void>): Promise<DeliveryReceipt> {
    if (request.sentParts.length) return { via: 'email' };
    const to = request.lead?.email;
    if (!to) throw unreachable('email', 'email address');
    const business = request.client.name;
    const mail = renderEmail('reply', {
      subject: `Re: your message to ${business}`,
      title: request.lead?.name ? `Hello ${request.lead.name.split(/\s+/)[0]},` : 'Hello,',
      businessName: business,
      brand: await this.branding.forClient(request.client.id),
      paragraphs: request.message.content
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean),
    });
    const { messageId } = await this.mailer.send({ to: [to], ...mail });
    await partSent(messageId);
    return { via: 'email' };
  }
}
