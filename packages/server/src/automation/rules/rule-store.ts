import { randomUUID } from 'node:crypto';
import { type RuleDto, type RuleInput, type RuleTriggerKind, ruleInputSchema, ruleSchema } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';

/**
 * A tenant's rules, by raw SQL on the shared pool (every query names the
 * client). The JSON columns hold what the shared schemas validated; a row
 * that no longer parses (a schema that changed) is skipped by the engine
 * rather than acted on.
 */
interface RuleRow {
  id: string;
  name: string;
  enabled: boolean;
  trigger: unknown;
  conditions: unknown;
  actions: unknown;
  source: 'template' | 'custom';
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, name, enabled, trigger, conditions, actions, source, created_at, updated_at';

function iso(v: Date | string): string {
  return new Date(v).toISOString();
}

function json(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

export function ruleRowToDto(row: RuleRow): RuleDto | null {
  const parsed = ruleSchema.safeParse({
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    trigger: json(row.trigger),
    conditions: json(row.conditions),
    actions: json(row.actions),
    source: row.source,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  });
  return parsed.success ? parsed.data : null;
}

type Db = Pick<Sql, 'query'>;

export async function listRules(db: Db, clientId: string): Promise<RuleDto[]> {
  const rows = await db.query<RuleRow[]>(
    `select ${COLUMNS} from automation_rules where client_id = ? order by created_at, id`,
    [clientId],
  );
  return rows.map(ruleRowToDto).filter((r): r is RuleDto => r !== null);
}

/** Enabled rules of the client whose trigger is one of `kinds` (the engine's one query per event). */
export async function enabledRules(db: Db, clientId: string, kinds: readonly RuleTriggerKind[]): Promise<RuleDto[]> {
  const rows = await db.query<RuleRow[]>(
    `select ${COLUMNS} from automation_rules where client_id = ? and enabled and trigger_kind = any(?) order by created_at, id`,
    [clientId, kinds],
  );
  return rows.map(ruleRowToDto).filter((r): r is RuleDto => r !== null);
}

export async function getRule(db: Db, clientId: string, id: string, lock = false): Promise<RuleDto | null> {
  const rows = await db.query<RuleRow[]>(
    `select ${COLUMNS} from automation_rules where id = ? and client_id = ?${lock ? ' for update' : ''}`,
    [id, clientId],
  );
  return rows[0] ? ruleRowToDto(rows[0]) : null;
}

export async function insertRule(
  db: Db,
  clientId: string,
  input: RuleInput,
  source: RuleDto['source'] = 'custom',
): Promise<RuleDto> {
  const rule = ruleInputSchema.parse(input);
  const rows = await db.query<RuleRow[]>(
    `insert into automation_rules (id, client_id, name, enabled, trigger_kind, trigger, conditions, actions, source, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, now(), now()) returning ${COLUMNS}`,
    [
      randomUUID(),
      clientId,
      rule.name,
      rule.enabled,
      rule.trigger.kind,
      JSON.stringify(rule.trigger),
      JSON.stringify(rule.conditions),
      JSON.stringify(rule.actions),
      source,
    ],
  );
  const dto = rows[0] && ruleRowToDto(rows[0]);
  if (!dto) throw new Error('rule not stored');
  return dto;
}

export async function updateRule(db: Db, clientId: string, id: string, rule: RuleDto): Promise<RuleDto | null> {
  const rows = await db.query<RuleRow[]>(
    `update automation_rules set name = ?, enabled = ?, trigger_kind = ?, trigger = ?::jsonb, conditions = ?::jsonb,
       actions = ?::jsonb, updated_at = now() where id = ? and client_id = ? returning ${COLUMNS}`,
    [
      rule.name,
      rule.enabled,
      rule.trigger.kind,
      JSON.stringify(rule.trigger),
      JSON.stringify(rule.conditions),
      JSON.stringify(rule.actions),
      id,
      clientId,
    ],
  );
  return rows[0] ? ruleRowToDto(rows[0]) : null;
}

export async function deleteRule(db: Db, clientId: string, id: string): Promise<boolean> {
  const rows = await db.query<{ id: string }[]>(
    'delete from automation_rules where id = ? and client_id = ? returning id',
    [id, clientId],
  );
  return rows.length > 0;
}

/**
 * Installs the industry template's rules once per tenant: the marker row is
 * inserted in the same transaction, so two processes (or two requests) that
 * race install them once, and a tenant that deleted them does not get them back.
 */
export async function installDefaultRules(
  sql: Sql,
  clientId: string,
  defaults: readonly RuleInput[],
): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const marked = await tx.query<{ client_id: string }[]>(
      'insert into automation_defaults (client_id) values (?) on conflict do nothing returning client_id',
      [clientId],
    );
    if (!marked.length) return false;
    for (const rule of defaults) await insertRule(tx, clientId, rule, 'template');
    return true;
  });
}
