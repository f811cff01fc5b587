import { DeliveryError } from '../channel-adapter.js';

/**
 * Twilio's Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`,
 * form-encoded, HTTP basic auth). The base URL comes from `TWILIO_BASE_URL`
 * so tests talk to a local fake with the same wire format.
 */
export interface TwilioClientOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** @default 10000 */
  timeoutMs?: number;
}

/** Twilio error codes that retrying can fix (queue overflow, rate limits). */
const TRANSIENT_CODES = new Set([20429, 30001, 20500, 20503]);

export class TwilioClient {
  constructor(private readonly options: TwilioClientOptions) {}

  async sendSms(input: { to: string; from: string; body: string; statusCallback?: string }): Promise<string> {
    const form = new URLSearchParams({ To: input.to, From: input.from, Body: input.body });
    if (input.statusCallback) form.set('StatusCallback', input.statusCallback);
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(this.options.accountSid)}/Messages.json`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new DeliveryError(`Twilio unreachable: ${(err as Error).message}`, { permanent: false, code: 'network' });
    }
    const json = (await res.json().catch(() => null)) as { sid?: string; code?: number; message?: string } | null;
    if (res.ok && json?.sid) return json.sid;
    const code = json?.code;
    const message = json?.message ?? `Twilio HTTP ${res.status}`;
    if (code !== undefined && TRANSIENT_CODES.has(code)) throw new DeliveryError(message, { permanent: false, code });
    throw DeliveryError.fromHttpStatus(res.status, message, code);
  }
}
