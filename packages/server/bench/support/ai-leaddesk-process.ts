/**
 * Child process for the AI latency benchmark: the real Lead Desk server with
 * the AI engine pointed at the fake Anthropic server. Instrumented in-process
 * (one clock): when each visitor message arrives on its socket (a
 * `prependAny` listener runs before the handlers), when it is stored (the
 * core's `message.created`), and when the provider request leaves (the
 * global `fetch` the SDK calls, wrapped). Messages carry a `[bench:<id>]`
 * marker to match the three.
 */
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import { createClient } from '../../src/tenants/tenant-service.js';

const MARK = /\[bench:([\w-]+)\]/;
const arrived = new Map<string, number>();
const stored = new Map<string, number>();
const samples = { arrivalToRequest: [] as number[], arrivalToStored: [] as number[], storedToRequest: [] as number[] };

const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
  const now = performance.now();
  if (typeof init?.body === 'string' && init.body.includes('record_qualification')) {
    const id = MARK.exec(init.body.slice(-2000))?.[1];
    const a = id ? arrived.get(id) : undefined;
    const s = id ? stored.get(id) : undefined;
    if (id && a !== undefined) {
      samples.arrivalToRequest.push(now - a);
      if (s !== undefined) {
        samples.arrivalToStored.push(s - a);
        samples.storedToRequest.push(now - s);
      }
      arrived.delete(id);
      stored.delete(id);
    }
  }
  return realFetch(input, init);
}) as typeof fetch;

const config = loadConfig(process.env);
const server = await startServer(config, createLogger({ level: config.logLevel, pretty: false }));
server.io.of('/widget').on('connection', (socket) => {
  socket.prependAny((event: string, payload: { content?: string }) => {
    if (event !== 'message:send') return;
    const id = MARK.exec(payload?.content ?? '')?.[1];
    if (id) arrived.set(id, performance.now());
  });
});
server.app.conversation.core.events.on('message.created', (e) => {
  if (e.message.role !== 'visitor') return;
  const id = MARK.exec(e.message.content)?.[1];
  if (id) stored.set(id, performance.now());
});
const { client } = await createClient(server.db.orm.em.fork(), {
  name: 'Bench Dental',
  industry: 'dental',
  plan: 'scale',
  allowedOrigins: ['*'],
});
process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'samples') process.send?.({ type: 'samples', samples, cpuMs: cpuMs() });
  if (msg.type === 'cpu') process.send?.({ type: 'cpu', cpuMs: cpuMs() });
  if (msg.type === 'stop') {
    await server.stop();
    process.exit(0);
  }
});
process.send?.({ type: 'ready', port: server.port, siteKey: client.siteKey });

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
