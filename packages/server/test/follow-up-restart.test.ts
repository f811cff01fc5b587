import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { fastAutomationTime } from './support/automation-scenario.js';
import { createFreshPostgresDatabase, TEST_REDIS_URL } from './support/databases.js';
import { waitFor } from './support/fake-providers.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { connectVisitor, nextAiReply, type Visitor } from './support/widget-client.js';

/**
 * A server process SIGKILLed while a follow-up step is due: the step's delayed job is in Redis (BullMQ),
 * the run in PostgreSQL; the restarted process sends the step, exactly once. Automation time runs 3,600
 * times faster (the 2 h nudge is due 2 s after our answer).
 */
const SCALE = 3600;

describe('follow-ups across a killed process', () => {
  const processes: ServerProcess[] = [];
  const cleanup: Array<() => Promise<unknown>> = [];
  let visitor: Visitor | undefined;

  afterAll(async () => {
    visitor?.close();
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    for (const c of cleanup) await c().catch(() => undefined);
  });

  it('sends the due step once after a restart', async () => {
    const db = await createFreshPostgresDatabase();
    cleanup.push(db.drop);
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-fu-kill-'));
    cleanup.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const env = {
      ...fastAutomationTime(SCALE).env,
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: `ld-fu-kill-${randomBytes(4).toString('hex')}:`,
      APP_SECRET: 'follow-up-restart-test-secret-0123456789abcdef',
      STRUCTURED_CHUNK_DELAY_MS: '0',
      FOLLOW_UP_SWEEP_INTERVAL_MS: '500',
    };
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    cleanup.unshift(() => sql.end());

    const a = await startServerProcess(env, { expectDemo: true });
    processes.push(a);
    const demo = a.demo;
    if (!demo) throw new Error(`no demo printed: ${a.out().slice(-1000)}`);
    visitor = connectVisitor(a.url, { siteKey: demo.siteKey, origin: a.url });
    await visitor.waitFor('session:ready');
    const ack = await visitor.send('Hello, do you open on Saturdays?');
    if (!ack.ok) throw new Error(ack.error.message);
    const conversationId = ack.data.message.conversationId;
    await nextAiReply(visitor, ack.data.message.seq, 30_000);
    const run = await waitFor(async () => {
      const rows = await sql.query(
        `select id, next_due_at from follow_up_runs where conversation_id = $1 and status = 'active'`,
        [conversationId],
      );
      return rows.rows[0] as { id: string; next_due_at: Date } | undefined;
    }, 30_000);
    visitor.close();
    visitor = undefined;

    // Killed while the nudge is due (its job is waiting in Redis or just taken): no graceful anything.
    await a.kill('SIGKILL');
    const before = await sql.query(`select count(*)::int as n from follow_up_sends where run_id = $1`, [run.id]);
    expect(before.rows[0].n).toBeLessThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 3000));

    const b = await startServerProcess(env);
    processes.push(b);
    await waitFor(async () => {
      const rows = await sql.query(`select count(*)::int as n from follow_up_sends where run_id = $1 and step = 0`, [
        run.id,
      ]);
      return rows.rows[0].n === 1;
    }, 60_000);
    // The sweep and the restarted worker have had their chances to send it again: still one message.
    await new Promise((r) => setTimeout(r, 3000));
    const messages = await sql.query(
      `select count(*)::int as n from messages where conversation_id = $1 and external_id = $2`,
      [conversationId, `follow-up:${run.id}:0`],
    );
    expect(messages.rows[0].n).toBe(1);
    const events = await sql.query(
      `select count(*)::int as n from conversation_events where conversation_id = $1 and kind = 'follow_up_sent' and detail = 'step 1 of 3'`,
      [conversationId],
    );
    expect(events.rows[0].n).toBe(1);
  }, 300_000);
});
