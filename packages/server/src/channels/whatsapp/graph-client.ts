import { DeliveryError } from '../channel-adapter.js';

/**
 * A small client for the WhatsApp Cloud API on the Graph API
 * (`POST /{phone-number-id}/messages`). The base URL comes from config
 * (`META_GRAPH_BASE_URL`, with the version), so tests and the simulator talk
 * to a local fake that speaks the same wire format.
 */
export interface GraphClientOptions {
  baseUrl: string;
  phoneNumberId: string;
  accessToken: string;
  /** @default 10000 */
  timeoutMs?: number;
}

export type MediaKind = 'image' | 'document' | 'audio' | 'video';

/** Graph error codes that are worth retrying whatever the HTTP status (throughput, temporary outages). */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 341, 80007, 130429, 131000, 131016, 131048, 131056, 133004]);

export class GraphClient {
  constructor(private readonly options: GraphClientOptions) {}

  async sendText(to: string, body: string): Promise<string> {
    return this.send({ to, type: 'text', text: { preview_url: /https?:\/\//.test(body), body } });
  }

  async sendTemplate(to: string, name: string, language: string, bodyParameters: string[] = []): Promise<string> {
    return this.send({
      to,
      type: 'template',
      template: {
        name,
        language: { code: language },
        ...(bodyParameters.length
          ? { components: [{ type: 'body', parameters: bodyParameters.map((text) => ({ type: 'text', text })) }] }
          : {}),
      },
    });
  }

  async sendMedia(
    to: string,
    kind: MediaKind,
    media: { id?: string; link?: string; caption?: string },
  ): Promise<string> {
    return this.send({ to, type: kind, [kind]: media });
  }

  /**
   * Text with choices: reply buttons for up to three short options, else a
   * list (up to ten). The lead's tap comes back as an interactive reply with
   * the option's id.
   */
  async sendChoices(to: string, body: string, options: Array<{ id: string; label: string }>): Promise<string> {
    const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
    const buttons = options.length <= 3 && options.every((o) => o.label.length <= 20);
    return this.send({
      to,
      type: 'interactive',
      interactive: buttons
        ? {
            type: 'button',
            body: { text: cut(body, 1024) },
            action: { buttons: options.map((o) => ({ type: 'reply', reply: { id: cut(o.id, 256), title: o.label } })) },
          }
        : {
            type: 'list',
            body: { text: cut(body, 4096) },
            action: {
              button: 'Choose',
              sections: [
                {
                  title: 'Options',
                  rows: options.slice(0, 10).map((o) => ({ id: cut(o.id, 200), title: cut(o.label, 24) })),
                },
              ],
            },
          },
    });
  }

  /** Marks an inbound message read (blue ticks). */
  async markRead(wamid: string): Promise<void> {
    await this.post({ messaging_product: 'whatsapp', status: 'read', message_id: wamid });
  }

  private async send(payload: Record<string, unknown>): Promise<string> {
    const body = (await this.post({ messaging_product: 'whatsapp', recipient_type: 'individual', ...payload })) as {
      messages?: Array<{ id?: string }>;
    };
    const id = body.messages?.[0]?.id;
    if (!id) throw new DeliveryError('the Graph API answered without a message id', { permanent: false });
    return id;
  }

  private async post(payload: Record<string, unknown>): Promise<unknown> {
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/${encodeURIComponent(this.options.phoneNumberId)}/messages`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new DeliveryError(`Graph API unreachable: ${(err as Error).message}`, {
        permanent: false,
        code: 'network',
      });
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // A proxy's HTML error page: classify by status below.
    }
    if (res.ok) return json;
    const error = (json as { error?: { code?: number; message?: string; error_data?: { details?: string } } })?.error;
    const code = error?.code;
    const message = error?.error_data?.details ?? error?.message ?? `Graph API HTTP ${res.status}`;
    if (code !== undefined && TRANSIENT_CODES.has(code)) throw new DeliveryError(message, { permanent: false, code });
    throw DeliveryError.fromHttpStatus(res.status, message, code);
  }
}
