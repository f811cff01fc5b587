import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Agency } from './agency.js';
import { Client } from './client.js';
import { User } from './user.js';

/** Who did what, when and from where. Append-only. */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_logs',
  indexes: [{ properties: ['client', 'createdAt'] }, { properties: ['agency', 'createdAt', 'id'] }],
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).nullable().deleteRule('cascade'),
    /** Agency-level entries (issue 18): the agency's, listed by GET /agency/audit. */
    agency: p.manyToOne(Agency).nullable().deleteRule('cascade'),
    user: p.manyToOne(User).nullable().deleteRule('set null'),
    /** Who acted: a staff user, the tenant API key, the system, or an anonymous caller (failed login). */
    actor: p.string().length(20).default('user'),
    action: p.string().length(100),
    target: p.string().length(200).nullable(),
    metadata: p.json<Record<string, unknown>>(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAuditLog = InferEntity<typeof AuditLog>;
