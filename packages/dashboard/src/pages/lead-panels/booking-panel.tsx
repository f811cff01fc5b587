import type { BookingDto, BookingSlot } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, bookingApi } from '../../api.js';
import { Badge, Button, ErrorNote } from '../../ui.js';

/**
 * The lead page's appointments (Cal.com): its bookings, and free slots to
 * book, move a booking to, or cancel it. Hidden when the tenant has not
 * connected Cal.com. A double click books once (the request key is per slot).
 */
export function BookingPanel(props: { leadId: string; onChanged?: () => void }) {
  const { leadId } = props;
  const [bookings, setBookings] = useState<BookingDto[] | null>(null);
  const [slots, setSlots] = useState<{ timeZone: string; slots: BookingSlot[] } | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState(true);

  const load = () =>
    bookingApi
      .leadBookings(leadId)
      .then(setBookings)
      .catch((e: Error) => setError(e.message));
  useEffect(() => {
    bookingApi
      .calcom()
      .then((v) => {
        setConnected(v.configured);
        if (v.configured) void load();
      })
      .catch(() => setConnected(false));
  }, [leadId]);
  if (!connected) return null;

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setSlots(null);
      setMoving(null);
      await load();
      props.onChanged?.();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const findSlots = async (bookingId: string | null) => {
    setBusy(true);
    setError(null);
    setMoving(bookingId);
    try {
      setSlots(await bookingApi.leadSlots(leadId));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const when = (iso: string, timeZone?: string) =>
    new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone });

  return (
    <div data-testid="booking-panel">
      <h3 class="mt-4 mb-1 text-xs font-semibold text-slate-500 uppercase">Appointments</h3>
      <ErrorNote error={error} />
      <ul class="space-y-1 text-sm">
        {bookings?.map((b) => (
          <li key={b.id} class="flex flex-wrap items-center gap-2" data-testid="booking">
            <span>{when(b.startsAt)}</span>
            {b.service && <span class="text-slate-500">{b.service}</span>}
            <Badge tone={b.status === 'booked' ? 'bg-emerald-100 text-emerald-800' : undefined}>{b.status}</Badge>
            <span class="text-xs text-slate-400">by {b.createdBy}</span>
            {b.status === 'booked' && (
              <>
                <Button variant="ghost" disabled={busy} onClick={() => void findSlots(b.id)}>
                  Move
                </Button>
                <Button
                  variant="ghost"
                  disabled={busy}
                  onClick={() => confirm('Cancel this appointment?') && void run(() => bookingApi.cancel(b.id))}
                >
                  Cancel
                </Button>
              </>
            )}
          </li>
        ))}
        {bookings?.length === 0 && <li class="text-slate-500">No appointment yet.</li>}
      </ul>
      <div class="mt-2 flex flex-wrap gap-2">
        {!slots && (
          <Button disabled={busy} onClick={() => void findSlots(null)}>
            Book an appointment
          </Button>
        )}
        {slots?.slots.map((s) => (
          <Button
            key={s.start}
            variant="secondary"
            disabled={busy}
            onClick={() =>
              void run(() =>
                moving
                  ? bookingApi.reschedule(moving, s.start)
                  : bookingApi.book(leadId, s.start, `${leadId}:${s.start}`),
              )
            }
          >
            {when(s.start, slots.timeZone)}
          </Button>
        ))}
        {slots && slots.slots.length === 0 && <span class="text-sm text-slate-500">No free slot in the window.</span>}
        {slots && (
          <Button
            variant="ghost"
            onClick={() => {
              setSlots(null);
              setMoving(null);
            }}
          >
            Close
          </Button>
        )}
      </div>
    </div>
  );
}
