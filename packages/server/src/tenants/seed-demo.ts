import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hash as argon2Hash } from '@node-rs/argon2';
import { Client, User } from '../db/entities/index.js';
import { type CreatedClient, createClient } from './tenant-service.js';

export interface DemoSeed extends CreatedClient {
  staffEmail: string;
  staffPassword: string;
}

/**
 * First run: an empty database gets a demo client and a demo staff login, so
 * `pnpm start` shows a working product at once. Returns null when any client
 * exists already.
 */
export async function seedDemoIfEmpty(em: EntityManager, origins: string[]): Promise<DemoSeed | null> {
  if ((await em.count(Client, {})) > 0) return null;
  const created = await createClient(em, {
    name: 'Sunset Dental (demo)',
    slug: 'demo',
    industry: 'dental',
    timezone: 'America/New_York',
    locale: 'en-US',
    allowedOrigins: origins,
  });
  const staffEmail = 'demo@leaddesk.local';
  const staffPassword = `demo-${randomBytes(6).toString('base64url')}`;
  em.create(User, {
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
  return { ...created, staffEmail, staffPassword };
}
