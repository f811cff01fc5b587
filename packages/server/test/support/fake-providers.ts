import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * Local stand-ins for the providers, speaking their real wire formats, so the
 * server's own clients run unchanged against them by base URL: the WhatsApp
 * Graph API, Twilio's Messages API, SendGrid's Mail Send and an SMTP server.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json?: Record<string, unknown>;
  form?: Record<string, string>;
  /** The status the fake answered with. */
  status?: number;
  /** When the fake received it (real epoch ms). */
  at: number;
}

type Failure = { status: number; body: unknown };

export interface FakeHttpProvider {
  url: string;
  requests: RecordedRequest[];
  /** The next `times` requests to a matching path answer with this failure. */
  failNext(failure: Failure, times?: number): void;
  reset(): void;
  close(): Promise<void>;
}

async function startFake(
  respond: (req: RecordedRequest) => { status: number; body: unknown; headers?: Record<string, string> },
  prefix = '',
): Promise<FakeHttpProvider> {
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        at: Date.now(),
      };
      const type = req.headers['content-type'] ?? '';
      if (type.includes('json') && body) recorded.json = JSON.parse(body);
      if (type.includes('x-www-form-urlencoded')) recorded.form = Object.fromEntries(new URLSearchParams(body));
      requests.push(recorded);
      const failure = failures.shift();
      const answer: { status: number; body: unknown; headers?: Record<string, string> } = failure ?? respond(recorded);
      recorded.status = answer.status;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) failures.push(failure);
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The text the lead sees in a WhatsApp text or interactive message the fake Graph API received ('' otherwise). */
export function textOf(r: RecordedRequest): string {
  const text = (r.json?.text as { body?: string } | undefined)?.body;
  const interactive = (r.json?.interactive as { body?: { text?: string } } | undefined)?.body?.text;
  return text ?? interactive ?? '';
}

export const wamid = () => `wamid.${randomBytes(24).toString('base64url')}`;

/** The Graph API (`/{version}/{phone-number-id}/messages`); the base URL includes the version like META_GRAPH_BASE_URL. */
export async function startFakeGraphApi(): Promise<FakeHttpProvider & { sent(): RecordedRequest[] }> {
  const fake = await startFake((req) => {
    const body = req.json ?? {};
    if (body.status === 'read') return { status: 200, body: { success: true } };
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: wamid() }],
      },
    };
  }, '/v21.0');
  return {
    ...fake,
    /** Messages accepted (not mark-as-read calls, not refused attempts), oldest first. */
    sent: () => fake.requests.filter((r) => r.json && r.json.status !== 'read' && r.status === 200),
  };
}

/** Twilio's Messages API (`/2010-04-01/Accounts/{sid}/Messages.json`). */
export async function startFakeTwilio(): Promise<FakeHttpProvider> {
  return startFake((req) => ({
    status: 201,
    body: {
      sid: `SM${randomBytes(16).toString('hex')}`,
      status: 'queued',
      to: req.form?.To,
      from: req.form?.From,
      body: req.form?.Body,
      api_version: '2010-04-01',
    },
  }));
}

/** SendGrid v3 Mail Send: 202 with an empty body and an X-Message-Id. */
export async function startFakeSendGrid(): Promise<FakeHttpProvider> {
  return startFake(() => ({
    status: 202,
    body: undefined,
    headers: { 'x-message-id': randomBytes(11).toString('base64url') },
  }));
}

export interface SmtpCapture {
  url: string;
  mails: ParsedMail[];
  /** The next `times` RCPT TO commands are refused with this SMTP code (550 permanent, 451 temporary). */
  refuseNext(code: number, times?: number): void;
  /**
   * The next `times` messages are read whole but never answered (no 250 after the data): the sender
   * hangs as on a stalled mail server, and nothing is captured. `held` counts those received so far.
   */
  holdNext(times?: number): void;
  held(): number;
  close(): Promise<void>;
}

/** A local SMTP server (smtp-server) that captures every message, parsed with mailparser. */
export async function startSmtpCapture(): Promise<SmtpCapture> {
  const mails: ParsedMail[] = [];
  const refusals: number[] = [];
  let toHold = 0;
  let held = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      const code = refusals.shift();
      if (code) {
        const err = new Error(code >= 500 ? 'mailbox unavailable' : 'try again later') as Error & {
          responseCode: number;
        };
        err.responseCode = code;
        callback(err);
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      if (toHold > 0) {
        toHold--;
        stream.on('data', () => undefined);
        stream.on('end', () => {
          held++;
        });
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refuseNext(code, times = 1) {
      for (let i = 0; i < times; i++) refusals.push(code);
    },
    holdNext(times = 1) {
      toHold += times;
    },
    held: () => held,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`waitFor timed out${last ? `: ${(last as Error).message}` : ''}`);
}
