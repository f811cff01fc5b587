/**
 * Baseline for the WhatsApp ingestion benchmark: a bare Express endpoint that
 * reads the raw body and inserts the same `webhook_events` row with `pg`, and
 * nothing else (no signature, no dedup, no queue).
 */
import { createHash } from 'node:crypto';
import express from 'express';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
});
const app = express();
app.post('/webhooks/whatsapp', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
  const raw = req.body as Buffer;
  await pool.query('insert into webhook_events (provider, dedup_key, client_id, payload) values ($1, $2, $3, $4)', [
    'baseline',
    createHash('sha256').update(raw).digest('hex'),
    null,
    raw.toString('utf8'),
  ]);
  res.status(200).json({ ok: true });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', async (msg: { type: string }) => {
  if (msg.type === 'stop') {
    server.close();
    await pool.end();
    process.exit(0);
  }
});
