import { clientConfigSchema } from '@leaddesk/shared';
import type { DomainEventBus } from '../../conversation/domain-events.js';
import type { Sql } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import { createCallbackTask } from './callback-tasks.js';
import { hoursContext } from './hours-context.js';

/**
 * A visitor message while the business is closed makes a call-back task for
 * the next opening, when the flow of that mode (after hours, weekend,
 * holiday) asks for one: the same opening the reply promises, since both
 * read `hoursContext` at the same clock.
 */
export function attachAfterHoursTasks(deps: {
  sql: Sql;
  events: DomainEventBus;
  logger: Logger;
  clock: () => Date;
}): () => void {
  const { sql, events, logger, clock } = deps;
  return events.on('message.created', async (e) => {
    if (e.message.role !== 'visitor') return;
    // The moment the message was stored (the bus calls listeners synchronously), not whenever the lookup
    // below returns: a busy database must not move a 21:30 message into tomorrow's opening hours, where it
    // would get no task although its reply promised a call.
    const at = clock();
    try {
      const rows = await sql.query<{ timezone: string; config: unknown; lead_id: string | null }[]>(
        `select cl.timezone, cl.config, c.lead_id from clients cl join conversations c on c.client_id = cl.id
         where cl.id = ? and c.id = ?`,
        [e.clientId, e.conversationId],
      );
      const row = rows[0];
      if (!row) return;
      const parsed = clientConfigSchema.safeParse(typeof row.config === 'string' ? JSON.parse(row.config) : row.config);
      if (!parsed.success) return;
      const hours = hoursContext({ timezone: row.timezone, config: parsed.data }, at);
      if (hours.open || !hours.flow?.callbackTask || !hours.nextOpenAt) return;
      await createCallbackTask(sql, {
        clientId: e.clientId,
        conversationId: e.conversationId,
        leadId: row.lead_id,
        mode: hours.mode,
        dueAt: hours.nextOpenAt,
      });
    } catch (err) {
      logger.error({ err, conversationId: e.conversationId }, 'call-back task failed');
    }
  });
}
