/**
 * Child process for the AI latency benchmark: the real Lead Desk server with
 * the AI engine pointed at the fake Anthropic server, measured by the shared
 * probes (latency-probes.ts). "Stored" is the core's `message.created`.
 */
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import { createClient } from '../../src/tenants/tenant-service.js';
import { answerParent, noteStored, watchVisitorSockets } from './latency-probes.js';

const config = loadConfig(process.env);
const server = await startServer(config, createLogger({ level: config.logLevel, pretty: false }));
watchVisitorSockets(server.io.of('/widget'));
server.app.conversation.core.events.on('message.created', (e) => {
  if (e.message.role === 'visitor') noteStored(e.message.content);
});
const { client } = await createClient(server.db.orm.em.fork(), {
  name: 'Bench Dental',
  industry: 'dental',
  plan: 'scale',
  allowedOrigins: ['*'],
});
const { client: neighbour } = await createClient(server.db.orm.em.fork(), {
  name: 'Neighbour Hotel',
  industry: 'hotel',
  allowedOrigins: ['*'],
});
const SEED_CONVERSATIONS = Number(process.env.BENCH_SEED_CONVERSATIONS ?? 3000);
const seeded = await seedHistory([client.id, neighbour.id], SEED_CONVERSATIONS);

/**
 * A deployment in use rather than a database created a second ago: past
 * (ended) conversations of the bench tenant and of another one, four messages
 * each, then ANALYZE. On empty tables the planner has no statistics and
 * guesses (it scanned a tenant's every message for a reply's history);
 * autovacuum gathers them within a minute or two of real traffic, longer than
 * a run lasts.
 */
async function seedHistory(
  clientIds: string[],
  perTenant: number,
): Promise<{ conversations: number; messages: number }> {
  const db = server.db.orm.em.getConnection();
  for (const clientId of clientIds) {
    await db.execute(
      `with l as (
         insert into leads (id, client_id, handles, source, qualification, score_evidence, created_at, updated_at)
         select gen_random_uuid(), ?, jsonb_build_object('web', 'seed_' || g), 'web', '{"custom": {}}', '[]',
           now() - interval '2 days', now() - interval '2 days'
         from generate_series(1, ?) g
         returning id, handles->>'web' as visitor),
       c as (
         insert into conversations (id, client_id, lead_id, channel, status, mode, visitor_id, last_seq,
           last_message_at, created_at, updated_at, ended_at)
         select gen_random_uuid(), ?, l.id, 'web', 'ended', 'ai', l.visitor, 4,
           now() - interval '2 days', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days'
         from l
         returning id)
       insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, delivery_state, created_at)
       select gen_random_uuid(), ?, c.id, s, case when s % 2 = 1 then 'visitor' else 'ai' end,
         'An earlier question or answer, number ' || s, '[]', 'web', 'sent', now() - interval '2 days'
       from c, generate_series(1, 4) s`,
      [clientId, perTenant, clientId, clientId],
    );
  }
  await db.execute('analyze');
  return { conversations: clientIds.length * perTenant, messages: clientIds.length * perTenant * 4 };
}
answerParent(() => server.stop());
process.send?.({ type: 'ready', port: server.port, siteKey: client.siteKey, seeded });
