import { randomUUID } from 'node:crypto';
import type { Channel } from '@leaddesk/shared';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IClient, type ILead, Lead } from '../db/entities/index.js';
import { countryFromLocale, normalizeEmail, normalizePhone } from './normalize-contact.js';

export interface LeadContact {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  language?: string | null;
  /** Channel handles that identify the lead (e.g. `{ whatsapp: '16505551234' }`). */
  handles?: Record<string, string>;
}

/**
 * Finds the client's lead by normalised phone, then email, then handle; or
 * creates it. Concurrent callers with the same contact end up with one lead:
 * the partial unique indexes refuse the second insert and we read the winner.
 * Missing fields on an existing lead are filled in, never overwritten.
 */
export async function findOrCreateLead(
  em: EntityManager,
  client: IClient,
  source: Channel,
  contact: LeadContact,
): Promise<{ lead: ILead; created: boolean }> {
  const phone = normalizePhone(contact.phone, countryFromLocale(client.locale));
  const email = normalizeEmail(contact.email);
  const handles = contact.handles ?? {};

  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await findExisting(em, client, phone, email, handles);
    if (existing) {
      mergeContact(existing, { ...contact, phone, email, handles });
      await em.flush();
      return { lead: existing, created: false };
    }
    const fork = em.fork();
    const lead = fork.create(Lead, {
      id: randomUUID(),
      client: client.id,
      name: contact.name?.trim() || null,
      email,
      phone,
      handles,
      language: contact.language ?? null,
      source,
      qualification: { custom: {} },
      scoreEvidence: [],
      lastContactAt: new Date(),
    });
    try {
      await fork.flush();
      return { lead: await em.findOneOrFail(Lead, { id: lead.id }), created: true };
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      // Somebody else created it first: loop and read theirs.
    }
  }
  throw new Error('could not find or create lead after concurrent retries');
}

async function findExisting(
  em: EntityManager,
  client: IClient,
  phone: string | null,
  email: string | null,
  handles: Record<string, string>,
): Promise<ILead | null> {
  if (phone) {
    const lead = await em.findOne(Lead, { client: client.id, phone });
    if (lead) return lead;
  }
  if (email) {
    const lead = await em.findOne(Lead, { client: client.id, email });
    if (lead) return lead;
  }
  for (const [channel, handle] of Object.entries(handles)) {
    const rows = await em
      .getConnection()
      .execute<{ id: string }[]>('select id from leads where client_id = ? and handles @> ?::jsonb limit 1', [
        client.id,
        JSON.stringify({ [channel]: handle }),
      ]);
    if (rows[0]) return em.findOne(Lead, { id: rows[0].id });
  }
  return null;
}

function mergeContact(lead: ILead, contact: LeadContact & { phone: string | null; email: string | null }): void {
  if (!lead.name && contact.name?.trim()) lead.name = contact.name.trim();
  if (!lead.phone && contact.phone) lead.phone = contact.phone;
  if (!lead.email && contact.email) lead.email = contact.email;
  if (!lead.language && contact.language) lead.language = contact.language;
  if (contact.handles && Object.keys(contact.handles).length) lead.handles = { ...lead.handles, ...contact.handles };
  lead.lastContactAt = new Date();
}
