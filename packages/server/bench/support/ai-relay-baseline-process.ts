/**
 * The AI benchmark's baseline: the least a server can do for the same job,
 * measured by the same probes in the same run. A Socket.IO `/widget`
 * namespace that acknowledges each `message:send` at once, asks the fake
 * provider through the Anthropic SDK (the same transport and the same request
 * shape: system prompt, history, the qualification tool) and relays every
 * text delta to the visitor's socket, then `reply:ended`. No database, no
 * tenant, no router, no prompt building, no storage, no staff fan-out: what
 * it measures is the machine, Node, Socket.IO and the SDK.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { Server } from 'socket.io';
import { nodeHttpFetch } from '../../src/ai/providers/node-http-fetch.js';
import { answerParent, noteStored, watchVisitorSockets } from './latency-probes.js';

const anthropic = new Anthropic({
  apiKey: 'sk-ant-bench',
  authToken: null,
  baseURL: process.env.ANTHROPIC_BASE_URL,
  maxRetries: 0,
  fetch: nodeHttpFetch,
});
const SYSTEM = `You are the assistant of Bench Dental. ${'Answer briefly and ask one question at a time. '.repeat(40)}`;
const TOOL = {
  name: 'record_qualification',
  description: 'Record the qualification of the lead.',
  input_schema: { type: 'object' as const, properties: { intent: { type: 'string' } } },
};

const http = createServer();
const io = new Server(http, { cors: { origin: true }, serveClient: false });
const nsp = io.of('/widget');
watchVisitorSockets(nsp);
nsp.on('connection', (socket) => {
  socket.emit('session:ready', {
    visitorId: socket.id,
    visitorToken: socket.id,
    conversationId: null,
    businessName: 'Bench',
    mode: 'ai',
  });
  const history: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  socket.on('message:send', async (payload: { content: string }, ack: (res: unknown) => void) => {
    noteStored(payload.content);
    ack({ ok: true, data: { duplicate: false } });
    history.push({ role: 'user', content: payload.content });
    const messageId = `m${Math.random().toString(36).slice(2)}`;
    let index = 0;
    let text = '';
    const stream = await anthropic.messages.create({
      model: 'claude-bench',
      max_tokens: 512,
      system: SYSTEM,
      messages: history.slice(-12),
      tools: [TOOL],
      stream: true,
    });
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
        text += event.delta.text;
        socket.emit('reply:delta', { messageId, index: index++, text: event.delta.text });
      }
    }
    history.push({ role: 'assistant', content: text });
    socket.emit('reply:ended', { messageId });
  });
});
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
answerParent(async () => {
  io.close();
});
process.send?.({ type: 'ready', port: (http.address() as AddressInfo).port, siteKey: 'baseline' });
