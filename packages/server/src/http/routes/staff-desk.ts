import {
  type AnalyticsDto,
  analyticsQuerySchema,
  analyticsSchema,
  type ClientConfig,
  escalationSchema,
  escalationStatsSchema,
  inboxQuerySchema,
  listEscalationsQuerySchema,
  paginated,
  resolveEscalationSchema,
} from '@leaddesk/shared';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { listInbox, staffOfClient } from '../../staff/staff-queries.js';
import { requireClient, requireEm } from '../api-key-auth.js';
import { route } from '../async-handler.js';
import { requirePermission } from '../authenticate.js';
import type { OpenApiRegistry } from '../openapi.js';
import { parseId } from './leads.js';

const staffConversationSchema = z.object({
  id: z.string().uuid(),
  leadId: z.string().uuid().nullable(),
  leadName: z.string().nullable(),
  leadScore: z.number().nullable(),
  leadTemperature: z.string().nullable(),
  channel: z.string(),
  status: z.string(),
  mode: z.string(),
  holder: z.object({ userId: z.string(), name: z.string() }).nullable(),
  assignee: z.object({ userId: z.string(), name: z.string() }).nullable(),
  lastSeq: z.number().int(),
  lastMessageAt: z.string().nullable(),
  lastMessage: z.string().nullable(),
  createdAt: z.string(),
});

interface EscalationRow {
  id: string;
  conversation_id: string;
  lead_id: string | null;
  lead_name: string | null;
  reason: string;
  priority: string;
  status: string;
  detail: string;
  resolution: string | null;
  resolved_by: string | null;
  resolved_at: Date | string | null;
  created_at: Date | string;
}
const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
const escalationToDto = (r: EscalationRow) => ({
  id: r.id,
  conversationId: r.conversation_id,
  leadId: r.lead_id,
  leadName: r.lead_name,
  reason: r.reason,
  priority: r.priority,
  status: r.status,
  detail: r.detail,
  resolution: r.resolution,
  resolvedBy: r.resolved_by,
  resolvedAt: iso(r.resolved_at),
  createdAt: iso(r.created_at) as string,
});
const ESCALATION_SELECT = `select e.id, e.conversation_id, e.lead_id, l.name as lead_name, e.reason, e.priority, e.status, e.detail,
    e.resolution, u.name as resolved_by, e.resolved_at, e.created_at
  from escalations e left join leads l on l.id = e.lead_id left join users u on u.id = e.resolved_by_id`;

/**
 * What the staff dashboard reads over HTTP (the live parts travel on the
 * `/staff` socket): the inbox with its filters, the team (for assignment and
 * @mentions), escalations with their stats, and analytics. Tenant-scoped and
 * checked against the policy table like every route.
 */
