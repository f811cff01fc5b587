import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MessageDto } from '@leaddesk/shared';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHARED_APP_SECRET } from './support/app-secret.js';
import { createFreshPostgresDatabase } from './support/databases.js';
import {
  defaultScript,
  type FakeAiServer,
  qualifiedReply,
  type RecordedRequest,
  startFakeAnthropic,
  toolName,
} from './support/fake-ai-servers.js';
import { waitFor } from './support/fake-providers.js';
import { startPrivatePostgres } from './support/private-postgres.js';
import { startPrivateRedis } from './support/private-redis.js';
import { type ServerProcess, startServerProcess } from './support/server-process.js';
import { connectVisitor, newMessageId, sessionOf, type Visitor } from './support/widget-client.js';

/**
 * Fault injection with real processes (`tsx src/main.ts`, as `pnpm start`
 * runs): SIGKILL a server while replies stream, and assert on what the
 * visitors and the database hold afterwards. Two-process hand-over on
 * shutdown, the lead's deadline and stalled providers are in
 * reply-obligations.test.ts (servers in this process, cheaper to start).
 */
// Spawning tsx processes on a busy two-core machine is slow; these are not timing tests.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

const reply = (text: string[], delayMs: number) => qualifiedReply(text, { delayMs });
const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i} `);

/**
 * A lead in the widget: keeps what it saw across connections, and comes back
 * (same visitor token, from the last seq seen) on another URL when its server
 * goes away, resending an unacknowledged message under the same id.
 */
class Lead {
  private conn: Visitor | undefined;
  private visitorToken: string | undefined;
  readonly seen = new Map<string, MessageDto>();
  readonly acked: string[] = [];
  /** Sends that were refused or not acknowledged (then sent again under the same id). */
  retries = 0;
  /** Every `reply:started` id seen, with whether it was later withdrawn. */
  readonly streams = new Map<string, 'open' | 'ended' | 'aborted'>();

  constructor(
    private readonly siteKey: string,
    private url: string,
    /** The page the widget is on (the demo client allows the first server's own URL). */
    private readonly origin: string,
  ) {}

  async connect(url = this.url): Promise<void> {
    this.conn?.close();
    this.url = url;
    const lastSeq = Math.max(0, ...[...this.seen.values()].map((m) => m.seq));
    const v = connectVisitor(url, {
      siteKey: this.siteKey,
      visitorToken: this.visitorToken,
      lastSeq,
      origin: this.origin,
    });
    this.conn = v;
    const ready = await sessionOf(v, 20_000);
    // A token it held already comes back unchanged (the same visitor, on whichever process).
    if (this.visitorToken && ready.visitorToken !== this.visitorToken) throw new Error('the visitor was not resumed');
    this.visitorToken = ready.visitorToken;
    v.socket.onAny((name: string, payload: { message?: MessageDto; messageId?: string }) => {
      if ((name === 'message:created' || name === 'reply:ended') && payload.message) {
        this.seen.set(payload.message.id, payload.message);
      }
      if (name === 'reply:started' && payload.messageId) this.streams.set(payload.messageId, 'open');
      if (name === 'reply:ended' && payload.messageId) this.streams.set(payload.messageId, 'ended');
      if (name === 'reply:aborted' && payload.messageId) this.streams.set(payload.messageId, 'aborted');
    });
    // As the widget does (chat/session.ts): a lost connection drops the streams in progress.
    v.socket.on('disconnect', () => {
      for (const [id, state] of this.streams) if (state === 'open') this.streams.set(id, 'aborted');
    });
  }

  /** Sends until acknowledged, moving to `fallbackUrl` when the connection is lost. */
  async ask(content: string, fallbackUrl: string): Promise<MessageDto> {
    const id = newMessageId();
    for (let tries = 0; tries < 20; tries++) {
      try {
        if (!this.conn?.socket.connected) await this.connect(fallbackUrl);
        const ack = await (this.conn as Visitor).send(content, id);
        if (ack.ok) {
          this.acked.push(id);
          this.seen.set(ack.data.message.id, ack.data.message);
          return ack.data.message;
        }
      } catch {
        // No ack (the server died): try again on the survivor.
      }
      this.retries++;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`not acknowledged: ${content}`);
  }

  /** Waits for an AI message after `seq`, coming back on `fallbackUrl` if the connection drops. */
  async answerAfter(seq: number, fallbackUrl: string, timeoutMs = 60_000): Promise<MessageDto> {
    return waitFor(async () => {
      if (!this.conn?.socket.connected) await this.connect(fallbackUrl).catch(() => undefined);
      return [...this.seen.values()].find((m) => m.role === 'ai' && m.seq > seq);
    }, timeoutMs);
  }

  /** Streams seen that neither ended nor were withdrawn and are not stored (a half reply left on screen). */
  danglingStreams(): string[] {
    return [...this.streams].filter(([id, s]) => s === 'open' && !this.seen.has(id)).map(([id]) => id);
  }

  close(): void {
    this.conn?.close();
  }
}

let anthropic: FakeAiServer;
const processes: ServerProcess[] = [];
const temps: string[] = [];
const leads: Lead[] = [];

beforeAll(async () => {
  anthropic = await startFakeAnthropic();
});
afterEach(async () => {
  for (const l of leads.splice(0)) l.close();
  for (const p of processes.splice(0)) await p.kill('SIGKILL');
  for (const dir of temps.splice(0)) await fs.rm(dir, { recursive: true, force: true });
  anthropic.respond(defaultScript);
  anthropic.requests.length = 0;
});
afterAll(async () => {
  await anthropic?.close();
});

const aiEnv = () => ({
  ANTHROPIC_API_KEY: 'sk-ant-test-fault-injection',
  ANTHROPIC_BASE_URL: anthropic.url,
  AI_MAX_RETRIES: '0',
});

async function start(env: Record<string, string>, expectDemo = false): Promise<ServerProcess> {
  const p = await startServerProcess(env, { expectDemo });
  processes.push(p);
  return p;
}

async function messagesOf(url: string, apiKey: string, conversationId: string): Promise<MessageDto[]> {
  const res = await fetch(`${url}/api/v1/conversations/${conversationId}/messages?limit=100`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: MessageDto[] }).data;
}

/**
 * Each reply records the sequence number it answers up to: no message answered twice (each reply covers
 * later messages than the one before it) and none unanswered (the last reply covers the last question).
 */
async function expectEveryQuestionAnsweredOnce(client: pg.Client, conversationId: string): Promise<string[]> {
  const rows = await client.query<{ role: string; seq: number; answers: number | null }>(
    "select role, seq, (ai->'entities'->>'answersSeq')::int as answers from messages where conversation_id = $1 order by seq",
    [conversationId],
  );
  const roles = rows.rows.map((r) => r.role);
  const answered = rows.rows.filter((r) => r.role === 'ai').map((r) => r.answers ?? -1);
  expect(answered.every((a, i) => a > (answered[i - 1] ?? 0))).toBe(true);
  const lastVisitor = Math.max(...rows.rows.filter((r) => r.role === 'visitor').map((r) => r.seq));
  expect(answered.at(-1)).toBeGreaterThanOrEqual(lastVisitor);
  expect(roles.at(-1)).toBe('ai');
  return roles;
}

describe('a server killed while replies stream', () => {
  it('embedded: SIGKILL mid-stream, restart on the same data: the visitor gets exactly one complete reply and staff see nothing doubled', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-fault-'));
    temps.push(dataDir);
    // The first reply is slow (killed half-way); the one after the restart is quick.
    anthropic.respond((r: RecordedRequest) => {
      if (toolName(r) !== 'record_qualification') return defaultScript(r);
      return anthropic.replyRequests().length <= 1 ? reply(words(40, 'slow'), 150) : reply(words(5, 'whole'), 0);
    });
    // A restart on this busy machine can take longer than the lead's deadline (then the structured mode
    // would answer, which reply-obligations.test.ts covers): here the AI answers after the restart.
    const env = { DATA_DIR: dataDir, ...aiEnv(), REPLY_DEADLINE_MS: '600000' };
    const first = await start(env, true);
    const { apiKey, siteKey } = first.demo ?? { apiKey: '', siteKey: '' };
    const lead = new Lead(siteKey, first.url, first.url.replace('127.0.0.1', 'localhost'));
    leads.push(lead);
    await lead.connect();
    const asked = await lead.ask('Do you whiten teeth on Saturdays?', first.url);
    await waitFor(() => (anthropic.replyRequests()[0]?.deltasWritten ?? 0) >= 3 || undefined, 60_000);
    await first.kill('SIGKILL');

    const second = await start(env);
    const answer = await lead.answerAfter(asked.seq, second.url);
    expect(answer.content).toContain('whole4');
    expect(answer.content).not.toContain('slow');

    const stored = await messagesOf(second.url, apiKey, asked.conversationId);
    expect(stored.map((m) => m.role)).toEqual(['visitor', 'ai']);
    expect(anthropic.replyRequests()).toHaveLength(2);
    expect(anthropic.replyRequests()[0]?.closedEarly).toBe(true);
    // Nothing half-written stays on the visitor's screen.
    expect(lead.danglingStreams()).toEqual([]);
  });

  it('PostgreSQL + Redis, two processes, one SIGKILLed while 50 visitors send: 0 acknowledged messages lost, 0 duplicates, 0 unanswered', async () => {
    const db = await createFreshPostgresDatabase();
    // A Redis of its own: job queues and rooms shared with no other test's servers.
    const redis = await startPrivateRedis();
    try {
      anthropic.respond((r: RecordedRequest) =>
        toolName(r) === 'record_qualification' ? reply(words(6, 'ok'), 120) : defaultScript(r),
      );
      const shared = {
        ...aiEnv(),
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        // One deployment: a visitor token issued by A opens the visitor on B.
        APP_SECRET: SHARED_APP_SECRET,
        REPLY_LEASE_MS: '3000',
        REPLY_SWEEP_INTERVAL_MS: '500',
        WIDGET_RATE_SITE_PER_MINUTE: '100000',
      };
      const a = await start({ ...shared, SEED_DEMO: 'true' }, true);
      const b = await start({ ...shared, SEED_DEMO: 'false' });
      const { apiKey, siteKey } = a.demo ?? { apiKey: '', siteKey: '' };

      const crowd = Array.from(
        { length: 50 },
        (_, i) => new Lead(siteKey, i % 2 ? a.url : b.url, a.url.replace('127.0.0.1', 'localhost')),
      );
      leads.push(...crowd);
      await Promise.all(crowd.map((l) => l.connect()));
      let killedAt = 0;
      const killer = (async () => {
        // Kill A once replies are streaming on it.
        await waitFor(
          () => anthropic.replyRequests().filter((r) => r.deltasWritten > 0).length >= 10 || undefined,
          60_000,
        );
        killedAt = Date.now();
        await a.kill('SIGKILL');
      })();
      const conversations = await Promise.all(
        crowd.map(async (lead, i) => {
          let conversationId = '';
          for (const q of [
            `Question one from lead ${i}`,
            `Question two from lead ${i}`,
            `Question three from lead ${i}`,
          ]) {
            const m = await lead.ask(q, b.url);
            conversationId = m.conversationId;
            await lead.answerAfter(m.seq, b.url, 90_000);
          }
          return conversationId;
        }),
      );
      await killer;
      expect(killedAt).toBeGreaterThan(0);

      // What the database holds.
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const acked = crowd.flatMap((l) => l.acked);
        expect(acked).toHaveLength(150);
        const stored = await client.query<{ client_message_id: string; n: number }>(
          `select client_message_id, count(*)::int as n from messages where client_message_id = any($1) group by 1`,
          [acked],
        );
        expect(stored.rows).toHaveLength(150); // 0 lost
        expect(stored.rows.every((r) => r.n === 1)).toBe(true); // 0 stored twice
        for (const conversationId of conversations) {
          const roles = await expectEveryQuestionAnsweredOnce(client, conversationId);
          expect(roles.filter((r) => r === 'visitor')).toHaveLength(3);
        }
        const open = await client.query(
          'select id from conversations where reply_wanted_seq > reply_answered_seq or reply_owner is not null',
        );
        expect(open.rows).toHaveLength(0);
      } finally {
        await client.end();
      }
      for (const lead of crowd) expect(lead.danglingStreams()).toEqual([]);
      const survivorView = await messagesOf(b.url, apiKey, conversations[1] as string);
      expect(survivorView.filter((m) => m.role === 'ai').length).toBeGreaterThanOrEqual(2);
    } finally {
      for (const p of processes.splice(0)) await p.kill('SIGKILL');
      await redis.stop();
      await db.drop();
    }
  });

  it('PostgreSQL restarted, then Redis restarted, while visitors send: every acknowledged message stored once, every question answered', async () => {
    const postgres = await startPrivatePostgres();
    let redis = await startPrivateRedis();
    const redisPort = new URL(redis.url).port;
    try {
      anthropic.respond((r: RecordedRequest) =>
        toolName(r) === 'record_qualification' ? reply(words(4, 'fine'), 50) : defaultScript(r),
      );
      const server = await start(
        {
          ...aiEnv(),
          DATABASE_URL: postgres.url,
          REDIS_URL: redis.url,
          REPLY_LEASE_MS: '2000',
          REPLY_SWEEP_INTERVAL_MS: '300',
          WIDGET_RATE_SITE_PER_MINUTE: '100000',
          WIDGET_RATE_VISITOR_PER_MINUTE: '1000',
        },
        true,
      );
      const { siteKey } = server.demo ?? { siteKey: '' };
      const crowd = Array.from(
        { length: 10 },
        () => new Lead(siteKey, server.url, server.url.replace('127.0.0.1', 'localhost')),
      );
      leads.push(...crowd);
      await Promise.all(crowd.map((l) => l.connect()));

      let sending = true;
      const outages = (async () => {
        await new Promise((r) => setTimeout(r, 1500));
        await postgres.stop();
        await new Promise((r) => setTimeout(r, 1500));
        await postgres.start();
        await new Promise((r) => setTimeout(r, 2000));
        await redis.stop();
        await new Promise((r) => setTimeout(r, 1000));
        redis = await startPrivateRedis(Number(redisPort));
        await new Promise((r) => setTimeout(r, 2000));
        sending = false;
      })();
      const conversations = await Promise.all(
        crowd.map(async (lead, i) => {
          let conversationId = '';
          for (let n = 0; sending || n < 2; n++) {
            const m = await lead.ask(`Question ${n} from lead ${i}`, server.url);
            conversationId = m.conversationId;
            await new Promise((r) => setTimeout(r, 300 + Math.random() * 300));
          }
          return conversationId;
        }),
      );
      await outages;
      // The outage was felt: some sends were refused while PostgreSQL was down, and sent again.
      expect(crowd.reduce((n, l) => n + l.retries, 0)).toBeGreaterThan(0);

      const client = new pg.Client({ connectionString: postgres.url });
      await client.connect();
      try {
        // Every question answered, by the sweep if its first try met the outage.
        await waitFor(async () => {
          const open = await client.query(
            'select id from conversations where reply_wanted_seq > reply_answered_seq or reply_owner is not null',
          );
          return open.rows.length === 0 || undefined;
        }, 90_000);
        const acked = crowd.flatMap((l) => l.acked);
        const stored = await client.query<{ client_message_id: string; n: number }>(
          'select client_message_id, count(*)::int as n from messages where client_message_id = any($1) group by 1',
          [acked],
        );
        expect(stored.rows).toHaveLength(acked.length);
        expect(stored.rows.every((r) => r.n === 1)).toBe(true);
        for (const conversationId of conversations) await expectEveryQuestionAnsweredOnce(client, conversationId);
      } finally {
        await client.end();
      }
    } finally {
      for (const p of processes.splice(0)) await p.kill('SIGKILL');
      await redis.stop();
      await postgres.dispose();
    }
  });
});
