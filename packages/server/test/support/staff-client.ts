import type { StaffClientToServer, StaffServerToClient } from '@leaddesk/shared';
import { io, type Socket } from 'socket.io-client';
import { recordSocket } from './socket-recorder.js';

export type StaffSocket = Socket<StaffServerToClient, StaffClientToServer>;

export interface StaffClient {
  socket: StaffSocket;
  /** Every event received, in order, as [name, payload]. */
  events: Array<[string, unknown]>;
  waitFor<T = unknown>(name: string, predicate?: (payload: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Emits a command and resolves with its ack. */
  // biome-ignore lint/suspicious/noExplicitAny: acks of many shapes, asserted field by field in tests
  call<T = any>(event: keyof StaffClientToServer, payload: unknown): Promise<T>;
  close(): void;
}

/** A real socket.io-client staff member against a test server. */
export function connectStaff(url: string, auth: { token: string; clientId?: string }): StaffClient {
  const socket: StaffSocket = io(`${url}/staff`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth,
  });
  const { events, waitFor } = recordSocket(socket);
  return {
    socket,
    events,
    waitFor,
    call(event, payload) {
      // biome-ignore lint/suspicious/noExplicitAny: the typed emit needs a literal event name
      return (socket.timeout(10_000) as any).emitWithAck(event, payload);
    },
    close() {
      socket.disconnect();
    },
  };
}
