import { createHash } from 'node:crypto';
import type { ClientConfig } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from '../../db/orm.js';
import { sqlOf } from '../../db/sql.js';

export interface VariantStats {
  variant: string;
  conversations: number;
  qualified: number;
  hotLeads: number;
  qualificationRate: number;
  hotLeadRate: number;
}

/** Lead statuses that count as qualified for the experiment. */
const QUALIFIED = ['qualified', 'appointment_booked', 'handed_off', 'closed_won'];

/**
 * Prompt experiments: a tenant defines two variants; each conversation gets
 * one the first time the AI answers it (half and half by a hash of the
 * conversation id) and keeps it (`conversations.prompt_variant`, written only
 * while empty, so concurrent replies agree).
 */
export class PromptVariants {
  constructor(private readonly orm: Orm) {}

  private em(): EntityManager {
    return this.orm.em.fork() as EntityManager;
  }

  async assign(
    clientId: string,
    conversationId: string,
    config: ClientConfig,
    current: string | null,
  ): Promise<{ id: string; instructions: string } | undefined> {
    const experiment = config.promptExperiment;
    if (!experiment?.enabled || experiment.variants.length !== 2) return undefined;
    const find = (id: string | null | undefined) => experiment.variants.find((v) => v.id === id);
    if (current && find(current)) return find(current);
    const pick = experiment.variants[createHash('sha256').update(conversationId).digest()[0]! % 2]!;
    const rows = await sqlOf(this.orm).query<{ prompt_variant: string }[]>(
      `update conversations set prompt_variant = coalesce(prompt_variant, ?) where id = ? and client_id = ? returning prompt_variant`,
      [pick.id, conversationId, clientId],
    );
    return find(rows[0]?.prompt_variant) ?? pick;
  }

  async stats(clientId: string): Promise<VariantStats[]> {
    const rows = await this.em().execute<{ variant: string; conversations: string; qualified: string; hot: string }[]>(
      `select v.prompt_variant as variant, count(*) as conversations,
              count(*) filter (where l.status in (${QUALIFIED.map(() => '?').join(', ')})) as qualified,
              count(*) filter (where l.temperature = 'hot') as hot
         from conversations v
         left join leads l on l.id = v.lead_id and l.client_id = v.client_id
        where v.client_id = ? and v.prompt_variant is not null
        group by v.prompt_variant order by v.prompt_variant`,
      [...QUALIFIED, clientId],
    );
    return rows.map((r) => {
      const conversations = Number(r.conversations);
      const qualified = Number(r.qualified);
      const hotLeads = Number(r.hot);
      return {
        variant: r.variant,
        conversations,
        qualified,
        hotLeads,
        qualificationRate: conversations ? qualified / conversations : 0,
        hotLeadRate: conversations ? hotLeads / conversations : 0,
      };
    });
  }
}
