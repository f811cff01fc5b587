import {
  type ExportConversationsQuery,
  type ExportLeadsQuery,
  exportConversationsQuerySchema,
  exportLeadsQuerySchema,
} from '@leaddesk/shared';
import { Router } from 'express';
import { addDays, localIso, safeZone, zonedToUtc } from '../../automation/business-hours/zoned-time.js';
import type { Sql } from '../../db/sql.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { requirePermission } from '../authenticate.js';
import { type CsvColumn, sendCsv } from '../csv-response.js';
import type { OpenApiRegistry } from '../openapi.js';

/** Rows read per query: an export of any size holds one batch in memory. */
const BATCH = 1000;

interface LeadExportRow {
  id: string;
  created_at: Date;
  name: string | null;
  email: string | null;
  phone: string | null;
  source: string;
  status: string;
  temperature: string;
  score: number | null;
  language: string | null;
  qualification: Record<string, unknown> | string;
  appointment_at: Date | null;
  last_contact_at: Date | null;
  assignee: string | null;
  tags: string | null;
}

interface ConversationExportRow {
  id: string;
  created_at: Date;
  lead_id: string | null;
  lead_name: string | null;
  lead_email: string | null;
  lead_phone: string | null;
  channel: string;
  status: string;
  mode: string;
  assignee: string | null;
  last_message_at: Date | null;
  ended_at: Date | null;
  summary: string | null;
}

/**
 * Reads `select … order by created_at desc, id desc` in keyset batches (no
 * offset: each batch is an index range, however deep the export goes).
 */
async function* keyset<T extends { id: string; created_at: Date }>(
  sql: Sql,
  select: string,
  params: unknown[],
): AsyncIterable<T[]> {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const page: T[] = await sql.query<T[]>(
      `${select} ${after ? 'and (x.created_at, x.id) < (?, ?::uuid)' : ''} order by x.created_at desc, x.id desc limit ?`,
      after ? [...params, after.at, after.id, BATCH] : [...params, BATCH],
    );
    if (page.length > 0) yield page;
    if (page.length < BATCH) return;
    const last = page[page.length - 1] as T;
    after = { at: last.created_at, id: last.id };
  }
}

/** The local days `from`..`to` (both included) as instants in the tenant's zone. */
function dayRange(timezone: string, q: { from?: string; to?: string }): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (q.from) {
    parts.push('x.created_at >= ?');
    params.push(zonedToUtc(timezone, q.from, '00:00'));
  }
  if (q.to) {
    parts.push('x.created_at < ?');
    params.push(zonedToUtc(timezone, addDays(q.to, 1), '00:00'));
  }
  return { where: parts.map((p) => ` and ${p}`).join(''), params };
}

function leadColumns(timezone: string): CsvColumn<LeadExportRow>[] {
  const at = (d: Date | null) => (d ? localIso(timezone, new Date(d)) : '');
  const q = (row: LeadExportRow) =>
    (typeof row.qualification === 'string' ? JSON.parse(row.qualification) : row.qualification) as Record<
      string,
      unknown
    >;
  const field = (key: string) => (row: LeadExportRow) => {
    const v = q(row)[key];
    return v === undefined || v === null ? '' : String(v);
  };
  return [
    { header: 'id', value: (r) => r.id },
    { header: 'created_at', value: (r) => at(r.created_at) },
    { header: 'name', value: (r) => r.name },
    { header: 'email', value: (r) => r.email },
    { header: 'phone', value: (r) => r.phone },
    { header: 'source', value: (r) => r.source },
    { header: 'status', value: (r) => r.status },
    { header: 'temperature', value: (r) => r.temperature },
    { header: 'score', value: (r) => (r.score === null ? null : Number(r.score)) },
    { header: 'language', value: (r) => r.language },
    { header: 'service', value: field('serviceInterest') },
    { header: 'urgency', value: field('urgency') },
    { header: 'budget', value: field('budgetRange') },
    { header: 'timeline', value: field('timeline') },
    { header: 'location', value: field('location') },
    {
      header: 'other_answers',
      value: (r) => {
        const custom = q(r).custom as Record<string, string> | undefined;
        return custom && Object.keys(custom).length > 0 ? JSON.stringify(custom) : '';
      },
    },
    { header: 'tags', value: (r) => r.tags },
    { header: 'assignee', value: (r) => r.assignee },
    { header: 'appointment_at', value: (r) => at(r.appointment_at) },
    { header: 'last_contact_at', value: (r) => at(r.last_contact_at) },
  ];
}

