import { isStorableText } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Client, type IClient } from '../db/entities/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `?client=` in a webhook URL: the tenant's slug or id. */
export async function findClientBySlugOrId(em: EntityManager, ref: string | undefined): Promise<IClient | null> {
  if (!ref || ref.length > 100 || !isStorableText(ref)) return null;
  return em.findOne(Client, UUID.test(ref) ? { id: ref } : { slug: ref });
}

/** The tenant whose settings hold this value at `channel_settings -> section ->> field` (indexed). */
export async function findClientBySetting(
  em: EntityManager,
  section: 'whatsapp' | 'twilio',
  field: 'phoneNumberId' | 'verifyTokenHash' | 'phoneNumber',
  value: string,
): Promise<IClient | null> {
  const rows = await em
    .getConnection()
    // Literal keys (from the union above) so the expression indexes of migration 20261125050000 apply.
    .execute<{ id: string }[]>(`select id from clients where channel_settings->'${section}'->>'${field}' = ? limit 1`, [
      value,
    ]);
  return rows[0] ? em.findOne(Client, { id: rows[0].id }) : null;
}
