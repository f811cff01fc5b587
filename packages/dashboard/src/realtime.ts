import type { StaffClientToServer, StaffServerToClient } from '@leaddesk/shared';
import { io, type Socket } from 'socket.io-client';
import { session } from './api.js';

export type StaffSocket = Socket<StaffServerToClient, StaffClientToServer>;

let socket: StaffSocket | null = null;
let resumeTimer: ReturnType<typeof setTimeout> | undefined;

/** First wait before coming back after the server ended the session, and the longest one. */
export const RESUME_BASE_MS = 500;
export const RESUME_CAP_MS = 15_000;

/**
 * Backoff with full jitter (a uniform wait up to base·2^attempt, capped): when a draining server ends every
 * staff session at once, the tabs come back spread out instead of together. `random` is injectable for tests.
 */
export function resumeDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RESUME_CAP_MS, RESUME_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * The one `/staff` socket of this tab. The handshake reads the current
 * access token each time it (re)connects, so a refreshed token is used.
 *
 * socket.io-client reconnects by itself after a lost transport (its own backoff, ±50% jitter), but not after
 * `io server disconnect`, which a server sends to the sockets it still holds when it shuts down or restarts:
 * that case is resumed here. What the tab missed meanwhile comes from each page's reload on `connect`
 * (the inbox reloads its list and reopens the conversation).
 */
export function staffSocket(): StaffSocket {
  if (socket) return socket;
  const s = io('/staff', {
    transports: ['websocket'],
    auth: (cb) => cb({ token: session.token ?? '', ...(session.clientId ? { clientId: session.clientId } : {}) }),
  }) as StaffSocket;
  let attempt = 0;
  s.on('connect', () => {
    attempt = 0;
  });
  s.on('disconnect', (reason) => {
    if (reason !== 'io server disconnect') return;
    resumeTimer = setTimeout(() => {
      resumeTimer = undefined;
      // A refused or failed handshake is retried by socket.io-client's own reconnection from here on.
      if (socket === s && !s.connected) s.connect();
    }, resumeDelay(attempt++));
  });
  socket = s;
  return s;
}

export function closeStaffSocket() {
  clearTimeout(resumeTimer);
  resumeTimer = undefined;
  socket?.disconnect();
  socket = null;
}

/** Emits a command and resolves with its data, or throws the server's error. */
// biome-ignore lint/suspicious/noExplicitAny: the ack type is the command's, checked at the call site
export async function command<T = any>(event: keyof StaffClientToServer, payload: unknown): Promise<T> {
  // biome-ignore lint/suspicious/noExplicitAny: the typed emit needs a literal event name
  const res = await (staffSocket().timeout(15_000) as any).emitWithAck(event, payload);
  if (!res.ok) throw Object.assign(new Error(res.error.message), { code: res.error.code });
  return res.data as T;
}
