import { randomUUID } from 'node:crypto';
import type { CallbackTaskDto, HoursMode } from '@leaddesk/shared';
import type { Sql } from '../../db/sql.js';

/**
 * Call-back tasks: the promise an after-hours reply made ("someone will call
 * you at 9:00 tomorrow"), due at the opening it named. One per conversation
 * and opening (unique), so every message of the same evening, on any
 * process, makes one task.
 */
export async function createCallbackTask(
  sql: Sql,
  input: { clientId: string; conversationId: string; leadId: string | null; mode: HoursMode; dueAt: string },
): Promise<boolean> {
  const rows = await sql.query<{ id: string }[]>(
    `insert into callback_tasks (id, client_id, conversation_id, lead_id, mode, due_at, status, created_at)
     select ?::uuid, c.client_id, c.id, ?::uuid, ?, ?::timestamptz, 'open', now() from conversations c where c.id = ? and c.client_id = ?
     on conflict (conversation_id, due_at) do nothing returning id`,
    [randomUUID(), input.leadId, input.mode, input.dueAt, input.conversationId, input.clientId],
  );
  return rows.length > 0;
}

interface TaskRow {
  id: string;
  conversation_id: string;
  lead_id: string | null;
  mode: HoursMode;
  due_at: Date | string;
  status: 'open' | 'done';
  created_at: Date | string;
  done_at: Date | string | null;
  done_by: string | null;
}

const COLUMNS = 'id, conversation_id, lead_id, mode, due_at, status, created_at, done_at, done_by';

function taskToDto(r: TaskRow): CallbackTaskDto {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    leadId: r.lead_id,
    mode: r.mode,
    dueAt: new Date(r.due_at).toISOString(),
    status: r.status,
    createdAt: new Date(r.created_at).toISOString(),
    doneAt: r.done_at ? new Date(r.done_at).toISOString() : null,
    doneBy: r.done_by,
  };
}

export async function listCallbackTasks(sql: Sql, clientId: string, limit = 100): Promise<CallbackTaskDto[]> {
  const rows = await sql.query<TaskRow[]>(
    `select ${COLUMNS} from callback_tasks
     where client_id = ? and status = 'open' order by due_at, created_at limit ?`,
    [clientId, limit],
  );
  return rows.map(taskToDto);
}

/**
 * Marks the tenant's task done, once: a second call (a double click, a retry)
 * changes nothing and answers the task as first completed, so who and when stay
 * those of the first. Null when the tenant has no such task.
 */
export async function completeCallbackTask(
  sql: Sql,
  input: { clientId: string; id: string; by: { kind: 'user' | 'api_key'; userId: string | null }; at: Date },
): Promise<CallbackTaskDto | null> {
  const updated = await sql.query<TaskRow[]>(
    `update callback_tasks set status = 'done', done_at = ?::timestamptz, done_by = ?::uuid, done_by_kind = ?
     where id = ? and client_id = ? and status = 'open' returning ${COLUMNS}`,
    [input.at.toISOString(), input.by.userId, input.by.kind, input.id, input.clientId],
  );
  if (updated[0]) return taskToDto(updated[0]);
  const existing = await sql.query<TaskRow[]>(`select ${COLUMNS} from callback_tasks where id = ? and client_id = ?`, [
    input.id,
    input.clientId,
  ]);
  return existing[0] ? taskToDto(existing[0]) : null;
}
