import type { Server } from 'socket.io';

/**
 * Events between server processes, carried by the Socket.IO adapter under the deployment's prefix and
 * never seen by clients. Fire and forget: no process waits for another's answer.
 */
export interface InterServerEvents {
  /** A message was stored with nobody answering it yet: processes that answer should sweep now. */
  'replies:due': () => void;
}

export interface InterServer {
  announceRepliesDue(): void;
  onRepliesDue(listener: () => void): void;
}

/** Only with an adapter that spans processes (Redis); with the in-memory one there is nobody to tell. */
export function interServer(io: Server, acrossProcesses: boolean): InterServer {
  const typed = io as unknown as Server<Record<string, never>, Record<string, never>, InterServerEvents>;
  return {
    announceRepliesDue() {
      if (acrossProcesses) typed.serverSideEmit('replies:due');
    },
    onRepliesDue(listener) {
      if (acrossProcesses) typed.on('replies:due', listener);
    },
  };
}
