import { randomUUID } from 'node:crypto';
import type { AgencyClientDto, AgencyDto, CreateAgencyInput } from '@leaddesk/shared';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency, Client, type IAgency, type IClient, User } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { slugify } from '../tenants/tenant-service.js';

/**
 * Agencies (issue 18): the reseller record and what hangs off it. The tenancy
 * rule lives in AuthService.clientFor (agency staff select only their agency's
 * clients); this is the bookkeeping around it.
 */

/** Creates an agency; a slug left out comes from the name (the next free one), a slug given and taken is a 409. */
export async function createAgency(em: EntityManager, input: CreateAgencyInput): Promise<IAgency> {
  const base = input.slug ?? slugify(input.name);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base.slice(0, 74)}-${n}`;
    if (await em.count(Agency, { slug })) {
      if (input.slug) throw new AppError('conflict', `the slug ${input.slug} is taken`);
      continue;
    }
    try {
      const id = randomUUID();
      await em.insert(Agency, { id, slug, name: input.name.trim(), branding: {} });
      return em.findOneOrFail(Agency, { id });
    } catch (err) {
      // Two agencies named alike at the same moment: the loser takes the next slug (or is told, if it chose it).
      if (!(err instanceof UniqueConstraintViolationException) || input.slug || n >= 20) throw err;
    }
  }
}

/** A slug change that would collide is a 409, not a database error. */
export async function assertSlugFree(em: EntityManager, slug: string, agencyId: string): Promise<void> {
  if (await em.count(Agency, { slug, id: { $ne: agencyId } })) {
    throw new AppError('conflict', `the slug ${slug} is taken`);
  }
}

export async function agencyToDto(em: EntityManager, agency: IAgency): Promise<AgencyDto> {
  const [clients, staff] = await Promise.all([
    em.count(Client, { agency: agency.id }),
    em.count(User, { agency: agency.id }),
  ]);
  return {
    id: agency.id,
    slug: agency.slug,
    name: agency.name,
    clients,
    staff,
    createdAt: agency.createdAt.toISOString(),
  };
}

export function agencyClientToDto(client: IClient): AgencyClientDto {
  return {
    id: client.id,
    slug: client.slug,
    name: client.name,
    industry: client.industry,
    plan: client.plan,
    status: client.status,
    createdAt: client.createdAt.toISOString(),
  };
}

/** An agency by id from a path, or 404 (a malformed id included). */
export async function findAgency(em: EntityManager, id: string): Promise<IAgency> {
  const agency = /^[0-9a-f-]{36}$/i.test(id) ? await em.findOne(Agency, { id: id.toLowerCase() }) : null;
  if (!agency) throw AppError.notFound('agency');
  return agency;
}
