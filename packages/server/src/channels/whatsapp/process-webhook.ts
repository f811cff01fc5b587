import type { ConversationCore } from '../../conversation/conversation-core.js';
import type { IClient } from '../../db/entities/index.js';
import type { Orm } from '../../db/orm.js';
import { AppError } from '../../errors/app-error.js';
import type { Logger } from '../../logger.js';
import { findClientBySetting } from '../find-client.js';
import type { OutboundDelivery } from '../outbound/outbound-delivery.js';
import type { WebhookEvent } from '../webhook-inbox.js';
import { mapWebhook } from './map-inbound.js';
import type { WhatsAppAdapter } from './whatsapp-adapter.js';

export interface ProcessWebhookOptions {
  orm: Orm;
  core: ConversationCore;
  delivery: OutboundDelivery;
  adapter: WhatsAppAdapter;
  logger: Logger;
}

/**
 * What the WhatsApp inbox does with each stored webhook: maps the body and hands
 * each message to the conversation core (deduplicated by wamid there, so a
 * redelivered message is stored and answered once) and each status to the
 * outbound delivery records. Messages are routed by `metadata.phone_number_id`
 * to the tenant that owns that number; an unknown number is logged and
 * dropped, never stored under someone else.
 */
export function processWhatsAppWebhook(options: ProcessWebhookOptions) {
  return async (event: WebhookEvent): Promise<void> => {
    const { orm, core, delivery, adapter, logger } = options;
    let body: unknown;
    try {
      body = JSON.parse(event.payload);
    } catch {
      logger.warn({ eventId: event.id }, 'whatsapp webhook body is not JSON, ignored');
      return;
    }
    const mapped = mapWebhook(body);
    if (mapped.skipped.length)
      logger.info({ skipped: mapped.skipped, eventId: event.id }, 'whatsapp webhook parts skipped');

    const em = orm.em.fork();
    const tenants = new Map<string, IClient | null>();
    const tenantFor = async (phoneNumberId: string): Promise<IClient | null> => {
      if (!tenants.has(phoneNumberId)) {
        let client = await findClientBySetting(em, 'whatsapp', 'phoneNumberId', phoneNumberId);
        // A webhook signed with one tenant's own app secret may only speak for that tenant.
        if (client && event.clientId && client.id !== event.clientId) client = null;
        if (!client)
          logger.warn({ phoneNumberId, eventId: event.id }, 'whatsapp webhook for an unknown phone number id, ignored');
        tenants.set(phoneNumberId, client);
      }
      return tenants.get(phoneNumberId) ?? null;
    };

    for (const m of mapped.messages) {
      const client = await tenantFor(m.phoneNumberId);
      if (!client) continue;
      try {
        const result = await core.receiveInbound({
          client,
          channel: 'whatsapp',
          contact: { name: m.profileName, phone: `+${m.waId}`, handles: { whatsapp: m.waId } },
          externalId: m.externalId,
          content: m.content,
          attachments: m.attachments,
          quickReplyId: m.quickReplyId,
          requestReply: m.requestReply,
        });
        if (!result.duplicate) void markRead(adapter, client, m.externalId, logger);
      } catch (err) {
        if (err instanceof AppError) {
          // Paused tenant or an empty message: retrying cannot help.
          logger.warn(
            { code: err.code, clientId: client.id, wamid: m.externalId },
            `whatsapp message not stored: ${err.message}`,
          );
          continue;
        }
        throw err;
      }
    }
    for (const s of mapped.statuses) {
      const client = await tenantFor(s.phoneNumberId);
      if (!client) continue;
      await delivery.applyStatus(
        client.id,
        'whatsapp',
        s.wamid,
        s.status,
        s.error ? { code: s.error.code, message: s.error.message } : null,
      );
    }
  };
}

/** Blue ticks for the lead; best effort (a failure here must not redeliver the message). */
async function markRead(adapter: WhatsAppAdapter, client: IClient, wamid: string, logger: Logger): Promise<void> {
  try {
    await adapter.client(client)?.markRead(wamid);
  } catch (err) {
    logger.info({ err: (err as Error).message, clientId: client.id }, 'whatsapp mark-as-read failed');
  }
}
