import http from 'node:http';
import https from 'node:https';
import { checkLiteralHost, guardedLookup, hostOf, RefusedAddressError } from './address-policy.js';

export interface PostOutcome {
  /** 2xx: delivered. */
  ok: boolean;
  statusCode: number | null;
  /** The first characters of the answer's body. */
  excerpt: string;
  error: string | null;
  durationMs: number;
  /** The address was refused (not public): retrying will not help. */
  refused: boolean;
}

export interface WebhookPosterOptions {
  /** OUTGOING_WEBHOOKS_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  timeoutMs: number;
  /** @default 1024 */
  excerptChars?: number;
}

/** Answers longer than this are cut off (the excerpt is all we keep). */
const MAX_READ_BYTES = 64 * 1024;

/**
 * POSTs one signed webhook. Node's http client with a `lookup` that refuses
 * non-public addresses at connect time (address-policy.ts), a literal-IP check
 * (no lookup happens for those), one deadline for the whole exchange, and no
 * redirect following: a 3xx is a failed attempt that names the Location.
 * Keep-alive agents reuse connections to the same receiver; a reused socket's
 * address was checked when it connected.
 */
export class WebhookPoster {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly lookup: ReturnType<typeof guardedLookup>;

  constructor(private readonly options: WebhookPosterOptions) {
    this.lookup = guardedLookup(options.allowPrivate);
  }

  async post(target: string, headers: Record<string, string>, body: string): Promise<PostOutcome> {
    const started = performance.now();
    const done = (o: Omit<PostOutcome, 'durationMs'>): PostOutcome => ({
      ...o,
      durationMs: Math.round(performance.now() - started),
    });
    let url: URL;
    try {
      url = new URL(target);
      checkLiteralHost(hostOf(url), this.options.allowPrivate);
    } catch (err) {
      const refused = err instanceof RefusedAddressError;
      return done({ ok: false, statusCode: null, excerpt: '', error: messageOf(err), refused });
    }
    const secure = url.protocol === 'https:';
    const payload = Buffer.from(body, 'utf8');
    return new Promise<PostOutcome>((resolve) => {
      let settled = false;
      const finish = (o: Omit<PostOutcome, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(done(o));
      };
      const request = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          lookup: this.lookup as never,
          headers: {
            'content-type': 'application/json',
            'content-length': String(payload.length),
            'user-agent': 'LeadDesk-Webhooks/1.0',
            ...headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            if (read < MAX_READ_BYTES) chunks.push(chunk);
            read += chunk.length;
            if (read >= MAX_READ_BYTES) response.destroy();
          });
          const complete = () => {
            const status = response.statusCode ?? 0;
            const excerpt = Buffer.concat(chunks)
              .toString('utf8')
              .slice(0, this.options.excerptChars ?? 1024);
            const ok = status >= 200 && status < 300;
            const redirect =
              status >= 300 && status < 400
                ? `redirect not followed (Location: ${String(response.headers.location ?? '').slice(0, 300)})`
                : null;
            finish({
              ok,
              statusCode: status,
              excerpt,
              error: ok ? null : (redirect ?? `HTTP ${status}`),
              refused: false,
            });
          };
          response.on('end', complete);
          response.on('close', complete);
          response.on('error', complete);
        },
      );
      const timer = setTimeout(() => {
        request.destroy(new Error(`no answer within ${this.options.timeoutMs} ms`));
      }, this.options.timeoutMs);
      request.on('error', (err) => {
        finish({
          ok: false,
          statusCode: null,
          excerpt: '',
          error: messageOf(err),
          refused: err instanceof RefusedAddressError || (err as { name?: string }).name === 'RefusedAddressError',
        });
      });
      request.end(payload);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function messageOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const text = e instanceof Error ? e.message : String(err);
  return (e?.code && !text.includes(e.code) ? `${e.code}: ${text}` : text).slice(0, 500);
}
