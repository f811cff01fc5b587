import { randomUUID } from 'node:crypto';

/**
 * Rows for the digest and retention tests, written straight to the tables at chosen times (the figures
 * and the cutoffs are about when things happened, which the API cannot backdate).
 */
type Exec = (sql: string, params?: unknown[]) => Promise<unknown>;

export async function insertLead(
  exec: Exec,
  clientId: string,
  at: Date,
  fields: { temperature?: string; name?: string; phone?: string } = {},
): Promise<string> {
  const id = randomUUID();
  await exec(
    `insert into leads (id, client_id, name, phone, handles, source, qualification, score_evidence, status, temperature,
       created_at, updated_at, last_contact_at)
     values (?, ?, ?, ?, '{}'::jsonb, 'web', '{}'::jsonb, '[]'::jsonb, 'new', ?, ?, ?, ?)`,
    [id, clientId, fields.name ?? 'Test lead', fields.phone ?? null, fields.temperature ?? 'unscored', at, at, at],
  );
  return id;
}

/** A conversation with a visitor message at `at` and our answer `answerAfterMs` later. */
export async function insertConversation(
  exec: Exec,
  clientId: string,
  leadId: string | null,
  at: Date,
  answerAfterMs = 30_000,
): Promise<string> {
  const id = randomUUID();
  const answered = new Date(at.getTime() + answerAfterMs);
  await exec(
    `insert into conversations (id, client_id, lead_id, channel, status, mode, last_seq, last_message_at, created_at, updated_at)
     values (?, ?, ?, 'web', 'active', 'ai', 2, ?, ?, ?)`,
    [id, clientId, leadId, answered, at, answered],
  );
  await exec(
    `insert into messages (id, client_id, conversation_id, seq, role, content, attachments, channel, created_at)
     values (?, ?, ?, 1, 'visitor', 'Hello, my name is Ana and my number is +34 600 000 000', '[]'::jsonb, 'web', ?),
            (?, ?, ?, 2, 'ai', 'Hi Ana! How can I help.', '[]'::jsonb, 'web', ?)`,
    [randomUUID(), clientId, id, at, randomUUID(), clientId, id, answered],
  );
  return id;
}

export async function insertEscalation(exec: Exec, clientId: string, conversationId: string, at: Date) {
  await exec(
    `insert into escalations (id, client_id, conversation_id, reason, priority, status, created_at)
     values (?, ?, ?, 'visitor_request', 'normal', 'pending', ?)`,
    [randomUUID(), clientId, conversationId, at],
  );
}

/** A follow-up run with `sent` steps at `at`, stopped by the lead's reply when `replied`. */
export async function insertFollowUps(
  exec: Exec,
  clientId: string,
  conversationId: string,
  at: Date,
  sent: number,
  replied: boolean,
) {
  const runId = randomUUID();
  await exec(
    `insert into follow_up_runs (id, client_id, conversation_id, key, channel, trigger_seq, status, next_step, total_steps,
       anchor_at, stopped_reason)
     values (?, ?, ?, 'default', 'web', 2, ?, ?, 3, ?, ?)`,
    [runId, clientId, conversationId, replied ? 'stopped' : 'active', sent, at, replied ? 'reply' : null],
  );
  for (let step = 0; step < sent; step++) {
    await exec(
      `insert into follow_up_sends (run_id, step, client_id, conversation_id, message_id, via, sent_at)
       values (?, ?, ?, ?, ?, 'text', ?)`,
      [runId, step, clientId, conversationId, randomUUID(), new Date(at.getTime() + step * 60_000)],
    );
  }
}

export async function insertStaff(exec: Exec, clientId: string, email: string): Promise<string> {
  const id = randomUUID();
  await exec(
    `insert into users (id, client_id, email, name, role, backup_code_hashes, created_at)
     values (?, ?, ?, 'Digest Reader', 'manager', '[]'::jsonb, now())`,
    [id, clientId, email],
  );
  return id;
}