function conversationColumns(timezone: string): CsvColumn<ConversationExportRow>[] {
  const at = (d: Date | null) => (d ? localIso(timezone, new Date(d)) : '');
  return [
    { header: 'id', value: (r) => r.id },
    { header: 'created_at', value: (r) => at(r.created_at) },
    { header: 'channel', value: (r) => r.channel },
    { header: 'status', value: (r) => r.status },
    { header: 'mode', value: (r) => r.mode },
    { header: 'lead_id', value: (r) => r.lead_id },
    { header: 'lead_name', value: (r) => r.lead_name },
    { header: 'lead_email', value: (r) => r.lead_email },
    { header: 'lead_phone', value: (r) => r.lead_phone },
    { header: 'assignee', value: (r) => r.assignee },
    { header: 'last_message_at', value: (r) => at(r.last_message_at) },
    { header: 'ended_at', value: (r) => at(r.ended_at) },
    { header: 'summary', value: (r) => r.summary },
  ];
}

function leadsSelect(clientId: string, timezone: string, q: ExportLeadsQuery): { text: string; params: unknown[] } {
  let text = `select x.id, x.created_at, x.name, x.email, x.phone, x.source, x.status, x.temperature, x.score,
      x.language, x.qualification, x.appointment_at, x.last_contact_at, u.name as assignee,
      (select string_agg(t.tag, ', ' order by t.tag) from lead_tags t where t.lead_id = x.id) as tags
    from leads x left join users u on u.id = x.assignee_id
    where x.client_id = ?`;
  const params: unknown[] = [clientId];
  for (const [column, value] of [
    ['status', q.status],
    ['temperature', q.temperature],
    ['source', q.source],
  ] as const) {
    if (value) {
      text += ` and x.${column} = ?`;
      params.push(value);
    }
  }
  if (q.tag) {
    text +=
      ' and exists (select 1 from lead_tags t where t.client_id = x.client_id and t.lead_id = x.id and t.tag = ?)';
    params.push(q.tag);
  }
  const days = dayRange(timezone, q);
  return { text: text + days.where, params: [...params, ...days.params] };
}

function conversationsSelect(
  clientId: string,
  timezone: string,
  q: ExportConversationsQuery,
): { text: string; params: unknown[] } {
  let text = `select x.id, x.created_at, x.lead_id, l.name as lead_name, l.email as lead_email, l.phone as lead_phone,
      x.channel, x.status, x.mode, u.name as assignee, x.last_message_at, x.ended_at, x.summary
    from conversations x
      left join leads l on l.id = x.lead_id and l.client_id = x.client_id
      left join users u on u.id = x.assignee_id
    where x.client_id = ?`;
  const params: unknown[] = [clientId];
  if (q.channel) {
    text += ' and x.channel = ?';
    params.push(q.channel);
  }
  if (q.status) {
    text += ' and x.status = ?';
    params.push(q.status);
  }
  const days = dayRange(timezone, q);
  return { text: text + days.where, params: [...params, ...days.params] };
}

/**
 * CSV exports of the tenant's leads and conversations, newest first, with the
 * lists' filters; timestamps in the tenant's time zone with their offset.
 * Streamed in keyset batches: any size, constant memory. Managers and admins
 * only (`leads:export`): a whole client list leaves the product.
 */
export function exportRoutes(openapi: OpenApiRegistry, sql: Sql): Router {
  const router = Router();
  const stamp = () => new Date().toISOString().slice(0, 10);

  openapi.add({
    method: 'get',
    path: '/exports/leads.csv',
    summary: "Every lead matching the filters as CSV (streamed; times in the tenant's zone)",
    tag: 'leads',
    query: exportLeadsQuerySchema,
  });
  router.get(
    '/exports/leads.csv',
    requirePermission('leads:export'),
    route(async (req, res) => {
      const q = parseInput(exportLeadsQuerySchema, req.query, 'query');
      const client = requireClient(req);
      const timezone = safeZone(client.timezone);
      const select = leadsSelect(client.id, timezone, q);
      await sendCsv(
        res,
        `leads-${client.slug}-${stamp()}.csv`,
        leadColumns(timezone),
        keyset<LeadExportRow>(sql, select.text, select.params),
      );
    }),
  );

  openapi.add({
    method: 'get',
    path: '/exports/conversations.csv',
    summary: "Every conversation matching the filters as CSV (streamed; times in the tenant's zone)",
    tag: 'conversations',
    query: exportConversationsQuerySchema,
  });
  router.get(
    '/exports/conversations.csv',
    requirePermission('leads:export'),
    route(async (req, res) => {
      const q = parseInput(exportConversationsQuerySchema, req.query, 'query');
      const client = requireClient(req);
      const timezone = safeZone(client.timezone);
      const select = conversationsSelect(client.id, timezone, q);
      await sendCsv(
        res,
        `conversations-${client.slug}-${stamp()}.csv`,
        conversationColumns(timezone),
        keyset<ConversationExportRow>(sql, select.text, select.params),
      );
    }),
  );

  return router;
}
