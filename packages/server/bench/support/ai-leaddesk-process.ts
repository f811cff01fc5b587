/**
 * Child process for the AI latency benchmark: the real Lead Desk server with
 * the AI engine pointed at the fake Anthropic server. Instrumented in-process
 * (one clock): when each visitor message arrives on its socket (a
 * `prependAny` listener runs before the handlers), when it is stored (the
 * core's `message.created`), and when the provider request leaves (the
 * HTTP client's `end` with the request body, wrapped). Messages carry a `[bench:<id>]`
 * marker to match the three.
 *
 * Deltas: the fake provider stamps each one with a unique mark; a hook on the
 * provider connection's TCP socket notes when the server read it, and the
 * engine.io `flush` of each visitor socket when it was written to the
 * visitor. Their difference is the latency the server adds to each delta.
 */
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import type { Socket } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import { createClient } from '../../src/tenants/tenant-service.js';

const MARK = /\[bench:([\w-]+)\]/;
const arrived = new Map<string, number>();
const stored = new Map<string, number>();
const samples = {
  arrivalToRequest: [] as number[],
  /** The same, for a conversation's first message only (it creates the lead and the conversation). */
  firstArrivalToRequest: [] as number[],
  laterArrivalToRequest: [] as number[],
  arrivalToStored: [] as number[],
  storedToRequest: [] as number[],
  deltaServerAdded: [] as number[],
};
const STAMP_BYTES = Buffer.from('⏱');
/** Provider delta stamp → when this process read it off the provider's stream. */
const deltaRead = new Map<string, number>();

/**
 * Notes when each stamped delta comes off the provider's TCP socket, before
 * the HTTP parser sees it: the earliest moment the server has the bytes. A
 * `data` listener put in front of the HTTP client's own scans the raw bytes,
 * so the measurement adds no stream layer or promise to the path it measures.
 */
function observeProviderSocket(socket: Socket): void {
  let carry: Buffer | undefined;
  socket.prependListener('data', (chunk: Buffer) => {
    const now = performance.now();
    const bytes = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = undefined;
    let at = bytes.indexOf(STAMP_BYTES);
    while (at >= 0) {
      const end = bytes.indexOf(STAMP_BYTES, at + STAMP_BYTES.length);
      if (end < 0) {
        carry = Buffer.from(bytes.subarray(at)); // a stamp split across two reads
        break;
      }
      const stamp = bytes.toString('latin1', at + STAMP_BYTES.length, end);
      if (!deltaRead.has(stamp)) deltaRead.set(stamp, now);
      at = bytes.indexOf(STAMP_BYTES, end + STAMP_BYTES.length);
    }
  });
}
const providerPort = Number(new URL(process.env.ANTHROPIC_BASE_URL ?? 'http://127.0.0.1:1').port);
diagnostics.subscribe('net.client.socket', (message) => {
  const { socket } = message as { socket: Socket };
  socket.once('connect', () => {
    if (socket.remotePort === providerPort) observeProviderSocket(socket);
  });
});

/** A provider request leaving: the request body handed to the HTTP client (the SDKs' transport ends every request with its whole body). */
function requestLeaving(body: string): void {
  const now = performance.now();
  // The marker is in the last visitor message, near the end of the request body.
  const id = body.includes('record_qualification') ? MARK.exec(body.slice(-2000))?.[1] : undefined;
  const a = id ? arrived.get(id) : undefined;
  if (!id || a === undefined) return;
  const s = stored.get(id);
  samples.arrivalToRequest.push(now - a);
  // Markers are `<visitor>-<message index>-<random>`.
  (id.split('-')[1] === '0' ? samples.firstArrivalToRequest : samples.laterArrivalToRequest).push(now - a);
  if (s !== undefined) {
    samples.arrivalToStored.push(s - a);
    samples.storedToRequest.push(now - s);
  }
  arrived.delete(id);
  stored.delete(id);
}
const realEnd = http.ClientRequest.prototype.end;
http.ClientRequest.prototype.end = function (this: http.ClientRequest, ...args: unknown[]) {
  if (typeof args[0] === 'string' && this.path.endsWith('/messages')) requestLeaving(args[0]);
  return (realEnd as (...a: unknown[]) => http.ClientRequest).apply(this, args);
} as typeof realEnd;

