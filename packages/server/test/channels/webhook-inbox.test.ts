import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebhookEvent, WebhookInbox } from '../../src/channels/webhook-inbox.js';
import { loadConfig } from '../../src/config/config.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createEmbeddedJobs } from '../../src/jobs/embedded-jobs.js';
import type { Jobs } from '../../src/jobs/job-queue.js';
import { createFreshPostgresDatabase, DB_KINDS } from '../support/databases.js';

/**
 * The webhook inbox on a real database (both kinds), driven by `drain()`
 * directly: how it records failures, counts attempts and sets poison aside.
 */
const logger = pino({ level: 'silent' });

describe.each(DB_KINDS)('webhook inbox on %s', (kind) => {
  let db: Database;
  let jobs: Jobs;
  let cleanup: () => Promise<void>;
  let seq = 0;
  const conn = () => db.orm.em.getConnection();
  const row = async (id: string) =>
    (
      await conn().execute<
        { status: string; attempts: number; error: string | null; claimed_at: Date | null; dead_at: Date | null }[]
      >('select status, attempts, error, claimed_at, dead_at from webhook_events where id = ?', [id])
    )[0];
  const idOf = async (provider: string, payload: string) =>
    String(
      (
        await conn().execute<{ id: string }[]>('select id from webhook_events where provider = ? and payload = ?', [
          provider,
          payload,
        ])
      )[0]?.id,
    );

  beforeAll(async () => {
    if (kind === 'embedded') {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-inbox-'));
      db = await openDatabase(loadConfig({ DATA_DIR: dir }), logger);
      cleanup = () => fs.rm(dir, { recursive: true, force: true });
    } else {
      const fresh = await createFreshPostgresDatabase();
      db = await openDatabase(loadConfig({ DATABASE_URL: fresh.url }), logger);
      cleanup = fresh.drop;
    }
    // Only for kick(): drains here are called directly.
    jobs = createEmbeddedJobs(db.orm, logger, 50);
  });
  afterAll(async () => {
    await jobs?.close();
    await db?.close();
    await cleanup?.();
  });

  const inboxFor = (process: (e: WebhookEvent) => Promise<void>) => {
    const provider = `test-${kind}-${seq++}`;
    const inbox = new WebhookInbox({
      orm: db.orm,
      jobs,
      logger,
      provider,
      jobName: 'test.drain',
      process,
      maxAttempts: 3,
      retryBaseMs: 300,
      claimTimeoutMs: 60_000,
    });
    return { inbox, provider };
  };

  it('records a failure whose text holds U+0000, processes the rest of the batch, and sets the poison aside after its attempts', async () => {
    const processed: string[] = [];
    const attemptsSeen: number[] = [];
    const { inbox, provider } = inboxFor(async (e) => {
      if (e.payload === 'poison') {
        attemptsSeen.push(e.attempt);
        throw new Error('insert failed for "Sheena\u0000 Nelson" \ud800');
      }
      processed.push(e.payload);
    });
    await inbox.store(Buffer.from('poison'), null);
    for (let i = 0; i < 5; i++) await inbox.store(Buffer.from(`ok-${i}`), null);
    const poison = await idOf(provider, 'poison');

    expect(await inbox.drain()).toBe(6);
    expect(processed).toEqual(['ok-0', 'ok-1', 'ok-2', 'ok-3', 'ok-4']);
    // Counted, recorded without the NUL, unclaimed while it waits out its backoff.
    expect(await row(poison)).toMatchObject({
      status: 'pending',
      attempts: 1,
      error: 'insert failed for "Sheena Nelson" \ufffd',
      claimed_at: null,
    });
    expect(await inbox.drain()).toBe(0);

    for (let i = 0; i < 60 && (await row(poison))?.status !== 'dead'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await inbox.drain();
    }
    expect(attemptsSeen).toEqual([1, 2, 3]);
    const dead = await row(poison);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, error: 'insert failed for "Sheena Nelson" \ufffd' });
    expect(dead?.dead_at).toBeTruthy();
    // Set aside: never claimed again, and the good events were processed once each.
    expect(await inbox.drain()).toBe(0);
    expect(processed).toHaveLength(5);

    const listed = await inbox.listDead();
    expect(listed).toEqual([
      expect.objectContaining({ id: poison, provider, attempts: 3, error: 'insert failed for "Sheena Nelson" \ufffd' }),
    ]);
    expect(listed[0]?.payloadBytes).toBe(6);

    // An admin retries it: a fresh set of attempts.
    expect(await inbox.retryDead(poison)).toBe(true);
    expect(await row(poison)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await inbox.retryDead(poison)).toBe(false);
    await inbox.drain();
    expect(attemptsSeen).toEqual([1, 2, 3, 1]);
    // Or discards it (only a dead one), and it stays out of the list.
    await conn().execute(`update webhook_events set status = 'dead' where id = ?`, [poison]);
    expect(await inbox.discardDead(poison)).toBe(true);
    expect(await inbox.discardDead(poison)).toBe(false);
    expect(await inbox.listDead()).toEqual([]);
    // A redelivery of the same bytes still collapses on the kept row.
    expect(await inbox.store(Buffer.from('poison'), null)).toBe(false);
  });

  it('counts a claim that never finished as an attempt: a stale claim is taken over, or set aside after its last attempt', async () => {
    const processed: string[] = [];
    const { inbox, provider } = inboxFor(async (e) => {
      processed.push(e.payload);
    });
    await inbox.store(Buffer.from('crashed-once'), null);
    await inbox.store(Buffer.from('crashed-thrice'), null);
    const once = await idOf(provider, 'crashed-once');
    const thrice = await idOf(provider, 'crashed-thrice');
    // Claimed by workers that died mid-processing, an hour ago.
    await conn().execute(
      `update webhook_events set claimed_at = now() - interval '1 hour', attempts = case when id = ? then 1 else 3 end
       where provider = ?`,
      [once, provider],
    );
    expect(await inbox.drain()).toBe(2);
    expect(processed).toEqual(['crashed-once']);
    expect(await row(once)).toMatchObject({ status: 'processed', attempts: 2 });
    expect(await row(thrice)).toMatchObject({ status: 'dead', attempts: 4 });
    expect((await row(thrice))?.error).toMatch(/never finished in 3 attempts/);
  });

  it('leaves a fresh claim of another worker alone', async () => {
    const processed: string[] = [];
    const { inbox, provider } = inboxFor(async (e) => {
      processed.push(e.payload);
    });
    await inbox.store(Buffer.from('busy'), null);
    await conn().execute(`update webhook_events set claimed_at = now(), attempts = 1 where provider = ?`, [provider]);
    expect(await inbox.drain()).toBe(0);
    expect(processed).toEqual([]);
  });
});
