import type { IClient, ILead } from '../../db/entities/index.js';
import type { Orm } from '../../db/orm.js';
import type { ChannelAdapter, DeliveryReceipt, DeliveryRequest } from '../channel-adapter.js';
import { DeliveryError, unreachable } from '../channel-adapter.js';
import { splitText } from '../outbound/split-text.js';
import { type TemplateParameter, whatsappCredentials } from '../settings/channel-settings.js';
import type { SecretBox } from '../settings/secret-box.js';
import { GraphClient, type MediaKind } from './graph-client.js';

/** WhatsApp's customer-service window: free-form messages only within 24 h of the lead's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface WhatsAppAdapterOptions {
  orm: Orm;
  box: SecretBox | null;
  graphBaseUrl: string;
  /** Pack sentences up to this many characters per WhatsApp message. @default 320 */
  partLength?: number;
}

/**
 * Sends replies on WhatsApp: inside the 24-hour window as a few sentence-sized
 * text messages; outside it (or for a first contact such as a missed-call
 * follow-up) only the tenant's approved follow-up template can be sent.
 */
export class WhatsAppAdapter implements ChannelAdapter {
  readonly channel = 'whatsapp' as const;

  constructor(private readonly options: WhatsAppAdapterOptions) {}

  split(text: string): string[] {
    return splitText(text, { maxLength: 4096, targetLength: this.options.partLength ?? 320 });
  }

  client(client: IClient): GraphClient | null {
    const creds = whatsappCredentials(client, this.options.box);
    if (!creds) return null;
    return new GraphClient({
      baseUrl: this.options.graphBaseUrl,
      phoneNumberId: creds.phoneNumberId,
      accessToken: creds.accessToken,
    });
  }

  async deliver(request: DeliveryRequest, partSent: (id: string) => Promise<void>): Promise<DeliveryReceipt> {
    const creds = whatsappCredentials(request.client, this.options.box);
    if (!creds)
      throw new DeliveryError('WhatsApp is not configured for this client', {
        permanent: true,
        code: 'not_configured',
      });
    const to = recipient(request.lead);
    if (!to) throw unreachable('whatsapp', 'WhatsApp number');
    const graph = new GraphClient({
      baseUrl: this.options.graphBaseUrl,
      phoneNumberId: creds.phoneNumberId,
      accessToken: creds.accessToken,
    });

    const lastInbound = request.lead ? await this.lastInboundAt(request.client.id, request.lead.id) : null;
    const windowOpen = lastInbound !== null && Date.now() - lastInbound.getTime() < SERVICE_WINDOW_MS;
    if (!windowOpen) {
      if (request.sentParts.length) return { via: 'template' };
      const template = creds.followUpTemplate;
      if (!template) {
        throw new DeliveryError('outside the 24-hour customer-service window and no follow-up template is configured', {
          permanent: true,
          code: 131047,
        });
      }
      const params = template.parameters.map((p) => parameterValue(p, request));
      await partSent(await graph.sendTemplate(to, template.name, template.language, params));
      return { via: 'template' };
    }

    // Attachments (staff sending a brochure or a photo) go first, each as its own media message.
    const media = request.message.attachments.filter(
      (a): a is typeof a & { kind: MediaKind } =>
        (a.kind === 'image' || a.kind === 'document' || a.kind === 'audio' || a.kind === 'video') &&
        Boolean(a.mediaId || a.url),
    );
    const parts = this.split(request.message.content);
    let done = 0;
    for (const a of media) {
      if (done++ < request.sentParts.length) continue;
      await partSent(await graph.sendMedia(to, a.kind, a.mediaId ? { id: a.mediaId } : { link: a.url }));
    }
    // Quick replies (a multiple-choice question) ride on the last part as buttons or a list.
    const choices = request.message.ai?.quickReplies ?? [];
    for (const [i, part] of parts.entries()) {
      if (media.length + i < request.sentParts.length) continue;
      const last = i === parts.length - 1;
      await partSent(
        last && choices.length ? await graph.sendChoices(to, part, choices) : await graph.sendText(to, part),
      );
    }
    return { via: 'text' };
  }

  /** When the lead last wrote to the business on WhatsApp (any conversation). */
  private async lastInboundAt(clientId: string, leadId: string): Promise<Date | null> {
    const rows = await this.options.orm.em.getConnection().execute<{ at: Date | string | null }[]>(
      `select max(m.created_at) as at from messages m join conversations c on c.id = m.conversation_id
       where m.client_id = ? and c.lead_id = ? and m.channel = 'whatsapp' and m.role = 'visitor'
         and (m.external_id is null or m.external_id not like 'call:%')`,
      [clientId, leadId],
    );
    const at = rows[0]?.at;
    return at ? new Date(at) : null;
  }
}

/** The lead's WhatsApp id (wa_id) or, failing that, their phone number without the +. */
export function recipient(lead: ILead | null): string | null {
  const handle = lead?.handles?.whatsapp;
  if (handle) return handle;
  return lead?.phone ? lead.phone.replace(/^\+/, '') : null;
}

function parameterValue(p: TemplateParameter, request: DeliveryRequest): string {
  if (p === 'lead_name') return request.lead?.name?.split(/\s+/)[0] || 'there';
  if (p === 'business_name') return request.client.name;
  return request.message.content.slice(0, 1000);
}
