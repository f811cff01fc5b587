/**
 * Cal.com API v2, SDK-free: the few calls Lead Desk needs (slots, bookings
 * create/reschedule/cancel, the key's own account for "test connection").
 * Every call sends `Authorization: Bearer <key>` and the `cal-api-version`
 * the endpoint documents (without it Cal.com answers with an older shape).
 * The base URL comes from CALCOM_BASE_URL so tests talk to a local fake that
 * speaks the same wire format.
 */

/** Versions documented per endpoint family. */
const SLOTS_VERSION = '2024-09-04';
const BOOKINGS_VERSION = '2024-08-13';

export interface CalcomClientOptions {
  baseUrl: string;
  apiKey: string;
  /** @default 10000 */
  timeoutMs?: number;
}

export interface CalcomSlot {
  start: string;
  end?: string;
}

export interface CalcomAttendee {
  name: string;
  email?: string;
  timeZone: string;
  phoneNumber?: string;
  language?: string;
}

export interface CalcomBooking {
  id: number;
  uid: string;
  status: string;
  start: string;
  end: string;
  eventTypeId?: number;
}

export interface CreateBookingInput {
  start: string;
  eventTypeId: number;
  attendee: CalcomAttendee;
  metadata?: Record<string, string>;
}

/** A refusal from Cal.com (or no answer at all: `status` 0). */
export class CalcomError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'CalcomError';
  }

  /** The slot was taken (or is outside availability) meanwhile: offer others. */
  get slotUnavailable(): boolean {
    return (
      (this.status === 400 || this.status === 409) &&
      /already has booking|not available|no available|unavailable|slot/i.test(this.message)
    );
  }

  get unauthorized(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export class CalcomClient {
  private readonly base: string;

  constructor(private readonly options: CalcomClientOptions) {
    this.base = options.baseUrl.replace(/\/$/, '');
  }

  /** The account the key belongs to (`GET /v2/me`). */
  me(): Promise<{ id?: number; email?: string; username?: string; timeZone?: string }> {
    return this.request('GET', '/v2/me', BOOKINGS_VERSION);
  }

  /** Available slots between two days (inclusive), as starts in `timeZone`, oldest first. */
  async slots(input: { eventTypeId: number; start: string; end: string; timeZone: string }): Promise<CalcomSlot[]> {
    const query = new URLSearchParams({
      eventTypeId: String(input.eventTypeId),
      start: input.start,
      end: input.end,
      timeZone: input.timeZone,
    });
    const byDay = await this.request<Record<string, CalcomSlot[]>>('GET', `/v2/slots?${query}`, SLOTS_VERSION);
    return Object.keys(byDay ?? {})
      .sort()
      .flatMap((day) => byDay[day] ?? [])
      .filter((s) => typeof s?.start === 'string')
      .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }

  createBooking(input: CreateBookingInput): Promise<CalcomBooking> {
    return this.request('POST', '/v2/bookings', BOOKINGS_VERSION, input);
  }

  /** Moves a booking; Cal.com answers with the new booking (a new uid, `rescheduledFromUid` the old one). */
  reschedule(uid: string, input: { start: string; reschedulingReason?: string }): Promise<CalcomBooking> {
    return this.request('POST', `/v2/bookings/${encodeURIComponent(uid)}/reschedule`, BOOKINGS_VERSION, input);
  }

  cancel(uid: string, input: { cancellationReason?: string }): Promise<CalcomBooking> {
    return this.request('POST', `/v2/bookings/${encodeURIComponent(uid)}/cancel`, BOOKINGS_VERSION, input);
  }

  private async request<T>(method: string, path: string, version: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          'cal-api-version': version,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new CalcomError(`Cal.com unreachable: ${(err as Error).message}`, 0, 'network');
    }
    const json = (await res.json().catch(() => null)) as {
      status?: string;
      data?: T;
      error?: { code?: string; message?: string };
      message?: string;
    } | null;
    if (res.ok && json?.status === 'success') return json.data as T;
    const message = json?.error?.message ?? json?.message ?? `Cal.com HTTP ${res.status}`;
    throw new CalcomError(message, res.status, json?.error?.code);
  }
}
