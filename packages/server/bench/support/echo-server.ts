/**
 * Child process for the baseline: a bare Socket.IO server speaking the same
 * /widget events with no database and no logic. Each message is acked, then
 * answered with one status, one delta and the end of the "reply".
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false });
let seq = 0;
io.of('/widget').on('connection', (socket) => {
  const visitorId = randomUUID();
  socket.emit('session:ready', {
    visitorId,
    visitorToken: visitorId,
    conversationId: null,
    businessName: 'Echo',
    mode: 'ai',
  });
  socket.on('message:send', (payload: { content: string }, ack: (res: unknown) => void) => {
    const message = { id: randomUUID(), seq: ++seq, role: 'visitor', content: payload.content };
    ack({ ok: true, data: { message, duplicate: false } });
    const messageId = randomUUID();
    socket.emit('ai:status', { conversationId: 'c', status: 'thinking' });
    socket.emit('reply:started', { messageId, conversationId: 'c' });
    socket.emit('reply:delta', { messageId, index: 0, text: payload.content });
    socket.emit('reply:ended', { messageId, message: { ...message, role: 'ai', seq: ++seq }, quickReplies: [] });
  });
});
http.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (http.address() as AddressInfo).port });
});
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage().rss, cpuMs: cpuMs() });
  // The capacity bench collects garbage before reading RSS (the process runs with --expose-gc there).
  if (msg.type === 'gc') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ type: 'gc' });
  }
  if (msg.type === 'stop') io.close(() => process.exit(0));
});

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
