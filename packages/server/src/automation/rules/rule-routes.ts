import {
  callbackTaskSchema,
  hoursStatusSchema,
  listFiringsQuerySchema,
  ruleFiringSchema,
  ruleInputSchema,
  ruleSchema,
} from '@leaddesk/shared';
import { Router } from 'express';
import { z } from 'zod';
import type { Sql } from '../../db/sql.js';
import { AppError } from '../../errors/app-error.js';
import { parseInput } from '../../errors/validate.js';
import { requireClient } from '../../http/api-key-auth.js';
import { route } from '../../http/async-handler.js';
import { audited, requirePermission } from '../../http/authenticate.js';
import { mergePatch } from '../../http/merge-patch.js';
import type { OpenApiRegistry } from '../../http/openapi.js';
import { parseId } from '../../http/routes/leads.js';
import { completeCallbackTask, listCallbackTasks } from '../business-hours/callback-tasks.js';
import { hoursState, scheduleOf } from '../business-hours/index.js';
import { listFirings } from './firing-log.js';
import { deleteRule, getRule, insertRule, listRules, updateRule } from './rule-store.js';
import type { RulesEngine } from './rules-engine.js';

/**
 * Settings → Automation over REST: the tenant's rules (the industry
 * template's are installed on first read), their firing log, the
 * business-hours mode now and the open call-back tasks. Reading needs
 * `client:read`, changing `client:update`; completing a call-back is lead
 * work (`leads:update`). Every query names the caller's client, so another
 * tenant's rule or task id answers 404.
 */
export function ruleRoutes(
  openapi: OpenApiRegistry,
  deps: { sql: Sql; engine: RulesEngine; clock: () => Date },
): Router {
  const router = Router();
  const { sql, engine } = deps;

  openapi.add({
    method: 'get',
    path: '/automation/rules',
    summary: "The tenant's automation rules",
    tag: 'automation',
    response: z.object({ data: z.array(ruleSchema) }),
  });
  router.get(
    '/automation/rules',
    requirePermission('client:read'),
    route(async (req, res) => {
      const client = requireClient(req);
      await engine.ensureDefaults(client);
      res.json({ data: await listRules(sql, client.id) });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/automation/rules',
    summary: 'Create a rule (trigger, conditions, actions)',
    tag: 'automation',
    body: ruleInputSchema,
    response: ruleSchema,
  });
  router.post(
    '/automation/rules',
    requirePermission('client:update'),
    audited('automation_rule.created'),
    route(async (req, res) => {
      const client = requireClient(req);
      const input = parseInput(ruleInputSchema, req.body, 'body');
      // Installed first, so a tenant's first rule does not come before its template's.
      await engine.ensureDefaults(client);
      res.status(201).json(await insertRule(sql, client.id, input));
    }),
  );

  openapi.add({
    method: 'get',
    path: '/automation/rules/:id',
    summary: 'Get a rule',
    tag: 'automation',
    response: ruleSchema,
  });
  router.get(
    '/automation/rules/:id',
    requirePermission('client:read'),
    route(async (req, res) => {
      const rule = await getRule(sql, requireClient(req).id, parseId(req.params.id));
      if (!rule) throw AppError.notFound('rule');
      res.json(rule);
    }),
  );

  openapi.add({
    method: 'patch',
    path: '/automation/rules/:id',
    summary: 'Change a rule (JSON Merge Patch; arrays such as actions are replaced whole)',
    tag: 'automation',
    body: ruleInputSchema,
    mergePatch: true,
    response: ruleSchema,
  });
  router.patch(
    '/automation/rules/:id',
    requirePermission('client:update'),
    audited('automation_rule.updated'),
    route(async (req, res) => {
      const clientId = requireClient(req).id;
      const id = parseId(req.params.id);
      const updated = await sql.transaction(async (tx) => {
        const current = await getRule(tx, clientId, id, true);
        if (!current) return null;
        const { name, enabled, trigger, conditions, actions } = current;
        const next = mergePatch(ruleInputSchema, { name, enabled, trigger, conditions, actions }, req.body);
        return updateRule(tx, clientId, id, { ...current, ...next });
      });
      if (!updated) throw AppError.notFound('rule');
      res.json(updated);
    }),
  );

  openapi.add({ method: 'delete', path: '/automation/rules/:id', summary: 'Delete a rule', tag: 'automation' });
  router.delete(
    '/automation/rules/:id',
    requirePermission('client:update'),
    audited('automation_rule.deleted'),
    route(async (req, res) => {
      if (!(await deleteRule(sql, requireClient(req).id, parseId(req.params.id)))) throw AppError.notFound('rule');
      res.status(204).end();
    }),
  );

  openapi.add({
    method: 'get',
    path: '/automation/firings',
    summary: 'The firing log: when each rule fired, for which lead, and what was done (newest first)',
    tag: 'automation',
    query: listFiringsQuerySchema,
    response: z.object({ data: z.array(ruleFiringSchema) }),
  });
  router.get(
    '/automation/firings',
    requirePermission('client:read'),
    route(async (req, res) => {
      const q = parseInput(listFiringsQuerySchema, req.query, 'query');
      res.json({ data: await listFirings(sql, requireClient(req).id, q) });
    }),
  );

  openapi.add({
    method: 'get',
    path: '/automation/hours',
    summary: 'The business-hours mode now (in hours, after hours, weekend, holiday) and the next opening',
    tag: 'automation',
    response: hoursStatusSchema,
  });
  router.get('/automation/hours', requirePermission('client:read'), (req, res) => {
    const client = requireClient(req);
    const schedule = scheduleOf(client);
    const state = hoursState(schedule, deps.clock());
    res.json({
      mode: state.mode,
      open: state.open,
      timezone: schedule.timezone,
      nextOpenAt: state.nextOpenAt?.toISOString() ?? null,
    });
  });

  openapi.add({
    method: 'get',
    path: '/automation/callbacks',
    summary: 'Open call-back tasks promised outside business hours, soonest first',
    tag: 'automation',
    response: z.object({ data: z.array(callbackTaskSchema) }),
  });
  router.get(
    '/automation/callbacks',
    requirePermission('client:read'),
    route(async (req, res) => {
      res.json({ data: await listCallbackTasks(sql, requireClient(req).id) });
    }),
  );

  openapi.add({
    method: 'post',
    path: '/automation/callbacks/:id/done',
    summary: 'Mark a call-back task done (idempotent: a done task answers as first completed)',
    tag: 'automation',
    response: callbackTaskSchema,
  });
  router.post(
    '/automation/callbacks/:id/done',
    requirePermission('leads:update'),
    audited('callback_task.done'),
    route(async (req, res) => {
      const principal = req.principal;
      const task = await completeCallbackTask(sql, {
        clientId: requireClient(req).id,
        id: parseId(req.params.id),
        by: { kind: principal?.kind ?? 'api_key', userId: principal?.userId ?? null },
        at: deps.clock(),
      });
      if (!task) throw AppError.notFound('call-back task');
      res.json(task);
    }),
  );

  return router;
}
