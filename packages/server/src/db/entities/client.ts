import { CLIENT_STATUSES, type ClientConfig, INDUSTRIES, PLANS } from '@leaddesk/shared';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Agency } from './agency.js';

/** A tenant: one business with its own keys, configuration, knowledge and budget. */
export const Client = defineEntity({
  name: 'Client',
  tableName: 'clients',
  properties: {
    id: p.uuid().primary(),
    slug: p.string().length(80).unique(),
    name: p.string().length(200),
    industry: p.enum([...INDUSTRIES]).default('other'),
    timezone: p.string().length(64).default('UTC'),
    locale: p.string().length(16).default('en'),
    plan: p.enum([...PLANS]).default('starter'),
    status: p.enum([...CLIENT_STATUSES]).default('active'),
    /** The agency reselling this client (issue 18), or none: the platform's own client. */
    agency: p.manyToOne(Agency).nullable().deleteRule('set null').index(),
    config: p.json<ClientConfig>(),
    /** SHA-256 of the secret API key; the key itself is shown once and never stored. */
    apiKeyHash: p.string().length(64).unique(),
    /** First characters of the key, for recognising it in the dashboard. */
    apiKeyPrefix: p.string().length(20),
    siteKey: p.string().length(64).unique(),
    allowedOrigins: p.json<string[]>(),
    /** Per-tenant secret for server-signed visitor identities (HMAC). */
    identitySecret: p.string().length(64),
    /** Channel credentials, encrypted at rest by the channels that use them. */
    channelSettings: p.json<Record<string, unknown>>(),
    usageMonth: p.string().length(7).default(''),
    tokensUsedMonth: p.bigint('number').default(0),
    /** Budget step reached in `budgetStepMonth`: normal, soft (cheaper, shorter replies), exhausted (structured mode). */
    budgetStep: p.string().length(16).default('normal'),
    budgetStepMonth: p.string().length(7).default(''),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IClient = InferEntity<typeof Client>;
