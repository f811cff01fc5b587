import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from './fake-providers.js';

/**
 * A local Cal.com API v2 speaking its documented wire format (the shapes of
 * ../shared/fixtures/calcom: `{ status: 'success', data }`, slots grouped by
 * day, the "already has booking" error), so the server's own Cal.com client
 * runs unchanged against it by CALCOM_BASE_URL. It keeps its own calendar:
 * a slot booked (here or by `take()`, "someone else meanwhile") is no longer
 * free and a second booking of it is refused.
 */
export interface FakeBooking {
  id: number;
  uid: string;
  status: 'accepted' | 'cancelled';
  start: string;
  end: string;
  eventTypeId: number;
  attendees: Array<Record<string, unknown>>;
  metadata: Record<string, unknown>;
  rescheduledFromUid?: string;
}

export interface FakeCalcom {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  bookings: Map<string, FakeBooking>;
  /** The free slot starts (ISO, UTC), before bookings are removed. */
  slotStarts: string[];
  /** Someone else books this start on Cal.com directly. */
  take(start: string): void;
  /** Requests to a path prefix with a method, oldest first. */
  calls(method: string, pathPrefix: string): RecordedRequest[];
  close(): Promise<void>;
}

const DURATION_MS = 60 * 60_000;

/** Slots at 09:00, 10:00 and 11:00 UTC on the `days` days after tomorrow. */
export function upcomingSlotStarts(days = 3, from = new Date()): string[] {
  const starts: string[] = [];
  for (let d = 2; d < 2 + days; d++) {
    for (const h of [9, 10, 11]) {
      const t = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + d, h));
      starts.push(t.toISOString());
    }
  }
  return starts;
}

export async function startFakeCalcom(options: { apiKey?: string; slotStarts?: string[] } = {}): Promise<FakeCalcom> {
  const apiKey = options.apiKey ?? `cal_live_${randomBytes(16).toString('hex')}`;
  const slotStarts = options.slotStarts ?? upcomingSlotStarts();
  const requests: RecordedRequest[] = [];
  const bookings = new Map<string, FakeBooking>();
  const takenElsewhere = new Set<number>();
  let nextId = 100;

  const busy = (start: string) => {
    const t = Date.parse(start);
    if (takenElsewhere.has(t)) return true;
    return [...bookings.values()].some((b) => b.status === 'accepted' && Date.parse(b.start) === t);
  };
  const error = (status: number, code: string, message: string, path: string) => ({
    status,
    body: { status: 'error', timestamp: new Date().toISOString(), path, error: { code, message } },
  });

  const respond = (req: RecordedRequest): { status: number; body: unknown } => {
    const url = new URL(req.path, 'http://fake');
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return error(401, 'UnauthorizedException', 'Invalid API Key', url.pathname);
    }
    if (req.method === 'GET' && url.pathname === '/v2/me') {
      return {
        status: 200,
        body: {
          status: 'success',
          data: { id: 1, email: 'clinic@example.com', username: 'clinic', timeZone: 'Europe/Rome' },
        },
      };
    }
    if (req.method === 'GET' && url.pathname === '/v2/slots') {
      const from = url.searchParams.get('start') ?? '';
      const to = url.searchParams.get('end') ?? '';
      const data: Record<string, Array<{ start: string }>> = {};
      for (const start of slotStarts) {
        const day = start.slice(0, 10);
        if (day < from || day > to || busy(start)) continue;
        const list = data[day] ?? [];
        list.push({ start });
        data[day] = list;
      }
      return { status: 200, body: { status: 'success', data } };
    }
    const bookingCall = /^\/v2\/bookings\/([^/]+)\/(reschedule|cancel)$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/v2/bookings') {
      const body = req.json as {
        start: string;
        eventTypeId: number;
        attendee: Record<string, unknown>;
        metadata?: Record<string, unknown>;
      };
      if (!slotStarts.some((s) => Date.parse(s) === Date.parse(body.start)) || busy(body.start)) {
        return error(
          400,
          'BadRequestException',
          'User either already has booking at this time or is not available',
          url.pathname,
        );
      }
      return {
        status: 201,
        body: { status: 'success', data: book(body.start, body.eventTypeId, [body.attendee], body.metadata ?? {}) },
      };
    }
    if (req.method === 'POST' && bookingCall) {
      const old = bookings.get(decodeURIComponent(bookingCall[1] as string));
      if (!old || old.status !== 'accepted')
        return error(400, 'BadRequestException', 'Booking is cancelled', url.pathname);
      if (bookingCall[2] === 'cancel') {
        old.status = 'cancelled';
        return { status: 200, body: { status: 'success', data: old } };
      }
      const start = (req.json as { start: string }).start;
      if (!slotStarts.some((s) => Date.parse(s) === Date.parse(start)) || busy(start)) {
        return error(
          400,
          'BadRequestException',
          'User either already has booking at this time or is not available',
          url.pathname,
        );
      }
      old.status = 'cancelled';
      const moved = book(start, old.eventTypeId, old.attendees, old.metadata);
      moved.rescheduledFromUid = old.uid;
      return { status: 201, body: { status: 'success', data: moved } };
    }
    return error(404, 'NotFoundException', `Cannot ${req.method} ${url.pathname}`, url.pathname);
  };

  function book(
    start: string,
    eventTypeId: number,
    attendees: Array<Record<string, unknown>>,
    metadata: Record<string, unknown>,
  ) {
    const id = nextId++;
    const b: FakeBooking = {
      id,
      uid: `booking_uid_${id}_${randomBytes(4).toString('hex')}`,
      status: 'accepted',
      start: new Date(start).toISOString(),
      end: new Date(Date.parse(start) + DURATION_MS).toISOString(),
      eventTypeId,
      attendees,
      metadata,
    };
    bookings.set(b.uid, b);
    return b;
  }

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
      if (body && (req.headers['content-type'] ?? '').includes('json')) recorded.json = JSON.parse(body);
      requests.push(recorded);
      const answer = respond(recorded);
      recorded.status = answer.status;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    bookings,
    slotStarts,
    take(start) {
      takenElsewhere.add(Date.parse(start));
    },
    calls(method, prefix) {
      return requests.filter((r) => r.method === method && r.path.startsWith(prefix));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
