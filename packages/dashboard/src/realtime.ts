import type { StaffClientToServer, StaffServerToClient } from '@leaddesk/shared';
import { io, type Socket } from 'socket.io-client';
import { session } from './api.js';

export type StaffSocket = Socket<StaffServerToClient, StaffClientToServer>;

let socket: StaffSocket | null = null;

/**
 * The one `/staff` socket of this tab. The handshake reads the current
 * access token each time it (re)connects, so a refreshed token is used.
 */
export function staffSocket(): StaffSocket {
  if (socket) return socket;
  socket = io('/staff', {
    transports: ['websocket'],
    auth: (cb) => cb({ token: session.token ?? '', ...(session.clientId ? { clientId: session.clientId } : {}) }),
  }) as StaffSocket;
  return socket;
}

export function closeStaffSocket() {
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
