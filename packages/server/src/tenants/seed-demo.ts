import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hash as argon2Hash } from '@node-rs/argon2';
import { Client, User } from '../db/entities/index.js';
import { type DemoHistorySummary, seedDemoHistory } from './demo-history/index.js';
import type { StarterIngest } from './starter-knowledge/index.js';
import { type CreatedClient, createClient } from './tenant-service.js';

export interface DemoSeed extends CreatedClient {
  staffEmail: string;
  staffPassword: string;
  history: DemoHistorySummary;
  /** How long seeding took (ms), printed with the banner: the whole, and the history alone. */
  seedMs: number;
  historyMs: number;
}

export interface SeedDemoOptions {
  /** Origins the demo widget may be embedded on (this server's own URLs). */
  origins: string[];
  /** Stores the starter knowledge bases; without it the demo has none. */
  ingest?: StarterIngest;
  /** The end of the demo history. @default new Date() */
  now?: Date;
}

/**
 * First run: an empty database gets a demo client (the dental template, with
 * its starter knowledge bases in six languages and a month of history) and a
 * demo staff login, so `pnpm start` shows a working product at once. Returns
 * null when any client exists already.
 */
export async function seedDemoIfEmpty(em: EntityManager, options: SeedDemoOptions): Promise<DemoSeed | null> {
  if ((await em.count(Client, {})) > 0) return null;
  const started = performance.now();
  const created = await createClient(
    em,
    {
      name: 'Sunset Dental (demo)',
      slug: 'demo',
      industry: 'dental',
      timezone: 'America/New_York',
      locale: 'en-US',
      allowedOrigins: options.origins,
    },
    { ingest: options.ingest },
  );
  const staffEmail = 'demo@leaddesk.local';
  const staffPassword = `demo-${randomBytes(6).toString('base64url')}`;
  const admin = em.create(User, {
    id: randomUUID(),
    client: created.client.id,
    email: staffEmail,
    name: 'Demo Admin',
    role: 'admin',
    passwordHash: await argon2Hash(staffPassword),
    emailVerifiedAt: new Date(),
    backupCodeHashes: [],
  });
  await em.flush();
  const historyStarted = performance.now();
  const history = await seedDemoHistory(em, { client: created.client, adminUserId: admin.id, now: options.now });
  const done = performance.now();
  return {
    ...created,
    staffEmail,
    staffPassword,
    history,
    seedMs: Math.round(done - started),
    historyMs: Math.round(done - historyStarted),
  };
}
