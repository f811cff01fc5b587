/**
 * Child process for the widget benchmark: the real Lead Desk server (structured
 * engine, real PostgreSQL), plus one tenant. Reports its port and site key,
 * then answers RSS requests over IPC.
 */
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import { createClient } from '../../src/tenants/tenant-service.js';

const config = loadConfig(process.env);
const server = await startServer(config, createLogger({ level: config.logLevel, pretty: false }));
const { client } = await createClient(server.db.orm.em.fork(), {
  name: 'Bench Dental',
  industry: 'dental',
  allowedOrigins: ['*'],
});
process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'rss') process.send?.({ type: 'rss', rss: process.memoryUsage().rss, cpuMs: cpuMs() });
  // The capacity bench collects garbage before reading RSS (the process runs with --expose-gc there).
  if (msg.type === 'gc') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ type: 'gc' });
  }
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
