import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog, type IAuditLog } from '../db/entities/index.js';

export type AuditActor = 'user' | 'api_key' | 'system' | 'anonymous';

export interface AuditEntry {
  action: string;
  actor: AuditActor;
  clientId?: string | null;
  /** The agency an agency-level entry belongs to (it belongs to no client). */
  agencyId?: string | null;
  userId?: string | null;
  target?: string | null;
  /** Never a secret: no password, token, code or hash goes here. */
  metadata?: Record<string, unknown>;
  ip?: string | null;
  userAgent?: string | null;
}

/** Where a request came from, as the audit trail and sessions record it. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Appends one entry at once, in its own unit of work, so that it is written
 * even when the request that caused it fails (a refused login).
 */
export async function recordAudit(em: EntityManager, entry: AuditEntry, at: Date = new Date()): Promise<void> {
  await em.fork().insert(AuditLog, {
    id: randomUUID(),
    client: entry.clientId ?? null,
    agency: entry.agencyId ?? null,
    user: entry.userId ?? null,
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    metadata: entry.metadata ?? {},
    ip: entry.ip?.slice(0, 64) ?? null,
    userAgent: entry.userAgent?.slice(0, 500) ?? null,
    createdAt: at,
  });
}

export function auditLogToDto(row: IAuditLog) {
  return {
    id: row.id,
    actor: row.actor,
    userId: row.user?.id ?? null,
    action: row.action,
    target: row.target,
    metadata: row.metadata,
    ip: row.ip,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
  };
}
