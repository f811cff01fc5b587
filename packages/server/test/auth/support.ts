import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Role } from '@leaddesk/shared';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createAgency } from '../../src/agencies/index.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { type IClient, type IUser, User } from '../../src/db/entities/index.js';
import { createClient } from '../../src/tenants/tenant-service.js';
import type { DbKind } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/** A strong password zxcvbn accepts; each user gets its own. */
export const strongPassword = () => `Velvet-Harbor-${randomUUID().slice(0, 8)}-Quartz`;

export interface CapturedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** A local SMTP server (smtp-server) the real nodemailer transport delivers to. */
export async function startMailCatcher() {
  const messages: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      // Parsed by mailparser: account emails are multipart (text and HTML), quoted-printable inside.
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(predicate: (m: CapturedMail) => boolean, timeoutMs = 20_000): Promise<CapturedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('no matching email arrived');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type MailCatcher = Awaited<ReturnType<typeof startMailCatcher>>;

/** The token in a mailed link's fragment (`#token=…`). */
export function tokenFromMail(mail: CapturedMail): string {
  const m = /#token=([A-Za-z0-9_%-]+)/.exec(mail.text);
  if (!m?.[1]) throw new Error(`no token link in mail: ${mail.text}`);
  return decodeURIComponent(m[1]);
}

/** A clock the test moves; the server's auth decisions read it. */
export function testClock(start = Date.now()) {
  let now = start;
  return {
    fn: () => new Date(now),
    set(ms: number) {
      now = ms;
    },
    advance(ms: number) {
      now += ms;
    },
    get ms() {
      return now;
    },
  };
}

/** Captures the server's JSON log lines. */
export function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { stream, lines };
}

export interface AuthTestServerOptions {
  db?: DbKind;
  env?: Record<string, string | undefined>;
  clock?: ReturnType<typeof testClock>;
  logStream?: Writable;
}

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes, asserted field by field in tests
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as X-Forwarded-For (trusted from loopback): each test can be its own IP. */
  ip?: string;
}

export async function startAuthServer(options: AuthTestServerOptions = {}) {
  const server: TestServer = await startTestServer({
    db: options.db ?? 'embedded',
    clock: options.clock?.fn,
    logStream: options.logStream,
    env: {
      APP_SECRET: 'test-app-secret-that-is-long-enough-0123456789',
      RATE_LIMIT_PER_IP: '100000',
      RATE_LIMIT_AUTH: '100000',
      RATE_LIMIT_STARTER: '100000',
      RATE_LIMIT_GROWTH: '100000',
      RATE_LIMIT_SCALE: '100000',
      ...options.env,
    },
  });
  const responses: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes, asserted field by field in tests
  async function api<T = any>(path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.ip) headers['x-forwarded-for'] = opts.ip;
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: opts.method ?? (opts.body !== undefined ? 'POST' : 'GET'),
      headers,
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    const text = await res.text();
    responses.push(text);
    // biome-ignore lint/suspicious/noExplicitAny: JSON bodies of many shapes, asserted field by field in tests
    let body: any;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, headers: res.headers, body, text };
  }

  async function createStaff(input: {
    client: IClient | null;
    /** Agency staff (issue 18): an agency instead of a client. */
    agency?: { id: string } | null;
    role: Role;
    email?: string;
    password?: string;
    name?: string;
  }): Promise<{ user: IUser; email: string; password: string }> {
    const em = server.db.orm.em.fork();
    const email = input.email ?? `${input.role}-${randomUUID().slice(0, 8)}@example.com`;
    const password = input.password ?? strongPassword();
    const user = em.create(User, {
      id: randomUUID(),
      client: input.client?.id ?? null,
      agency: input.agency?.id ?? null,
      email,
      name: input.name ?? `${input.role} person`,
      role: input.role,
      passwordHash: await hashPassword(password),
      emailVerifiedAt: null,
      backupCodeHashes: [],
    });
    await em.flush();
    return { user, email, password };
  }

  async function login(email: string, password: string, opts: { ip?: string; device?: string } = {}) {
    const res = await api('/auth/login', {
      body: { email, password, tokenTransport: 'body', device: opts.device },
      ip: opts.ip,
    });
    if (res.status !== 200 || res.body.status !== 'authenticated') {
      throw new Error(`login failed: ${res.status} ${res.text}`);
    }
    return res.body as { accessToken: string; refreshToken: string; user: { id: string } };
  }

  async function newClient(name: string, plan?: 'starter' | 'growth' | 'scale', agencyId?: string) {
    return createClient(server.db.orm.em.fork(), { name, industry: 'dental', plan, agencyId });
  }

  /** An agency (issue 18) straight in the database, as a super admin's POST /admin/agencies would make it. */
  async function newAgency(name: string) {
    return createAgency(server.db.orm.em.fork(), { name });
  }

  return { server, api, createStaff, login, newClient, newAgency, responses };
}
export type AuthTestServer = Awaited<ReturnType<typeof startAuthServer>>;

/** `ld_refresh=…` from a Set-Cookie header, with its attributes. */
export function refreshCookie(headers: Headers): { value: string; attributes: string } | null {
  const all = headers.getSetCookie();
  const line = all.find((c) => c.startsWith('ld_refresh='));
  if (!line) return null;
  const [pair = '', ...attrs] = line.split(';');
  return { value: decodeURIComponent(pair.slice('ld_refresh='.length)), attributes: attrs.join(';') };
}