export function staffDeskRoutes(openapi: OpenApiRegistry): Router {
  const router = Router();

  openapi.add({
    method: 'get',
    path: '/inbox',
    summary: 'Conversations for the staff inbox (filters: all, mine, active, escalated, human, ended)',
    tag: 'conversations',
    query: inboxQuerySchema,
    response: paginated(staffConversationSchema),
  });
  router.get(
    '/inbox',
    requirePermission('conversations:read'),
    route(async (req, res) => {
      const q = parseInput(inboxQuerySchema, req.query, 'query');
      const { data, total } = await listInbox(requireEm(req), requireClient(req).id, req.principal?.userId, q);
      res.json({ data, page: q.page, pageSize: q.pageSize, total });
    }),
  );

  openapi.add({
    method: 'get',
    path: '/team',
    summary: 'Active staff of the client (names for assignment and @mentions)',
    tag: 'users',
    response: z.object({ data: z.array(z.object({ userId: z.string(), name: z.string(), role: z.string() })) }),
  });
  router.get(
    '/team',
    requirePermission('conversations:read'),
    route(async (req, res) => {
      const staff = await staffOfClient(requireEm(req), requireClient(req).id);
      res.json({ data: staff.map(({ userId, name, role }) => ({ userId, name, role })) });
    }),
  );

  openapi.add({
    method: 'get',
    path: '/escalations',
    summary: 'Escalations, newest first',
    tag: 'escalations',
    query: listEscalationsQuerySchema,
    response: paginated(escalationSchema),
  });
  router.get(
    '/escalations',
    requirePermission('escalations:read'),
    route(async (req, res) => {
      const q = parseInput(listEscalationsQuerySchema, req.query, 'query');
      const em = requireEm(req);
      const clientId = requireClient(req).id;
      const where = q.status ? 'e.client_id = ? and e.status = ?' : 'e.client_id = ?';
      const params = q.status ? [clientId, q.status] : [clientId];
      const rows = await em.execute<EscalationRow[]>(
        `${ESCALATION_SELECT} where ${where} order by e.created_at desc, e.id desc limit ? offset ?`,
        [...params, q.pageSize, (q.page - 1) * q.pageSize],
      );
      const [count] = await em.execute<{ n: string }[]>(
        `select count(*) as n from escalations e where ${where}`,
        params,
      );
      res.json({ data: rows.map(escalationToDto), page: q.page, pageSize: q.pageSize, total: Number(count?.n ?? 0) });
    }),
  );

  openapi.add({
    method: 'get',
    path: '/escalations/stats',
    summary: 'Escalation count, pending, most common reason, average time to resolve',
    tag: 'escalations',
    response: escalationStatsSchema,
  });
  router.get(
    '/escalations/stats',
    requirePermission('escalations:read'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const [row] = await requireEm(req).execute<
        Array<{ total: string; pending: string; reason: string | null; minutes: string | null }>
      >(
        `select count(*) as total, count(*) filter (where status = 'pending') as pending,
           (select reason from escalations where client_id = ? group by reason order by count(*) desc, reason limit 1) as reason,
           avg(extract(epoch from (resolved_at - created_at)) / 60) filter (where resolved_at is not null) as minutes
         from escalations where client_id = ?`,
        [clientId, clientId],
      );
      res.json({
        total: Number(row?.total ?? 0),
        pending: Number(row?.pending ?? 0),
        mostCommonReason: row?.reason ?? null,
        averageMinutesToResolve:
          row?.minutes === null || row?.minutes === undefined ? null : Math.round(Number(row.minutes) * 10) / 10,
      });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/escalations/:id/resolve',
    summary: 'Resolve an escalation with a note',
    tag: 'escalations',
    body: resolveEscalationSchema,
    response: escalationSchema,
  });
  router.post(
    '/escalations/:id/resolve',
    requirePermission('escalations:resolve'),
    route(async (req, res) => {
      const body = parseInput(resolveEscalationSchema, req.body);
      const em = requireEm(req);
      const clientId = requireClient(req).id;
      const id = parseId(req.params.id);
      const updated = await em.execute<{ id: string; conversation_id: string }[]>(
        `update escalations set status = 'resolved', resolution = ?, resolved_by_id = ?, resolved_at = now()
         where id = ? and client_id = ? and status <> 'resolved' returning id, conversation_id`,
        [body.resolution, req.principal?.userId ?? null, id, clientId],
      );
      if (!updated[0]) {
        const exists = await em.execute('select 1 from escalations where id = ? and client_id = ?', [id, clientId]);
        if (exists.length) throw new AppError('conflict', 'this escalation is already resolved');
        throw AppError.notFound('escalation');
      }
      // The conversation is no longer escalated once nothing is pending on it.
      await em.execute(
        `update conversations set status = 'active', updated_at = now() where id = ? and client_id = ? and status = 'escalated'
         and not exists (select 1 from escalations where conversation_id = ? and status <> 'resolved')`,
        [updated[0].conversation_id, clientId, updated[0].conversation_id],
      );
      const [row] = await em.execute<EscalationRow[]>(`${ESCALATION_SELECT} where e.id = ?`, [id]);
      res.json(escalationToDto(row as EscalationRow));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/analytics',
    summary: 'KPIs and chart series for the last N days',
    tag: 'analytics',
    query: analyticsQuerySchema,
    response: analyticsSchema,
  });
  router.get(
    '/analytics',
    requirePermission('analytics:read'),
    route(async (req, res) => {
      const q = parseInput(analyticsQuerySchema, req.query, 'query');
      const client = requireClient(req);
      res.json(await analytics(requireEm(req), client, q.days));
    }),
  );

  return router;
}

type Em = ReturnType<typeof requireEm>;

async function analytics(
  em: Em,
  client: { id: string; timezone: string; config: ClientConfig },
  days: number,
): Promise<AnalyticsDto> {
  const since = new Date(Date.now() - days * 86_400_000);
  const id = client.id;
  const n = (v: unknown) => Number(v ?? 0);
  const [k] = await em.execute<Array<Record<string, string | null>>>(
    `select
      (select count(*) from leads where client_id = ? and created_at >= ?) as leads,
      (select count(*) from leads where client_id = ? and created_at >= ? and temperature = 'hot') as hot,
      (select count(*) from leads where client_id = ? and created_at >= ? and status = 'appointment_booked') as appointments,
      (select count(*) from leads where client_id = ? and created_at >= ? and status in ('qualified', 'appointment_booked', 'handed_off', 'closed_won')) as qualified,
      (select count(*) from conversations where client_id = ? and status <> 'ended' and last_message_at >= now() - interval '30 minutes') as active,
      (select count(*) from escalations where client_id = ? and created_at >= ?) as escalations,
      (select avg(extract(epoch from (r.at - v.at))) from
         (select conversation_id, min(created_at) as at from messages where client_id = ? and role = 'visitor' and created_at >= ? group by conversation_id) v
         cross join lateral (select min(created_at) as at from messages m where m.conversation_id = v.conversation_id and m.role in ('ai', 'staff') and m.created_at >= v.at) r
         where r.at is not null) as first_response`,
    [id, since, id, since, id, since, id, since, id, id, since, id, since],
  );
  const byDay = await em.execute<Array<{ day: string; hot: string; warm: string; cold: string }>>(
    `select to_char(date_trunc('day', created_at at time zone ?), 'YYYY-MM-DD') as day,
       count(*) filter (where temperature = 'hot') as hot, count(*) filter (where temperature = 'warm') as warm,
       count(*) filter (where temperature not in ('hot', 'warm')) as cold
     from leads where client_id = ? and created_at >= ? group by 1 order by 1`,
    [client.timezone, id, since],
  );
  const byChannel = await em.execute<Array<{ channel: string; leads: string }>>(
    'select source as channel, count(*) as leads from leads where client_id = ? and created_at >= ? group by 1 order by 2 desc',
    [id, since],
  );
  const scores = await em.execute<Array<{ bucket: number; leads: string }>>(
    `select least(floor(score / 20), 4) as bucket, count(*) as leads from leads where client_id = ? and created_at >= ? group by 1 order by 1`,
    [id, since],
  );
  const convs = await em.execute<Array<{ created_at: Date | string; hot: boolean }>>(
    `select c.created_at, coalesce(l.temperature = 'hot', false) as hot from conversations c left join leads l on l.id = c.lead_id
     where c.client_id = ? and c.created_at >= ? order by c.created_at desc limit 20000`,
    [id, since],
  );
  const copilot = await em.execute<Array<{ outcome: string; n: string }>>(
    `select outcome, count(*) as n from copilot_suggestions where client_id = ? and created_at >= ? group by 1`,
    [id, since],
  );
  const afterHours = convs.filter(
    (c) => !isOpenAt(client.config.businessHours, client.timezone, new Date(c.created_at)),
  );
  const labels = ['0-19', '20-39', '40-59', '60-79', '80-100'];
  const leads = n(k?.leads);
  return {
    days,
    kpis: {
      leads,
      hotLeads: n(k?.hot),
      appointments: n(k?.appointments),
      activeChats: n(k?.active),
      escalations: n(k?.escalations),
      qualificationRate: leads ? Math.round((n(k?.qualified) / leads) * 1000) / 1000 : 0,
      avgFirstResponseSeconds: k?.first_response == null ? null : Math.round(Number(k.first_response) * 10) / 10,
    },
    leadsByDay: byDay.map((d) => ({ day: d.day, hot: n(d.hot), warm: n(d.warm), cold: n(d.cold) })),
    byChannel: byChannel.map((c) => ({ channel: c.channel, leads: n(c.leads) })),
    scoreDistribution: labels.map((bucket, i) => ({
      bucket,
      leads: n(scores.find((s) => Number(s.bucket) === i)?.leads),
    })),
    afterHours: { conversations: afterHours.length, hotLeads: afterHours.filter((c) => c.hot).length },
    copilot: {
      sentAsIs: n(copilot.find((c) => c.outcome === 'sent_as_is')?.n),
      edited: n(copilot.find((c) => c.outcome === 'edited')?.n),
      discarded: n(copilot.find((c) => c.outcome === 'discarded')?.n),
    },
  };
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Whether the business is open at `at` in its time zone (several periods a day). */
export function isOpenAt(hours: ClientConfig['businessHours'], timezone: string, at: Date): boolean {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = get('weekday').slice(0, 3).toLowerCase() as (typeof WEEKDAYS)[number];
  const hhmm = `${get('hour')}:${get('minute')}`;
  const periods = (hours as Record<string, Array<{ open: string; close: string }>>)[day] ?? [];
  return periods.some((p) => hhmm >= p.open && hhmm < p.close);
}
