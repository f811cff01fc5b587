import { CHANNELS, LEAD_STATUSES, LEAD_TEMPERATURES, type Qualification, type ScoreEvidence } from '@leaddesk/shared';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';
import { User } from './user.js';

/**
 * A person who contacted the business. Deduplicated per client by normalised
 * phone (E.164) and by lower-cased email: partial unique indexes in the
 * migration enforce it even under concurrent inserts.
 */
export const Lead = defineEntity({
  name: 'Lead',
  tableName: 'leads',
  indexes: [
    { properties: ['client', 'status'] },
    { properties: ['client', 'temperature'] },
    { properties: ['client', 'createdAt'] },
  ],
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade'),
    name: p.string().length(200).nullable(),
    email: p.string().length(254).nullable(),
    phone: p.string().length(20).nullable(),
    /** Channel-specific handles (WhatsApp wa_id, visitor ids) that also identify the lead. */
    handles: p.json<Record<string, string>>(),
    language: p.string().length(16).nullable(),
    source: p.enum([...CHANNELS]),
    qualification: p.json<Qualification>(),
    score: p.smallint().nullable(),
    temperature: p.enum([...LEAD_TEMPERATURES]).default('unscored'),
    scoreEvidence: p.json<ScoreEvidence>(),
    status: p.enum([...LEAD_STATUSES]).default('new'),
    appointmentAt: p.datetime().nullable(),
    assignee: p.manyToOne(User).nullable().deleteRule('set null'),
    crmId: p.string().length(100).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    lastContactAt: p.datetime().nullable(),
  },
});
export type ILead = InferEntity<typeof Lead>;
