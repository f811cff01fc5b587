import {
  type MonthlyReportSettings,
  monthlyReportSettingsInputSchema,
  monthlyReportSettingsSchema,
} from '@leaddesk/shared';
import { Router } from 'express';
import { z } from 'zod';
import { Client } from '../../db/entities/index.js';
import type { Sql } from '../../db/sql.js';
import { updateLocked } from '../../db/update-locked.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient, requireEm } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { audited, requirePermission } from '../../http/authenticate.js';
import type { OpenApiRegistry } from '../../http/openapi.js';

const monthlyEmailViewSchema = z.object({
  settings: monthlyReportSettingsSchema,
  /** The last months sent (newest first), with how many recipients got each. */
  sent: z.array(
    z.object({ month: z.string(), status: z.string(), sentAt: z.string().nullable(), recipients: z.number() }),
  ),
});

/**
 * `GET /reports/monthly-email` and `PUT /reports/monthly-email`: who receives
 * the monthly report email and from which local hour on the 1st. The PUT
 * checks that every recipient is active staff of this tenant (400 otherwise,
 * nothing saved) and stores `config.monthlyReport`.
 */
export function monthlyEmailRoutes(openapi: OpenApiRegistry, sql: Sql): Router {
  const router = Router();
  const view = async (clientId: string, settings: MonthlyReportSettings) => {
    const sent = await sql.query<Array<{ period: string; status: string; sent_at: Date | null; recipients: number }>>(
      `select s.period, s.status, s.sent_at,
         (select count(*)::int from digest_deliveries d where d.client_id = s.client_id and d.period = s.period
            and d.status = 'sent') as recipients
       from digest_sends s where s.client_id = ? and s.period like 'monthly:%' order by s.period desc limit 12`,
      [clientId],
    );
    return {
      settings,
      sent: sent.map((s) => ({
        month: s.period.slice('monthly:'.length),
        status: s.status,
        sentAt: s.sent_at ? new Date(s.sent_at).toISOString() : null,
        recipients: s.recipients,
      })),
    };
  };
  openapi.add({
    method: 'get',
    path: '/reports/monthly-email',
    summary: 'The monthly report email: recipients, send hour and the months sent',
    tag: 'analytics',
    response: monthlyEmailViewSchema,
  });
  router.get(
    '/reports/monthly-email',
    requirePermission('analytics:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      res.json(await view(client.id, monthlyReportSettingsSchema.parse(client.config.monthlyReport ?? {})));
    }),
  );
  openapi.add({
    method: 'put',
    path: '/reports/monthly-email',
    summary: 'Set who receives the monthly report email (staff ids of this business) and the local send hour',
    tag: 'analytics',
    body: monthlyReportSettingsInputSchema,
    response: monthlyEmailViewSchema,
  });
  router.put(
    '/reports/monthly-email',
    requirePermission('client:update'),
    audited('reports.monthly_email_updated'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const settings = parseInput(monthlyReportSettingsInputSchema, req.body, 'body');
      const ids = [...new Set(settings.recipients)];
      const found = ids.length
        ? await sql.query<Array<{ id: string }>>(
            'select id from users where client_id = ? and disabled_at is null and id = any(?)',
            [clientId, ids],
          )
        : [];
      const known = new Set(found.map((r) => r.id));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length) {
        throw new AppError('validation_failed', 'invalid body: recipients must be active staff of this business', [
          { path: 'recipients', message: `not staff here: ${unknown.join(', ')}` },
        ]);
      }
      const next = { recipients: ids, sendHour: settings.sendHour };
      const updated = await updateLocked(requireEm(req), Client, { id: clientId }, (client) => {
        client.config = { ...client.config, monthlyReport: next };
      });
      if (!updated) throw AppError.notFound('client');
      res.json(await view(clientId, next));
    }),
  );
  return router;
}
