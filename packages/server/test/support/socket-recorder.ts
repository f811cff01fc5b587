import type { Socket } from 'socket.io-client';

export interface SocketRecorder {
  /** Every event received, in order, as [name, payload]. */
  events: Array<[string, unknown]>;
  /** The first event (already received or still to come) with this name that the predicate accepts. */
  waitFor<T = unknown>(name: string, predicate?: (payload: T) => boolean, timeoutMs?: number): Promise<T>;
}

/**
 * Records what a test socket receives — server events, and `connect`,
 * `connect_error` and `disconnect` — so that tests can wait for an event
 * whether it arrived before or after they started waiting.
 */
// biome-ignore lint/suspicious/noExplicitAny: shared by the widget and staff sockets, whose event maps differ
export function recordSocket(socket: Socket<any, any>): SocketRecorder {
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
  socket.on('connect_error', (err: Error) => record('connect_error', err));
  socket.on('disconnect', (reason: string) => record('disconnect', reason));
  return {
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
  };
}
