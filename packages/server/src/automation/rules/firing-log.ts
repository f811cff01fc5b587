import { randomUUID } from 'node:crypto';
import type { HoursMode, RuleActionOutcome, RuleDto, RuleFiringDto, RuleTriggerKind } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';

/**
 * The firing log, and the claim that makes a firing happen once: the row is
 * inserted (on conflict do nothing) before any action runs, keyed by rule,
 * subject and trigger moment. The process whose insert returned a row acts;
 * every other process, redelivery or restart sees the conflict and stops.
 */
export interface FiringClaim {
  rule: RuleDto;
  trigger: RuleTriggerKind;
  /** Rule, subject and moment: what makes two firings the same one. */
  key: string;
  leadId: string | null;
  conversationId: string | null;
  hoursMode: HoursMode;
  firedAt: Date;
}

export async function claimFiring(sql: Sql, clientId: string, claim: FiringClaim): Promise<string | null> {
  const rows = await sql.query<{ id: string }[]>(
    `insert into automation_rule_firings (id, client_id, rule_id, rule_name, trigger_kind, firing_key, lead_id, conversation_id, hours_mode, actions, fired_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]'::jsonb, ?) on conflict (client_id, firing_key) do nothing returning id`,
    [
      randomUUID(),
      clientId,
      claim.rule.id,
      claim.rule.name,
      claim.trigger,
      claim.key.slice(0, 300),
      claim.leadId,
      claim.conversationId,
      claim.hoursMode,
      claim.firedAt,
    ],
  );
  return rows[0]?.id ?? null;
}

export async function recordOutcomes(
  sql: Sql,
  clientId: string,
  firingId: string,
  outcomes: RuleActionOutcome[],
): Promise<void> {
  await sql.query('update automation_rule_firings set actions = ?::jsonb where id = ? and client_id = ?', [
    JSON.stringify(outcomes),
    firingId,
    clientId,
  ]);
}

interface FiringRow {
  id: string;
  rule_id: string;
  rule_name: string;
  trigger_kind: RuleTriggerKind;
  lead_id: string | null;
  conversation_id: string | null;
  hours_mode: HoursMode;
  actions: unknown;
  fired_at: Date | string;
}

export async function listFirings(
  sql: Sql,
  clientId: string,
  options: { ruleId?: string; limit: number },
): Promise<RuleFiringDto[]> {
  const rows = await sql.query<FiringRow[]>(
    `select id, rule_id, rule_name, trigger_kind, lead_id, conversation_id, hours_mode, actions, fired_at
     from automation_rule_firings where client_id = ? and (?::uuid is null or rule_id = ?::uuid)
     order by fired_at desc, id desc limit ?`,
    [clientId, options.ruleId ?? null, options.ruleId ?? null, options.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    ruleId: r.rule_id,
    ruleName: r.rule_name,
    trigger: r.trigger_kind,
    leadId: r.lead_id,
    conversationId: r.conversation_id,
    hoursMode: r.hours_mode,
    firedAt: new Date(r.fired_at).toISOString(),
    actions: (typeof r.actions === 'string' ? JSON.parse(r.actions) : r.actions) as RuleActionOutcome[],
  }));
}
