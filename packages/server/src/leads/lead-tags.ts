import type { Sql } from '../db/sql.js';

/**
 * A lead's tags (`lead_tags`): added by rules (the `add_tag` action) and by
 * staff, removed by staff. Every statement names the tenant, so another
 * client's lead behaves as if it did not exist. Tags come back sorted.
 */

/** The tags of these leads of the tenant; a lead without tags maps to []. */
export async function tagsOfLeads(sql: Sql, clientId: string, leadIds: string[]): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>(leadIds.map((id) => [id, []]));
  if (leadIds.length === 0) return tags;
  const rows = await sql.query<{ lead_id: string; tag: string }[]>(
    'select lead_id, tag from lead_tags where client_id = ? and lead_id = any(?::uuid[]) order by tag',
    [clientId, leadIds],
  );
  for (const r of rows) tags.get(r.lead_id)?.push(r.tag);
  return tags;
}

/** The ids of the tenant's leads carrying `tag`. */
export async function leadIdsWithTag(sql: Sql, clientId: string, tag: string): Promise<string[]> {
  const rows = await sql.query<{ lead_id: string }[]>('select lead_id from lead_tags where client_id = ? and tag = ?', [
    clientId,
    tag,
  ]);
  return rows.map((r) => r.lead_id);
}

/**
 * Adds `tag` once (adding it again changes nothing) and answers the lead's
 * tags; null when the tenant has no such lead.
 */
export async function addLeadTag(sql: Sql, clientId: string, leadId: string, tag: string): Promise<string[] | null> {
  return sql.transaction(async (tx) => {
    // The lead row is locked so a lead deleted meanwhile cannot gain a tag.
    const lead = await tx.query<{ id: string }[]>('select id from leads where id = ? and client_id = ? for share', [
      leadId,
      clientId,
    ]);
    if (!lead[0]) return null;
    await tx.query(
      'insert into lead_tags (client_id, lead_id, tag) values (?, ?, ?) on conflict (lead_id, tag) do nothing',
      [clientId, leadId, tag],
    );
    return tagsOf(tx, clientId, leadId);
  });
}

/** Removes `tag` (absent already: nothing changes) and answers the lead's tags; null for no such lead. */
export async function removeLeadTag(sql: Sql, clientId: string, leadId: string, tag: string): Promise<string[] | null> {
  return sql.transaction(async (tx) => {
    const lead = await tx.query<{ id: string }[]>('select id from leads where id = ? and client_id = ?', [
      leadId,
      clientId,
    ]);
    if (!lead[0]) return null;
    await tx.query('delete from lead_tags where client_id = ? and lead_id = ? and tag = ?', [clientId, leadId, tag]);
    return tagsOf(tx, clientId, leadId);
  });
}

async function tagsOf(sql: Pick<Sql, 'query'>, clientId: string, leadId: string): Promise<string[]> {
  const rows = await sql.query<{ tag: string }[]>(
    'select tag from lead_tags where client_id = ? and lead_id = ? order by tag',
    [clientId, leadId],
  );
  return rows.map((r) => r.tag);
}
