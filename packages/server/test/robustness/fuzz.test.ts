import { createHmac, randomUUID } from 'node:crypto';
import { STAFF_COMMAND_ACTIONS } from '@leaddesk/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { signGenericBody } from '../../src/channels/missed-call/missed-call-routes.js';
import { signTwilioRequest } from '../../src/channels/sms/twilio-signature.js';
import { User } from '../../src/db/entities/index.js';
import { INSIGHT_TABLES } from '../../src/reports/insight-rollup.js';
import { createClient } from '../../src/tenants/tenant-service.js';
import {
  malformedBody,
  malformedParam,
  malformedQuery,
  mutate,
  plausibleObject,
  type Random,
  seededRandom,
  UNSTORABLE_STRINGS,
} from '../support/fuzz-payloads.js';
import { concretePath, listRoutes } from '../support/route-walk.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { type Answer, timedRequest } from '../support/timed-request.js';

/**
 * Thousands of malformed payloads, from a seeded generator, over every
 * webhook, every REST route (API key and staff session) and every socket
 * event of /widget and /staff, on one server: no answer >= 500 (no `internal`
 * ack), none later than 2 s, and no row stored by any of it.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const DEADLINE_MS = 2000;
const CONCURRENCY = 6;
const META_SECRET = 'fuzz-meta-app-secret';
const TELEPHONY_SECRET = 'fuzz-telephony-secret-0123456789';
const TWILIO_TOKEN = 'fuzz-twilio-auth-token-0123';
const PHONE_NUMBER_ID = '109876543210';
const ORIGIN = 'http://fuzz.example';

/** Routes that take no input at all (nothing to malform) and act on the credential: walked without one only. */
const NO_INPUT_ACTIONS = new Set([
  'POST /api/v1/client/api-key/rotate',
  'POST /api/v1/client/site-key/rotate',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/logout-all',
  'POST /api/v1/auth/email/verification',
  // No body means the default sequence: a valid command on a real conversation id.
  'POST /api/v1/conversations/:id/follow-ups/start',
  // No body: an admin's "refit now" of the tenant's conversion model (writes the model and an audit entry).
  'POST /api/v1/reports/scoring/model/refit',
]);
/** Tables whose rows are the inbox and the queue themselves (a signed webhook is stored before it is read). */
const QUEUE_TABLES = new Set(['webhook_events', 'job_queue', 'mikro_orm_migrations']);
/**
 * What a valid read writes by design, not a change of data: the report rollups (caches of the raw rows,
 * refreshed by `GET /reports` and the insights and scoring reports) and the audit of who opened or downloaded a lead (privacy).
 */
const READ_SIDE_TABLES = new Set<string>(['report_daily', 'report_rollup_state', ...INSIGHT_TABLES]);
const READ_AUDITS = "action not in ('lead.viewed', 'lead.exported')";

interface Tally {
  /** Total milliseconds per target, to see where a slow run spends its time. */
  ms: Map<string, number>;
  sent: number;
  statuses: Map<string, number>;
  failures: string[];
}

function record(tally: Tally, target: string, what: string, answer: Answer | { status: string }) {
  tally.sent++;
  if ('ms' in answer) tally.ms.set(target, (tally.ms.get(target) ?? 0) + (answer as Answer).ms);
  const key = String(answer.status);
  tally.statuses.set(key, (tally.statuses.get(key) ?? 0) + 1);
  const bad =
    answer.status === 'hung' ||
    answer.status === 'internal' ||
    (typeof answer.status === 'number' && answer.status >= 500);
  if (bad && tally.failures.length < 50) {
    const body = 'body' in answer ? String((answer as Answer).body).slice(0, 160) : '';
    tally.failures.push(`${target} [${what}] → ${answer.status} ${body}`);
  }
}

/** Runs `tasks` with at most `limit` at once. */
async function pool(tasks: Array<() => Promise<void>>, limit = CONCURRENCY): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (i < tasks.length) await (tasks[i++] as () => Promise<void>)();
    }),
  );
}

