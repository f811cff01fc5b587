import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * A tenant's webhook receiver (a Zapier/n8n catch hook, the tenant's own
 * backend): records every request, verifies its Standard Webhooks signature
 * with the endpoint's secret through the reference library, and answers with
 * the statuses the test queues (200 otherwise), or not at all (`hang`).
 */
export interface ReceivedWebhook {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body as the reference library verified it; null when the signature did not verify. */
  verified: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  verifyError: string | null;
  /** What the receiver answered; 0 when it held the request without answering. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Verified deliveries of one event type. */
  ofType(type: string): ReceivedWebhook[];
  /** The secret signatures are checked with (from the create answer). */
  setSecret(secret: string): void;
  /** The next answers, in order (then 200). */
  answerNext(...statuses: number[]): void;
  /** The next request is answered `302 Location: <location>` (a receiver trying to bounce us elsewhere). */
  redirectNext(location: string): void;
  /** Every request from now on fails with this status (null: back to 200). */
  failAll(status: number | null): void;
  /** Requests are accepted and never answered (until `hang(false)`). */
  hang(on: boolean): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(host = '127.0.0.1'): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queued: number[] = [];
  let failing: number | null = null;
  let redirect: string | null = null;
  let hanging = false;
  let verifier: Webhook | null = null;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified: ReceivedWebhook['verified'] = null;
      let verifyError: string | null = null;
      try {
        if (!verifier) throw new Error('no secret set');
        verified = verifier.verify(body, {
          'webhook-id': String(req.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        }) as ReceivedWebhook['verified'];
      } catch (err) {
        verifyError = (err as Error).message;
      }
      if (hanging) {
        // Held open, never answered (status 0).
        received.push({ path: req.url ?? '/', headers: req.headers, body, verified, verifyError, status: 0 });
        return;
      }
      const location = redirect;
      redirect = null;
      const status = location ? 302 : (queued.shift() ?? failing ?? 200);
      received.push({ path: req.url ?? '/', headers: req.headers, body, verified, verifyError, status });
      res.writeHead(status, { 'content-type': 'application/json', ...(location ? { location } : {}) });
      res.end(JSON.stringify(status < 300 ? { ok: true } : { error: `receiver says ${status}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/hooks/leaddesk`,
    received,
    ofType: (type) => received.filter((r) => r.verified?.type === type),
    setSecret(secret) {
      verifier = new Webhook(secret);
    },
    answerNext(...statuses) {
      queued.push(...statuses);
    },
    redirectNext(location) {
      redirect = location;
    },
    failAll(status) {
      failing = status;
    },
    hang(on) {
      hanging = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The verified body of a received webhook; throws when it is missing or its signature did not verify. */
export function verifiedBody(r: ReceivedWebhook | undefined): NonNullable<ReceivedWebhook['verified']> {
  if (!r?.verified) throw new Error(`no verified webhook: ${r?.verifyError ?? 'none received'}`);
  return r.verified;
}
