import type { StaffClientToServer, StaffServerToClient } from '@leaddesk/shared';
import { io, type Socket } from 'socket.io-client';

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
  const events: Array<[string, unknown]> = [];
  const waiters: Array<{ name: string; predicate?: (p: unknown) => boolean; resolve: (p: unknown) => void }> = [];
  const record = (name: string, payload: unknown) => {
    events.push([name, payload]);
    for (const w of [...waiters]) {
      if (w.name === name && (!w.predicate || w.predicate(payload))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(payload);
      }
    }
  };
  socket.onAny((name: string, payload: unknown) => record(name, payload));
  socket.on('connect', () => record('connect', null));
  socket.on('connect_error', (err) => record('connect_error', err));
  socket.on('disconnect', (reason) => record('disconnect', reason));
  return {
    socket,
    events,
    waitFor<T>(name: string, predicate?: (payload: T) => boolean, timeoutMs = 10_000): Promise<T> {
      const seen = events.find(([n, p]) => n === name && (!predicate || predicate(p as T)));
      if (seen) return Promise.resolve(seen[1] as T);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${name}`)), timeoutMs);
        waiters.push({
          name,
          predicate: predicate as ((p: unknown) => boolean) | undefined,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p as T);
          },
        });
      });
    },
    call(event, payload) {
      // biome-ignore lint/suspicious/noExplicitAny: the typed emit needs a literal event name
      return (socket.timeout(10_000) as any).emitWithAck(event, payload);
    },
    close() {
      socket.disconnect();
    },
  };
}
