import type { ChildProcess } from 'node:child_process';
import { io, type Socket } from 'socket.io-client';

/** Asks a benchmark child process to stop, and kills it if it has not within 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.send({ type: 'stop' });
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** A widget visitor socket, resolved once the server says `session:ready`. */
export function connectVisitorSocket(url: string, siteKey: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/widget`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { siteKey },
      extraHeaders: { origin: 'http://127.0.0.1' },
    });
    const timer = setTimeout(() => reject(new Error('connect timeout')), 30_000);
    socket.once('session:ready', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
