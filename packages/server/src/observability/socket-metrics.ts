import type { Namespace, Server } from 'socket.io';
import { socketConnections, socketEvents } from './metrics.js';

/**
 * Counts connections and events per Socket.IO namespace (`/widget`, `/staff`) by listening
 * alongside the namespaces' own handlers, so realtime code needs no change. Call once,
 * after the namespaces are created; one created later is picked up too.
 */
export function observeSockets(io: Server): void {
  const seen = new WeakSet<Namespace>();
  const watch = (nsp: Namespace) => {
    if (seen.has(nsp)) return;
    seen.add(nsp);
    const namespace = nsp.name;
    nsp.on('connection', (socket) => {
      // A namespace handler that ran first may have refused it already.
      if (socket.disconnected) return;
      socketConnections.inc({ namespace });
      socket.onAny(() => socketEvents.inc({ namespace, direction: 'in' }));
      // Also called for room broadcasts that reach this socket, not only socket.emit.
      socket.onAnyOutgoing(() => socketEvents.inc({ namespace, direction: 'out' }));
      socket.once('disconnect', () => socketConnections.dec({ namespace }));
    });
  };
  // `_nsps` is Socket.IO's map of namespaces; `new_namespace` covers those created later.
  for (const nsp of io._nsps.values()) watch(nsp);
  io.on('new_namespace', watch);
}