const config = loadConfig(process.env);
const server = await startServer(config, createLogger({ level: config.logLevel, pretty: false }));
server.io.of('/widget').on('connection', (socket) => {
  // engine.io hands the packets to the WebSocket in 'flush'.
  socket.conn.on('flush', (packets: Array<{ data?: unknown }>) => {
    const now = performance.now();
    for (const packet of packets) {
      if (typeof packet.data !== 'string') continue;
      let at = packet.data.indexOf('⏱');
      while (at >= 0) {
        const end = packet.data.indexOf('⏱', at + 1);
        if (end < 0) break;
        const stamp = packet.data.slice(at + 1, end);
        const read = deltaRead.get(stamp);
        if (read !== undefined) {
          samples.deltaServerAdded.push(now - read);
          deltaRead.delete(stamp);
        }
        at = packet.data.indexOf('⏱', end + 1);
      }
    }
  });
  socket.prependAny((event: string, payload: { content?: string }) => {
    if (event !== 'message:send') return;
    const id = MARK.exec(payload?.content ?? '')?.[1];
    if (id) arrived.set(id, performance.now());
  });
});
server.app.conversation.core.events.on('message.created', (e) => {
  if (e.message.role !== 'visitor') return;
  const id = MARK.exec(e.message.content)?.[1];
  if (id) stored.set(id, performance.now());
});
const { client } = await createClient(server.db.orm.em.fork(), {
  name: 'Bench Dental',
  industry: 'dental',
  plan: 'scale',
  allowedOrigins: ['*'],
});
const { client: neighbour } = await createClient(server.db.orm.em.fork(), {
  name: 'Neighbour Hotel',
  industry: 'hotel',
  allowedOrigins: ['*'],
});
const SEED_CONVERSATIONS = Number(process.env.BENCH_SEED_CONVERSATIONS ?? 3000);
const seeded = await seedHistory([client.id, neighbour.id], SEED_CONVERSATIONS);

/**
 * A deployment in use rather than a database created a second ago: past
 * (ended) conversations of the bench tenant and of another one, four messages
 * each, then ANALYZE. On empty tables the planner has no statistics and
 * guesses (it scanned a tenant's every message for a reply's history);
 * autovacuum gathers them within a minute or two of real traffic, longer than
 * a run lasts.
 */
async function seedHistory(
  clientIds: string[],
  perTenant: number,
): Promise<{ conversations: number; messages: number }> {
  const db = server.db.orm.em.getConnection();
  for (const clientId of clientIds) {
    await db.execute(
      `with l as (
         insert into leads (id, client_id, handles, source, qualification, score_evidence, created_at, updated_at)
         select gen_random_uuid(), ?, jsonb_build_object('web', 'seed_' || g), 'web', '{"custom": {}}', '[]',
           now() - interval '2 days', now() - interval '2 days'
         from generate_series(1, ?) g
         returning id, handles->>'web' as visitor),
       c as (
         insert into conversations (id, client_id, lead_id, channel, status, mode, visitor_id, last_seq,
           last_message_at, created_at, updated_at, ended_at)
         select gen_random_uuid(), ?, l.id, 'web', 'ended', 'ai', l.visitor, 4,
           now() - interval '2 days', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days'
         from l
         returning id)
       insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
       select gen_random_uuid(), ?, c.id, s, case when s % 2 = 1 then 'visitor' else 'ai' end,
         'An earlier question or answer, number ' || s, '[]', 'web', 'sent', now() - interval '2 days'
       from c, generate_series(1, 4) s`,
      [clientId, perTenant, clientId, clientId],
    );
  }
  await db.execute('analyze');
  return { conversations: clientIds.length * perTenant, messages: clientIds.length * perTenant * 4 };
}
// How long work waited for the event loop (this process's own blocking plus the OS not scheduling it),
// and the garbage collector's pauses, which block it.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
let gcPauses: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });
process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'samples') {
    loopDelay.disable();
    const gc = [...gcPauses].sort((a, b) => a - b);
    const loop = {
      p50: loopDelay.percentile(50) / 1e6,
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
      gcCount: gc.length,
      gcTotalMs: gc.reduce((a, b) => a + b, 0),
      gcP50: gc[Math.floor(gc.length / 2)] ?? 0,
      gcMax: gc.at(-1) ?? 0,
    };
    process.send?.({ type: 'samples', samples, cpuMs: cpuMs(), loop });
  }
  if (msg.type === 'cpu') {
    loopDelay.reset();
    loopDelay.enable();
    gcPauses = [];
    process.send?.({ type: 'cpu', cpuMs: cpuMs() });
  }
  if (msg.type === 'stop') {
    await server.stop();
    process.exit(0);
  }
});
process.send?.({ type: 'ready', port: server.port, siteKey: client.siteKey, seeded });

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
