import type { ConversationCore } from '../../conversation/conversation-core.js';
import type { IClient } from '../../db/entities/index.js';
import type { Orm } from '../../db/orm.js';
import { storableErrorText } from '../../db/storable-text.js';
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
 * dropped, never stored under someone else. A body may carry several entries,
 * changes, messages and statuses, from several tenants: each is handled on its
 * own (see below).
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

    // Each message and status on its own: one that fails never drops the others of the same
    // body. A failed part fails the event (so the inbox retries it, and sets it aside after its
    // attempts); on a retry the parts already stored are duplicates by wamid and change nothing.
    const failures: PartFailure[] = [];
    for (const m of mapped.messages) {
      try {
        const client = await tenantFor(m.phoneNumberId);
        if (!client) continue;
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
          logger.warn({ code: err.code, wamid: m.externalId }, `whatsapp message not stored: ${err.message}`);
          continue;
        }
        failures.push({ part: `message ${m.externalId}`, err });
      }
    }
    for (const s of mapped.statuses) {
      try {
        const client = await tenantFor(s.phoneNumberId);
        if (!client) continue;
        await delivery.applyStatus(
          client.id,
          'whatsapp',
          s.wamid,
          s.status,
          s.error ? { code: s.error.code, message: s.error.message } : null,
        );
      } catch (err) {
        failures.push({ part: `status ${s.status} of ${s.wamid}`, err });
      }
    }
    if (failures.length) {
      const total = mapped.messages.length + mapped.statuses.length;
      throw new WebhookPartsFailed(failures, total);
    }
  };
}

interface PartFailure {
  part: string;
  err: unknown;
}

/** Which parts of a webhook body failed, and why: the text recorded on the event for admins. */
export class WebhookPartsFailed extends Error {
  override name = 'WebhookPartsFailed';
  constructor(
    readonly failures: PartFailure[],
    total: number,
  ) {
    super(
      `${failures.length} of ${total} parts failed: ${failures
        .map((f) => `${f.part}: ${storableErrorText(f.err, 600)}`)
        .join('; ')}`,
    );
  }
}

/** Blue ticks for the lead; best effort (a failure here must not redeliver the message). */
async function markRead(adapter: WhatsAppAdapter, client: IClient, wamid: string, logger: Logger): Promise<void> {
  try {
    await adapter.client(client)?.markRead(wamid);
  } catch (err) {
    logger.info({ err: (err as Error).message, clientId: client.id }, 'whatsapp mark-as-read failed');
  }
}
