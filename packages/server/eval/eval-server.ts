/**
 * The real server, in this process, as main.ts would build it: embedded
 * PGlite in a temporary directory (or DATABASE_URL), no AI key (so the
 * structured mode answers), rate limits raised as the tests raise them, and a
 * clock the eval moves to each message's `sentAt`.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSuperAdmin } from '../src/auth/create-super-admin.js';
import { loadConfig } from '../src/config/config.js';
import { createLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { type RestClient, restClient } from './rest-client.js';

export interface EvalClock {
  now(): Date;
  /** From now on the server's clock reads `at` plus the real time elapsed since this call. */
  travelTo(at: Date): void;
  /** Back to real time. */
  reset(): void;
}

export function evalClock(): EvalClock {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    travelTo(at) {
      offsetMs = at.getTime() - Date.now();
    },
    reset() {
      offsetMs = 0;
    },
  };
}

export interface EvalServer {
  server: RunningServer;
  rest: RestClient;
  clock: EvalClock;
  /** A super admin's access token (creates the tenants). */
  adminToken: string;
  /** Waits until no reply runs (the lead is updated by then). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface EvalServerOptions {
  /** PostgreSQL to run against; embedded PGlite in a temporary directory when absent. */
  databaseUrl?: string;
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
}

export async function startEvalServer(options: EvalServerOptions = {}): Promise<EvalServer> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-eval-'));
  const unlimited = '1000000';
  // An explicit environment, not process.env: an AI key in the shell must not switch the eval to the AI pipeline.
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: options.logLevel ?? 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl,
    STRUCTURED_CHUNK_DELAY_MS: '0',
    WIDGET_RATE_VISITOR_PER_MINUTE: '100000',
    WIDGET_RATE_SITE_PER_MINUTE: '10000000',
    RATE_LIMIT_PER_IP: unlimited,
    RATE_LIMIT_AUTH: unlimited,
    RATE_LIMIT_STARTER: unlimited,
    RATE_LIMIT_GROWTH: unlimited,
    RATE_LIMIT_SCALE: unlimited,
    KNOWLEDGE_MAX_UPLOAD_BYTES: String(2 * 1024 * 1024),
  });
  const logger = createLogger({ level: config.logLevel, pretty: false });
  const clock = evalClock();
  const server = await startServer(config, logger, { clock: clock.now });
  const rest = restClient(`http://127.0.0.1:${server.port}`);

  const email = `eval-admin-${randomUUID().slice(0, 8)}@eval.example`;
  const password = `Eval-${randomUUID()}-Harbor`;
  await createSuperAdmin(server.db.orm.em.fork(), { email, password, name: 'Eval' });
  const login = await rest.json<{ accessToken: string }>('POST', '/auth/login', '', {
    email,
    password,
    tokenTransport: 'body',
  });

  return {
    server,
    rest,
    clock,
    adminToken: login.accessToken,
    idle: () => server.app.conversation.orchestrator.idle(),
    async stop() {
      await server.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
