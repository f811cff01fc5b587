import { type Attachment, stripUnstorableText } from '@leaddesk/shared';
import {
  type WaMessage,
  type WaStatus,
  waMessageSchema,
  waStatusSchema,
  waValueSchema,
  waWebhookSchema,
} from './webhook-schema.js';

/** One inbound WhatsApp message, mapped for the conversation core. */
export interface MappedWaMessage {
  phoneNumberId: string;
  waId: string;
  profileName?: string;
  externalId: string;
  content: string;
  attachments: Attachment[];
  quickReplyId?: string;
  /** Reactions are stored as notes of what the lead felt, without asking for a reply. */
  requestReply: boolean;
  sentAt: Date;
}

export interface MappedWaStatus {
  phoneNumberId: string;
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  error: { code: number; message: string } | null;
}

export interface MappedWebhook {
  messages: MappedWaMessage[];
  statuses: MappedWaStatus[];
  /** Parts we could not read (logged, never fatal for the rest). */
  skipped: string[];
}

/**
 * Walks `entry[].changes[].value` and maps every message and status it holds.
 * A signed webhook is data we must keep: text PostgreSQL cannot store (U+0000,
 * unpaired surrogates, e.g. in a profile name) is stripped from what it maps,
 * so one character never costs the message, or the others beside it.
 */
export function mapWebhook(body: unknown): MappedWebhook {
  return stripUnstorableText(mapWebhookAsSent(body));
}

function mapWebhookAsSent(body: unknown): MappedWebhook {
  const out: MappedWebhook = { messages: [], statuses: [], skipped: [] };
  const parsed = waWebhookSchema.safeParse(body);
  if (!parsed.success) {
    out.skipped.push('not a WhatsApp webhook');
    return out;
  }
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      const value = waValueSchema.safeParse(change.value);
      if (!value.success) {
        out.skipped.push('change without metadata.phone_number_id');
        continue;
      }
      const phoneNumberId = value.data.metadata.phone_number_id;
      const names = new Map((value.data.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const raw of value.data.messages ?? []) {
        const m = waMessageSchema.safeParse(raw);
        if (!m.success) {
          out.skipped.push('unreadable message');
          continue;
        }
        const mapped = mapMessage(m.data);
        if (!mapped) {
          out.skipped.push(`unsupported message type ${m.data.type}`);
          continue;
        }
        out.messages.push({
          phoneNumberId,
          waId: m.data.from,
          profileName: names.get(m.data.from),
          externalId: m.data.id,
          sentAt: new Date(Number(m.data.timestamp) * 1000),
          ...mapped,
        });
      }
      for (const raw of value.data.statuses ?? []) {
        const s = waStatusSchema.safeParse(raw);
        if (!s.success) {
          out.skipped.push('unreadable status');
          continue;
        }
        const status = mapStatus(s.data);
        if (status) out.statuses.push({ phoneNumberId, ...status });
      }
    }
  }
  return out;
}

function mapMessage(
  m: WaMessage,
): Pick<MappedWaMessage, 'content' | 'attachments' | 'quickReplyId' | 'requestReply'> | null {
  const reply = (content: string, attachments: Attachment[] = [], quickReplyId?: string) => ({
    content,
    attachments,
    quickReplyId,
    requestReply: true,
  });
  switch (m.type) {
    case 'text':
      return m.text ? reply(m.text.body) : null;
    case 'interactive': {
      const choice = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return choice ? reply(choice.title, [], choice.id) : null;
    }
    case 'button':
      // A quick-reply button on a template message.
      return m.button ? reply(m.button.text, [], m.button.payload) : null;
    case 'image':
    case 'document':
    case 'audio':
    case 'video':
    case 'sticker': {
      const media = m[m.type];
      if (!media) return null;
      const kind = m.type === 'sticker' ? 'image' : m.type;
      return reply(media.caption ?? '', [
        {
          kind,
          mediaId: media.id,
          mimeType: media.mime_type,
          name: media.filename,
          meta: media.sha256 ? { sha256: media.sha256 } : undefined,
        },
      ]);
    }
    case 'location': {
      const l = m.location;
      if (!l) return null;
      const label = [l.name, l.address].filter(Boolean).join(', ');
      return reply(label ? `Location: ${label}` : 'Location shared', [
        { kind: 'location', name: l.name, meta: { latitude: l.latitude, longitude: l.longitude, address: l.address } },
      ]);
    }
    case 'contacts': {
      const cards = m.contacts ?? [];
      if (!cards.length) return null;
      return reply(
        `Shared contact${cards.length > 1 ? 's' : ''}: ${cards.map((c) => c.name?.formatted_name ?? 'unnamed').join(', ')}`,
        cards.map((c) => ({
          kind: 'contact' as const,
          name: c.name?.formatted_name,
          meta: {
            phones: (c.phones ?? []).map((p) => p.phone ?? p.wa_id).filter(Boolean),
            emails: (c.emails ?? []).map((e) => e.email).filter(Boolean),
          },
        })),
      );
    }
    case 'reaction': {
      const r = m.reaction;
      if (!r) return null;
      return {
        content: r.emoji ? `Reacted ${r.emoji}` : 'Removed a reaction',
        attachments: [],
        requestReply: false,
      };
    }
    default:
      return null;
  }
}

function mapStatus(s: WaStatus): Omit<MappedWaStatus, 'phoneNumberId'> | null {
  if (s.status !== 'sent' && s.status !== 'delivered' && s.status !== 'read' && s.status !== 'failed') return null;
  const e = s.errors?.[0];
  return {
    wamid: s.id,
    status: s.status,
    error: e ? { code: e.code, message: e.error_data?.details ?? e.message ?? e.title ?? 'failed' } : null,
  };
}