describe('fuzz: malformed input over every edge', () => {
  let server: TestServer;
  let apiKey: string;
  let staffToken: string;
  let siteKey: string;
  let slug: string;
  let realIds: string[] = [];
  const tally: Tally = { ms: new Map(), sent: 0, statuses: new Map(), failures: [] };
  let before: Record<string, number>;

  const countRows = async (): Promise<Record<string, number>> => {
    const conn = server.db.orm.em.getConnection();
    const tables = await conn.execute<{ tablename: string }[]>(
      `select tablename from pg_tables where schemaname = 'public' order by tablename`,
    );
    const out: Record<string, number> = {};
    for (const { tablename } of tables) {
      if (QUEUE_TABLES.has(tablename) || READ_SIDE_TABLES.has(tablename)) continue;
      const where = tablename === 'audit_logs' ? ` where ${READ_AUDITS}` : '';
      const rows = await conn.execute<{ n: string }[]>(`select count(*)::text as n from "${tablename}"${where}`);
      out[tablename] = Number(rows[0]?.n ?? 0);
    }
    return out;
  };

  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', origin: ORIGIN },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        APP_SECRET: 'fuzz-app-secret-that-is-long-enough-0123456789',
        META_APP_SECRET: META_SECRET,
        TELEPHONY_WEBHOOK_SECRET: TELEPHONY_SECRET,
        // Providers on a closed loopback port: nothing leaves the machine.
        META_GRAPH_BASE_URL: 'http://127.0.0.1:9/v21.0',
        TWILIO_BASE_URL: 'http://127.0.0.1:9',
        RATE_LIMIT_PER_IP: '1000000',
        RATE_LIMIT_AUTH: '1000000',
        RATE_LIMIT_STARTER: '1000000',
        WEB_FORM_RATE_PER_MINUTE: '100000',
        WIDGET_RATE_VISITOR_PER_MINUTE: '100000',
      },
    });
    const em = server.db.orm.em.fork();
    const created = await createClient(em, { name: 'Fuzz Dental', industry: 'dental', allowedOrigins: [ORIGIN] });
    apiKey = created.apiKey;
    siteKey = created.client.siteKey;
    slug = created.client.slug;
    const password = `Velvet-Harbor-${randomUUID().slice(0, 8)}-Quartz`;
    const admin = em.create(User, {
      id: randomUUID(),
      client: created.client.id,
      email: 'fuzz-admin@example.com',
      name: 'Fuzz Admin',
      role: 'admin',
      passwordHash: await hashPassword(password),
      emailVerifiedAt: new Date(),
      backupCodeHashes: [],
    });
    await em.flush();
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'fuzz-admin@example.com', password, tokenTransport: 'body' }),
    });
    staffToken = ((await login.json()) as { accessToken: string }).accessToken;
    await api('PUT', '/channels/whatsapp', apiKey, { phoneNumberId: PHONE_NUMBER_ID, accessToken: 'wa-fuzz-token' });
    await api('PUT', '/channels/twilio', apiKey, {
      accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
      authToken: TWILIO_TOKEN,
      phoneNumber: '+14155550100',
    });
    const kb = await api('POST', '/knowledge-bases', apiKey, { name: 'Fuzz KB' });
    // A lead and a conversation, so ids in paths and payloads can be real and bodies get read.
    const form = await fetch(`${server.url}/webhooks/web-form`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ siteKey, name: 'Real Lead', email: 'real@example.com', message: 'Hello there' }),
    });
    expect(form.status).toBeLessThan(300);
    const conv = await api('GET', '/conversations', apiKey);
    const leads = await api('GET', '/leads', apiKey);
    realIds = [kb.id, admin.id, conv.data[0].id, leads.data[0].id];
    before = await countRows();
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('answers every malformed payload within 2 s, never >= 500, and stores nothing', async () => {
    const started = performance.now();
    const r = seededRandom(SEED);
    const tasks: Array<() => Promise<void>> = [];
    const perTarget = new Map<string, number>();
    const add = (target: string, n: number, make: () => () => Promise<void>) => {
      perTarget.set(target, (perTarget.get(target) ?? 0) + n);
      for (let i = 0; i < n; i++) tasks.push(make());
    };

    // 1. Every REST route under /api/v1, with the API key and with the staff session.
    const routes = listRoutes(server.app.express).filter(
      (route) => route.path.startsWith('/api/v1/') && !NO_INPUT_ACTIONS.has(`${route.method} ${route.path}`),
    );
    for (const route of routes) {
      for (const [who, token] of [
        ['api-key', apiKey],
        ['staff', staffToken],
      ] as const) {
        add('rest', 16, () => {
          const param = route.method !== 'DELETE' && r.chance(0.5) ? r.pick(realIds) : malformedParam(r);
          let body = malformedBody(r);
          // An empty JSON body is `{}`: a valid JSON Merge Patch that changes nothing (RFC 7396), not malformed.
          while (route.method === 'PATCH' && body.kind === 'empty') body = malformedBody(r);
          const query = r.chance(0.6) ? `?${malformedQuery(r)}` : '';
          const url = `${server.url}${concretePath(route, param)}${query}`;
          const headers: Record<string, string> = { authorization: `Bearer ${token}` };
          if (body.contentType) headers['content-type'] = body.contentType;
          if (r.chance(0.1)) headers['x-client-id'] = r.pick(['nope', '00000000-0000-4000-8000-000000000000']);
          const sendBody = route.method !== 'GET' && route.method !== 'HEAD' ? body.body : undefined;
          return async () => {
            const answer = await timedRequest(url, { method: route.method, headers, body: sendBody }, DEADLINE_MS);
            record(tally, `${route.method} ${route.path} (${who})`, `${body.kind} ${url.slice(-80)}`, answer);
          };
        });
      }
    }

    // 2. Webhooks: WhatsApp (signed with bad content, and unsigned), Twilio SMS and voice, generic telephony, web form.
    add('whatsapp', 700, () => {
      const raw = whatsappBody(r);
      const signed = r.chance(0.8);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (signed)
        headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', META_SECRET).update(raw).digest('hex')}`;
      else if (r.chance(0.5)) headers['x-hub-signature-256'] = 'sha256=deadbeef';
      return async () => {
        const answer = await timedRequest(
          `${server.url}/webhooks/whatsapp`,
          { method: 'POST', headers, body: raw },
          DEADLINE_MS,
        );
        record(tally, 'POST /webhooks/whatsapp', signed ? 'signed' : 'unsigned', answer);
      };
    });
    for (const [path, make] of [
      ['/webhooks/sms', smsParams],
      ['/webhooks/sms/status', smsStatusParams],
      ['/webhooks/missed-call', voiceParams],
    ] as const) {
      add('twilio', 300, () => {
        const params = make(r);
        const url = `${server.url}${path}?client=${r.chance(0.9) ? slug : r.pick(['%00', '%ED%A0%80', 'nobody'])}`;
        const signed = r.chance(0.8);
        const body = new URLSearchParams(params).toString();
        const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
        // Signed over the fields as the server reads them back (a lone surrogate is sent as U+FFFD).
        const sent = Object.fromEntries(new URLSearchParams(body));
        if (signed) headers['x-twilio-signature'] = signTwilioRequest(TWILIO_TOKEN, url, sent);
        return async () => {
          const answer = await timedRequest(url, { method: 'POST', headers, body }, DEADLINE_MS);
          record(tally, `POST ${path}`, signed ? 'signed' : 'unsigned', answer);
        };
      });
    }
    add('telephony', 300, () => {
      const raw = genericMissedCallBody(r);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (r.chance(0.8)) headers['x-signature-256'] = signGenericBody(raw, TELEPHONY_SECRET);
      return async () => {
        const answer = await timedRequest(
          `${server.url}/webhooks/missed-call?client=${slug}`,
          { method: 'POST', headers, body: raw },
          DEADLINE_MS,
        );
        record(tally, 'POST /webhooks/missed-call (generic)', 'json', answer);
      };
    });
    add('web-form', 400, () => {
      const body = r.chance(0.7)
        ? { contentType: 'application/json', body: JSON.stringify(webFormPayload(r, siteKey)), kind: 'form-json' }
        : malformedBody(r);
      const headers: Record<string, string> = body.contentType ? { 'content-type': body.contentType } : {};
      return async () => {
        const answer = await timedRequest(
          `${server.url}/webhooks/web-form`,
          { method: 'POST', headers, body: body.body },
          DEADLINE_MS,
        );
        record(tally, 'POST /webhooks/web-form', body.kind, answer);
      };
    });
    await pool(tasks);
    const httpSeconds = ((performance.now() - started) / 1000).toFixed(1);

    // 3. Socket events of /widget and /staff, and malformed handshakes.
    const socketTally = await fuzzSockets(r, server.url, siteKey, staffToken, realIds, tally, perTarget);

    await server.app.channels.whatsappInbox.drain();
    const after = await countRows();
    const changed = Object.keys(after)
      .filter((t) => after[t] !== before[t])
      .map((t) => `${t}: ${before[t]} → ${after[t]}`);
    const poisoned = await server.db.orm.em
      .getConnection()
      .execute<{ n: string }[]>(`select count(*)::text as n from webhook_events where error is not null`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const slowest = [...tally.ms].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.log(`slowest targets (total ms): ${slowest.map(([t, ms]) => `${t} ${Math.round(ms)}`).join('; ')}`);
    console.log(
      `fuzz (seed ${SEED}): ${tally.sent} payloads in ${seconds}s (HTTP ${httpSeconds}s); per target ${JSON.stringify(Object.fromEntries(perTarget))}; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...tally.statuses].sort()))}; socket acks ${socketTally}; ` +
        `tables changed: ${changed.length ? changed.join(', ') : 'none'}; failures ${tally.failures.length}`,
    );
    expect(tally.failures).toEqual([]);
    expect(tally.sent).toBeGreaterThanOrEqual(5000);
    expect(changed).toEqual([]);
    expect(Number(poisoned[0]?.n)).toBe(0);
  }, 240_000);
});

