/**
 * The demo tenant's past month: conversations on web chat, WhatsApp, SMS,
 * missed calls, email and the web form; leads at every stage with their score
 * and its evidence; escalations open and resolved; a chat a staff member took
 * over. Written straight into the tables in a few multi-row inserts (one
 * transaction), so a first start stays fast on the embedded database and the
 * inbox, leads and analytics pages show true numbers at once.
 */
import { randomUUID } from 'node:crypto';
import type { ClientConfig } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../../db/entities/index.js';
import { buildHistory, type HistoryRows } from './build-history.js';
import { ENGLISH_SCRIPTS } from './scripts-en.js';
import { ESCALATED_SCRIPTS } from './scripts-escalations.js';
import { MULTILINGUAL_SCRIPTS } from './scripts-multilingual.js';
import { SHORT_SCRIPTS } from './scripts-short.js';
import type { DemoScript, StaffKey } from './types.js';

export type { DemoScript } from './types.js';

export const DEMO_SCRIPTS: DemoScript[] = [
  ...ENGLISH_SCRIPTS,
  ...ESCALATED_SCRIPTS,
  ...MULTILINGUAL_SCRIPTS,
  ...SHORT_SCRIPTS,
];

export interface DemoHistoryInput {
  client: { id: string; name: string; slug: string; timezone: string; config: ClientConfig };
  /** The demo login, who plays the admin in the history. */
  adminUserId: string;
  /** @default new Date() */
  now?: Date;
}

export interface DemoHistorySummary {
  leads: number;
  conversations: number;
  messages: number;
  escalations: number;
}

/** Colleagues of the demo admin in the history; without a password they cannot sign in. */
const COLLEAGUES: Array<{ key: Exclude<StaffKey, 'admin'>; name: string; role: 'agent' | 'manager' }> = [
  { key: 'maria', name: 'Maria Lopez', role: 'agent' },
  { key: 'james', name: 'Dr. James Patel', role: 'manager' },
];

export async function seedDemoHistory(em: EntityManager, input: DemoHistoryInput): Promise<DemoHistorySummary> {
  const staff: Record<StaffKey, string> = { admin: input.adminUserId, maria: '', james: '' };
  for (const colleague of COLLEAGUES) {
    const user = em.create(User, {
      id: randomUUID(),
      client: input.client.id,
      email: `${colleague.key}.${input.client.slug}@demo.leaddesk.local`,
      name: colleague.name,
      role: colleague.role,
      passwordHash: null,
      emailVerifiedAt: new Date(),
      backupCodeHashes: [],
    });
    staff[colleague.key] = user.id;
  }
  await em.flush();

  const rows = buildHistory({
    clientId: input.client.id,
    clientName: input.client.name,
    timezone: input.client.timezone,
    config: input.client.config,
    staff,
    scripts: DEMO_SCRIPTS,
    now: input.now ?? new Date(),
  });
  await em.transactional((tx) => insertHistory(tx, rows));
  return {
    leads: rows.leads.length,
    conversations: rows.conversations.length,
    messages: rows.messages.length,
    escalations: rows.escalations.length,
  };
}

const JSON_COLUMNS = new Set(['handles', 'qualification', 'score_evidence', 'attachments', 'ai']);
/** Parameters per statement stay far below PostgreSQL's 65,535. */
const BATCH = 200;

async function insertHistory(tx: EntityManager, rows: HistoryRows): Promise<void> {
  // Parents first: conversations point at leads, messages and escalations at conversations.
  await insertRows(tx, 'leads', rows.leads);
  await insertRows(tx, 'conversations', rows.conversations);
  await insertRows(tx, 'messages', rows.messages);
  await insertRows(tx, 'escalations', rows.escalations);
  await insertRows(tx, 'conversation_events', rows.events);
  await insertRows(tx, 'copilot_suggestions', rows.copilot);
}

async function insertRows(tx: EntityManager, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const placeholders = `(${columns.map((c) => (JSON_COLUMNS.has(c) ? '?::jsonb' : '?')).join(', ')})`;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const params = batch.flatMap((row) =>
      columns.map((c) => (JSON_COLUMNS.has(c) && row[c] !== null ? JSON.stringify(row[c]) : (row[c] ?? null))),
    );
    await tx.execute(
      `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values ${batch.map(() => placeholders).join(', ')}`,
      params,
    );
  }
}
