import { isDeepStrictEqual } from 'node:util';
import { type AutomationSettings, automationSettingsSchema } from '@leaddesk/shared';
import type { Orm } from '../../db/orm.js';
import { type Sql, sqlOf } from '../../db/sql.js';
import { mergePatch } from '../../http/merge-patch.js';

/**
 * A tenant's automation settings (`automation_settings`, one JSON document):
 * read with every default filled in, changed by JSON merge patch under a row
 * lock and validated whole after merging (http/merge-patch.ts).
 */
export class AutomationSettingsStore {
  constructor(private readonly orm: Orm) {}

  async get(clientId: string): Promise<AutomationSettings> {
    const rows = await sqlOf(this.orm).query<{ settings: unknown }[]>(
      'select settings from automation_settings where client_id = ?',
      [clientId],
    );
    return parseStored(rows[0]?.settings);
  }

  /**
   * Applies a merge patch; `check` may refuse the merged result (400) before it is stored
   * (e.g. digest recipients that are not this tenant's staff).
   */
  async patch(
    clientId: string,
    patch: unknown,
    /** Validation that reads the database: through `tx`, the patch's own transaction and connection. */
    check?: (next: AutomationSettings, tx: Pick<Sql, 'query'>) => Promise<void>,
  ): Promise<AutomationSettings> {
    // A patch that changes nothing writes nothing (no row is created for it); a tenant's first real change
    // inserts the row, and a concurrent first change that won the insert is merged into on the retry.
    for (let attempt = 0; ; attempt++) {
      const done = await sqlOf(this.orm).transaction(async (tx) => {
        const rows = await tx.query<{ settings: unknown }[]>(
          'select settings from automation_settings where client_id = ? for update',
          [clientId],
        );
        const current = parseStored(rows[0]?.settings);
        const next = mergePatch(automationSettingsSchema, current as unknown as Record<string, unknown>, patch);
        await check?.(next, tx);
        if (isDeepStrictEqual(next, current)) return next;
        if (rows[0]) {
          await tx.query('update automation_settings set settings = ?::jsonb, updated_at = now() where client_id = ?', [
            JSON.stringify(next),
            clientId,
          ]);
          return next;
        }
        const inserted = await tx.query<{ client_id: string }[]>(
          `insert into automation_settings (client_id, settings) values (?, ?::jsonb)
           on conflict (client_id) do nothing returning client_id`,
          [clientId, JSON.stringify(next)],
        );
        return inserted.length ? next : null;
      });
      if (done || attempt >= 2) return done ?? this.get(clientId);
    }
  }
}

function parseStored(raw: unknown): AutomationSettings {
  const parsed = automationSettingsSchema.safeParse(raw ?? {});
  // A document stored by an older version that no longer validates: the defaults, never a 500.
  return parsed.success ? parsed.data : automationSettingsSchema.parse({});
}
