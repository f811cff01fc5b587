/**
 * In-process probes shared by the AI benchmark's server processes (Lead Desk
 * and the bare relay baseline), so both are measured the same way, on one
 * clock:
 * - a visitor message arriving on its socket (a `prependAny` listener runs
 *   before the handlers), stored (the caller reports it), and the provider
 *   request leaving (the HTTP client's `end` with the request body). Messages
 *   carry a `[bench:<id>]` marker to match the three.
 * - each provider delta (stamped with a unique mark by the fake provider)
 *   read off the provider connection's TCP socket, and written to the
 *   visitor (engine.io's `flush`). The difference is the latency the server
 *   adds to each delta.
 * - the event-loop delay and the garbage collector's pauses.
 * The parent asks over IPC: `cpu` (starts the measured window), `samples`.
 */
import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import type { Socket } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { Namespace } from 'socket.io';

const MARK = /\[bench:([\w-]+)\]/;
const arrived = new Map<string, number>();
const stored = new Map<string, number>();
const samples = {
  arrivalToRequest: [] as number[],
  /** The same, for a conversation's first message only (Lead Desk: it creates the lead and the conversation). */
  firstArrivalToRequest: [] as number[],
  laterArrivalToRequest: [] as number[],
  arrivalToStored: [] as number[],
  storedToRequest: [] as number[],
  deltaServerAdded: [] as number[],
};
const STAMP_BYTES = Buffer.from('⏱');
/** Provider delta stamp → when this process read it off the provider's stream. */
const deltaRead = new Map<string, number>();

/** The bench marker in a message, if any. */
export function benchMarker(content: string | undefined): string | undefined {
  return MARK.exec(content ?? '')?.[1];
}

/** The caller's "message stored" moment (Lead Desk: the core's `message.created`). */
export function noteStored(content: string): void {
  const id = benchMarker(content);
  if (id) stored.set(id, performance.now());
}

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

/** Watches every visitor socket of a namespace: messages arriving, stamped deltas written. */
export function watchVisitorSockets(nsp: Namespace): void {
  nsp.on('connection', (socket) => {
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
}

/** Answers the parent's `cpu` and `samples` requests; `onStop` runs on `stop`. */
export function answerParent(onStop: () => Promise<void>): void {
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
      await onStop();
      process.exit(0);
    }
  });
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