// ---------------------------------------------------------------- webhook payloads

function whatsappBase(r: Random): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ wa_id: '14155550123', profile: { name: r.pick(['Ana', 'Ana\u0000Lopez', 'x\ud800']) } }],
              messages: [
                {
                  from: '14155550123',
                  id: `wamid.${randomUUID()}`,
                  timestamp: '1764633600',
                  type: 'text',
                  text: { body: 'Hi' },
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

/** A WhatsApp body that maps to nothing storable: every message it holds is broken. */
function whatsappBody(r: Random): string {
  const base = whatsappBase(r) as {
    entry: Array<{ changes: Array<{ value: { messages: unknown[]; metadata: unknown } }> }>;
  };
  const value = base.entry[0]!.changes[0]!.value;
  const message = value.messages[0] as Record<string, unknown>;
  switch (r.int(9)) {
    case 0:
      message.id = r.pick<unknown>([42, null, '', { $ne: null }]);
      break;
    case 1:
      delete message.from;
      break;
    case 2:
      message.text = { body: r.pick<unknown>([42, null, ['\u0000']]) };
      break;
    case 3:
      message.type = r.pick(['\u0000', 'unknown_type', '']);
      break;
    case 4:
      value.metadata = r.pick<unknown>([null, {}, { phone_number_id: 42 }, { phone_number_id: '\u0000' }]);
      break;
    case 5:
      return r.pick(['{', '', 'null', '[]', '{"object":"\u0000"}', '\u0000\u0000', '{"entry":"x"}']);
    case 6:
      value.messages = [mutate(r, message)].filter(
        (m) => typeof m !== 'object' || m === null || Array.isArray(m) || !('id' in m && 'from' in m && 'type' in m),
      );
      break;
    case 7:
      // An unknown phone number id: nobody's message.
      value.metadata = { phone_number_id: `99${r.int(1e9)}` };
      break;
    default:
      message.timestamp = r.pick<unknown>([42, null]);
      message.id = 7;
  }
  if (r.chance(0.1)) return `${JSON.stringify(base)}\u0000`;
  return JSON.stringify(base);
}

/** Twilio SMS form fields with no sender or no message id (so never a message). */
function smsParams(r: Random): Record<string, string> {
  const p: Record<string, string> = {
    To: '+14155550100',
    Body: r.pick(UNSTORABLE_STRINGS),
    NumMedia: r.pick(['1e309', '-1', '\u0000', '3']),
  };
  if (r.chance(0.5)) p.From = r.pick(['\u0000', '', '+1415\u00005550123']);
  else p.MessageSid = r.pick(['SM\u0000', '']);
  if (r.chance(0.3)) p.MediaUrl0 = '\u0000';
  return p;
}

function smsStatusParams(r: Random): Record<string, string> {
  return {
    From: '+14155550100',
    MessageSid: r.pick(['SM\u0000x', `SM${randomUUID()}`, '']),
    MessageStatus: r.pick(['failed', 'delivered', '\u0000', 'bogus']),
    ErrorCode: r.pick(['NaN', '1e309', '\u0000', '30003']),
  };
}

/** Twilio voice callbacks that are not a missed call from someone: a status we ignore, or no caller / call id. */
function voiceParams(r: Random): Record<string, string> {
  const p: Record<string, string> = { To: '+14155550100', Direction: r.pick(['inbound', 'outbound-api', '\u0000']) };
  switch (r.int(3)) {
    case 0:
      p.CallStatus = r.pick(['completed', 'ringing', '\u0000', 'in-progress']);
      p.From = '+14155550123';
      p.CallSid = `CA${r.int(1e9)}`;
      break;
    case 1:
      p.CallStatus = 'no-answer';
      p.CallSid = `CA${r.int(1e9)}`;
      if (p.Direction === 'outbound-api') p.Direction = 'inbound';
      break;
    default:
      p.DialCallStatus = 'busy';
      p.From = r.pick(['+14155550123', '\u0000']);
  }
  return p;
}

/** Generic telephony JSON whose status is never a missed call (or that is not an object at all). */
function genericMissedCallBody(r: Random): string {
  const m = mutate(r, { callId: `call-${r.int(1e9)}`, from: '+14155550123', status: 'no-answer' });
  if (m && typeof m === 'object' && !Array.isArray(m)) {
    return JSON.stringify({ ...(m as object), status: r.pick<unknown>(['\u0000', 'bogus', 42, null, 'completed']) });
  }
  return r.chance(0.2) ? '{"callId":' : JSON.stringify(m);
}

function webFormPayload(r: Random, siteKey: string): unknown {
  const base = { siteKey, name: 'Ana', email: 'ana@example.com', message: 'Do you do implants?' };
  const m = mutate(r, base);
  // Every field valid but one carrying a NUL: refused, not stripped (a browser form, not a signed provider).
  return r.chance(0.3) ? { ...base, [r.pick(['name', 'message', 'email', 'service'])]: r.pick(UNSTORABLE_STRINGS) } : m;
}

// ---------------------------------------------------------------- sockets

const WIDGET_ACK_EVENTS = ['message:send', 'visitor:identify', 'history:sync'] as const;
const WIDGET_NO_ACK_EVENTS = ['visitor:typing', 'message:read'] as const;

async function fuzzSockets(
  r: Random,
  url: string,
  siteKey: string,
  staffToken: string,
  realIds: string[],
  tally: Tally,
  perTarget: Map<string, number>,
): Promise<string> {
  const acks = new Map<string, number>();
  const count = (key: string) => acks.set(key, (acks.get(key) ?? 0) + 1);
  const connect = (nsp: string, auth: unknown, origin?: string) =>
    io(`${url}${nsp}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: auth as Record<string, unknown>,
      extraHeaders: origin ? { origin } : {},
    });
  const connected = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(err));
    });

  // Handshakes: each must be refused (connect_error) within the deadline, never with `internal`.
  const handshakes = 60;
  perTarget.set('socket-handshake', handshakes);
  for (let i = 0; i < handshakes; i++) {
    const widget = i % 2 === 0;
    const auth = widget
      ? mutate(r, { siteKey, visitorToken: `v_${'0'.repeat(32)}.${'A'.repeat(43)}` })
      : mutate(r, { token: staffToken, clientId: realIds[0] });
    const socket = connect(widget ? '/widget' : '/staff', auth, ORIGIN);
    const started = performance.now();
    const outcome = await Promise.race([
      new Promise<string>((resolve) => {
        // A handshake that is not an object is refused by Socket.IO's parser, which closes the transport.
        // (The namespace's refusal can arrive just before the transport closes: it wins.)
        socket.io.once('close', () => setTimeout(() => resolve('transport_closed'), 100));
        socket.once('connect', () => resolve('connected'));
        socket.once('connect_error', (err: Error & { data?: { code?: string } }) =>
          resolve(err.data?.code ?? err.message),
        );
      }),
      new Promise<string>((resolve) => setTimeout(() => resolve('hung'), DEADLINE_MS)),
    ]);
    socket.disconnect();
    count(`handshake:${outcome}`);
    record(tally, widget ? 'widget handshake' : 'staff handshake', `${Math.round(performance.now() - started)}ms`, {
      status: outcome === 'connected' ? 'connected' : outcome,
    });
  }

  const visitor = connect('/widget', { siteKey }, ORIGIN);
  const staff = connect('/staff', { token: staffToken });
  await Promise.all([connected(visitor), connected(staff)]);
  const errors: { widget: number } = { widget: 0 };
  visitor.on('error', () => {
    errors.widget++;
  });

  const emitWithAck = async (socket: Socket, event: string, payload: unknown): Promise<string> => {
    try {
      const res = (await socket.timeout(DEADLINE_MS).emitWithAck(event, payload)) as {
        ok: boolean;
        error?: { code: string };
      };
      return res.ok ? 'ok' : (res.error?.code ?? 'no-code');
    } catch {
      return 'hung';
    }
  };

  const tasks: Array<() => Promise<void>> = [];
  const widgetPerEvent = 80;
  for (const event of WIDGET_ACK_EVENTS) {
    perTarget.set(`widget ${event}`, widgetPerEvent);
    for (let i = 0; i < widgetPerEvent; i++) {
      const payload = mutate(r, plausibleObject(r));
      tasks.push(async () => {
        const outcome = await emitWithAck(visitor, event, payload);
        count(`widget:${outcome}`);
        record(tally, `widget ${event}`, 'payload', { status: outcome === 'ok' ? 'stored?' : outcome });
      });
    }
  }
  await pool(tasks, 4);
  // Events without an ack answer a bad payload with an `error` event: every one must come back.
  for (const event of WIDGET_NO_ACK_EVENTS) {
    perTarget.set(`widget ${event}`, widgetPerEvent);
    for (let i = 0; i < widgetPerEvent; i++) {
      const expected = errors.widget + 1;
      visitor.emit(event as 'visitor:typing', mutate(r, plausibleObject(r)) as { typing: boolean });
      const deadline = Date.now() + DEADLINE_MS;
      while (errors.widget < expected && Date.now() < deadline) await new Promise((res) => setTimeout(res, 2));
      const outcome = errors.widget >= expected ? 'error-event' : 'hung';
      count(`widget:${outcome}`);
      record(tally, `widget ${event}`, 'payload', { status: outcome });
    }
  }

  const staffTasks: Array<() => Promise<void>> = [];
  const staffPerEvent = 45;
  for (const event of Object.keys(STAFF_COMMAND_ACTIONS)) {
    perTarget.set(`staff ${event}`, staffPerEvent);
    for (let i = 0; i < staffPerEvent; i++) {
      const base = { ...plausibleObject(r), conversationId: r.pick(realIds) };
      const payload = mutate(r, base);
      staffTasks.push(async () => {
        const outcome = await emitWithAck(staff, event, payload);
        count(`staff:${outcome}`);
        record(tally, `staff ${event}`, 'payload', { status: outcome === 'ok' ? 'accepted' : outcome });
      });
    }
  }
  await pool(staffTasks, 4);
  visitor.disconnect();
  staff.disconnect();
  return JSON.stringify(Object.fromEntries([...acks].sort()));
}
