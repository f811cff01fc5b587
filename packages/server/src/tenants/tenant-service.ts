import { randomUUID } from 'node:crypto';
import {
  type ClientConfig,
  type ClientConfigInput,
  type ClientStatus,
  clientConfigSchema,
  type Industry,
  PLAN_TOKEN_BUDGETS,
  type Plan,
} from '@leaddesk/shared';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client, type IClient } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { INDUSTRY_TEMPLATES } from './industry-templates.js';
import { displayPrefix, generateApiKey, generateSecret, generateSiteKey, hashApiKey } from './keys.js';
import { type InstalledStarterBase, installStarterKnowledge, type StarterIngest } from './starter-knowledge/index.js';

export interface CreateClientOptions {
  name: string;
  industry?: Industry;
  slug?: string;
  timezone?: string;
  locale?: string;
  plan?: Plan;
  allowedOrigins?: string[];
  config?: ClientConfigInput;
  /** The agency reselling the client (issue 18); none for the platform's own clients. */
  agencyId?: string | null;
  /**
   * Give the tenant its industry's starter knowledge bases (six languages).
   * Needs `deps.ingest`; without it (scripts, tests) nothing is ingested.
   * @default true
   */
  starterKnowledge?: boolean;
}

export interface CreateClientDeps {
  /** How starter documents are stored (`starterIngestOf(ctx.knowledge)` in the server). */
  ingest?: StarterIngest;
}

export interface CreatedClient {
  client: IClient;
  /** Shown once; only its hash is stored. */
  apiKey: string;
  /** The starter knowledge bases created with the tenant (empty when none were asked for). */
  starterKnowledge: InstalledStarterBase[];
}

export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'client'
  );
}

/** Merges a template and overrides into a full, validated configuration. */
export function buildClientConfig(industry: Industry, overrides: ClientConfigInput = {}): ClientConfig {
  return clientConfigSchema.parse({ ...INDUSTRY_TEMPLATES[industry].config, ...overrides });
}

export function monthKey(date = new Date()): string {
  return date.toISOString().slice(0, 7);
}

export async function createClient(
  em: EntityManager,
  options: CreateClientOptions,
  deps: CreateClientDeps = {},
): Promise<CreatedClient> {
  const industry = options.industry ?? 'other';
  const name = options.name.trim();
  if (!name) throw new AppError('validation_failed', 'name is required');
  const config = buildClientConfig(industry, options.config);
  const baseSlug = slugify(options.slug ?? name);
  const freeSlug = async (tx: EntityManager) => {
    let slug = baseSlug;
    for (let n = 2; await tx.count(Client, { slug }); n++) slug = `${baseSlug}-${n}`;
    return slug;
  };

  const apiKey = generateApiKey();
  const id = randomUUID();
  for (let attempt = 1; ; attempt++) {
    try {
      // Its own transaction (a savepoint inside the caller's): a refused insert rolls back alone, and a
      // caller's transaction stays usable and keeps the client if it commits.
      await em.transactional(async (tx) => {
        tx.create(Client, {
          id,
          slug: await freeSlug(tx),
          name,
          industry,
          timezone: options.timezone ?? 'UTC',
          locale: options.locale ?? 'en',
          plan: options.plan ?? 'starter',
          status: 'active',
          agency: options.agencyId ?? null,
          config,
          apiKeyHash: hashApiKey(apiKey),
          apiKeyPrefix: displayPrefix(apiKey),
          siteKey: generateSiteKey(),
          allowedOrigins: normaliseOrigins(options.allowedOrigins ?? []),
          identitySecret: generateSecret(),
          channelSettings: {},
          usageMonth: monthKey(),
          tokensUsedMonth: 0,
        });
      });
      break;
    } catch (err) {
      // Two clients of the same name created at the same moment (two sign-ups, two admins) find the same
      // free slug; the one that loses takes the next.
      if (!(err instanceof UniqueConstraintViolationException) || !/slug/.test(err.message) || attempt >= 5) throw err;
    }
  }
  const client = await em.findOneOrFail(Client, { id });
  const starterKnowledge =
    deps.ingest && options.starterKnowledge !== false ? await installStarterKnowledge(em, client, deps.ingest) : [];
  return { client, apiKey, starterKnowledge };
}

export function normaliseOrigins(origins: string[]): string[] {
  return [
    ...new Set(
      origins.map((o) => {
        if (o === '*') return o;
        try {
          return new URL(o).origin;
        } catch {
          throw new AppError('validation_failed', `allowed origin "${o}" is not a URL origin`);
        }
      }),
    ),
  ];
}

export async function findClientByApiKey(em: EntityManager, apiKey: string): Promise<IClient | null> {
  if (!apiKey.startsWith('ld_')) return null;
  return em.findOne(Client, { apiKeyHash: hashApiKey(apiKey) });
}

export async function findClientBySiteKey(em: EntityManager, siteKey: string): Promise<IClient | null> {
  if (!siteKey.startsWith('pk_')) return null;
  return em.findOne(Client, { siteKey });
}

/** Replaces the API key; the old one stops working at once. */
export async function rotateApiKey(em: EntityManager, client: IClient): Promise<string> {
  const apiKey = generateApiKey();
  client.apiKeyHash = hashApiKey(apiKey);
  client.apiKeyPrefix = displayPrefix(apiKey);
  await em.flush();
  return apiKey;
}

export async function rotateSiteKey(em: EntityManager, client: IClient): Promise<string> {
  client.siteKey = generateSiteKey();
  await em.flush();
  return client.siteKey;
}

export async function setClientStatus(em: EntityManager, client: IClient, status: ClientStatus): Promise<void> {
  client.status = status;
  await em.flush();
}

/** What a visitor of a paused client is told (widget config, handshake, message). */
export const CHAT_PAUSED_MESSAGE = 'this business is not taking chats right now';

export function chatPausedError(): AppError {
  return new AppError('client_paused', CHAT_PAUSED_MESSAGE);
}

/** Refuses work for a paused client with one clear error. */
export function assertClientActive(client: IClient): void {
  if (client.status !== 'active') {
    throw new AppError('client_paused', `client "${client.slug}" is paused; nothing was stored`);
  }
}

export function tokenBudget(client: IClient): number {
  return PLAN_TOKEN_BUDGETS[client.plan as Plan];
}

/** The agency reselling a client (a loaded entity or a bare reference), or null. */
export function agencyIdOfClient(client: IClient): string | null {
  const agency = client.agency as { id?: string } | string | null | undefined;
  if (!agency) return null;
  return typeof agency === 'string' ? agency : (agency.id ?? null);
}

/** The tenant as API responses show it: never a hash or a secret. */
export function clientToDto(client: IClient) {
  return {
    id: client.id,
    slug: client.slug,
    name: client.name,
    industry: client.industry,
    timezone: client.timezone,
    locale: client.locale,
    plan: client.plan,
    status: client.status,
    agencyId: agencyIdOfClient(client),
    siteKey: client.siteKey,
    apiKeyPrefix: client.apiKeyPrefix,
    allowedOrigins: client.allowedOrigins,
    config: client.config,
    usage: {
      month: client.usageMonth,
      tokensUsed: client.tokensUsedMonth,
      tokenBudget: tokenBudget(client),
    },
    createdAt: client.createdAt.toISOString(),
  };
}
