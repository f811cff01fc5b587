import type { CallbackTaskDto, HoursStatusDto, RuleDto, RuleFiringDto, RuleInput } from '@leaddesk/shared';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../../api.js';
import type { AppState } from '../../main.js';
import { Badge, Button, Card, ErrorNote } from '../../ui.js';
import { RuleForm } from './rule-form.js';
import { describeAction, describeTrigger, MODE_LABEL } from './rule-labels.js';

/**
 * Settings → Automation → Rules: the tenant's rules with their on/off
 * switch, a form to build one, the firing log (when, which lead, what was
 * done, in which hours mode), and the business-hours mode now with the open
 * call-back tasks.
 */
export function RulesSection({ state }: { state: AppState }) {
  const canEdit = state.allowed('client:update');
  const canCallBack = state.allowed('leads:update');
  const [rules, setRules] = useState<RuleDto[]>([]);
  const [firings, setFirings] = useState<RuleFiringDto[]>([]);
  const [hours, setHours] = useState<HoursStatusDto | null>(null);
  const [tasks, setTasks] = useState<CallbackTaskDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    try {
      const [r, f, h, c] = await Promise.all([
        api.automationRules(),
        api.automationFirings(),
        api.automationHours(),
        api.callbackTasks(),
      ]);
      setRules(r.data);
      setFirings(f.data);
      setHours(h);
      setTasks(c.data);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'could not load the rules');
    }
  }, []);

  useEffect(() => {
    void load();
    // The firing log follows rules as they fire.
    const timer = setInterval(
      () =>
        void api.automationFirings().then(
          (f) => setFirings(f.data),
          () => undefined,
        ),
      3000,
    );
    return () => clearInterval(timer);
  }, [load]);

  const toggle = async (rule: RuleDto) => {
    try {
      const updated = await api.updateAutomationRule(rule.id, { enabled: !rule.enabled });
      setRules((list) => list.map((r) => (r.id === rule.id ? updated : r)));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'could not change the rule');
    }
  };
  const remove = async (rule: RuleDto) => {
    if (!confirm(`Delete the rule “${rule.name}”?`)) return;
    await api.deleteAutomationRule(rule.id).catch(() => undefined);
    setRules((list) => list.filter((r) => r.id !== rule.id));
  };
  /** Done: the task leaves the open list (the server keeps who and when). */
  const complete = async (task: CallbackTaskDto) => {
    try {
      await api.completeCallbackTask(task.id);
      setTasks((list) => list.filter((x) => x.id !== task.id));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'could not mark the call-back done');
    }
  };
  const create = async (input: RuleInput) => {
    const rule = await api.createAutomationRule(input);
    setRules((list) => [...list, rule]);
    setCreating(false);
  };

  return (
    <div class="space-y-4" data-testid="rules-section">
      <ErrorNote error={error} />
      <Card title="Business hours">
        {hours && (
          <p class="text-sm text-slate-700" data-testid="hours-mode">
            Now:{' '}
            <Badge tone={hours.open ? 'bg-emerald-100 text-emerald-800' : 'bg-amber-100 text-amber-800'}>
              {MODE_LABEL[hours.mode]}
            </Badge>
            {hours.nextOpenAt && !hours.open && (
              <span class="ml-2 text-slate-500">
                opens{' '}
                {new Date(hours.nextOpenAt).toLocaleString(undefined, {
                  timeZone: hours.timezone,
                  weekday: 'short',
                  hour: '2-digit',
                  minute: '2-digit',
                })}{' '}
                ({hours.timezone})
              </span>
            )}
          </p>
        )}
        <h3 class="mt-3 text-xs font-semibold uppercase text-slate-500">Call-back tasks</h3>
        {tasks.length === 0 ? (
          <p class="text-sm text-slate-500">No call-backs promised.</p>
        ) : (
          <ul class="mt-1 space-y-1 text-sm" data-testid="callback-tasks">
            {tasks.map((task) => (
              <li key={task.id} class="flex items-center gap-1" data-testid="callback-task" data-task-id={task.id}>
                {new Date(task.dueAt).toLocaleString()} · <Badge>{MODE_LABEL[task.mode]}</Badge>{' '}
                <a class="text-indigo-600 hover:underline" href={`/dashboard/inbox/${task.conversationId}`}>
                  conversation
                </a>
                {canCallBack && (
                  <Button variant="ghost" onClick={() => void complete(task)} aria-label="Mark call-back done">
                    Done
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>

      <Card
        title="Rules"
        actions={
          canEdit &&
          !creating && (
            <Button variant="primary" onClick={() => setCreating(true)} data-testid="new-rule">
              New rule
            </Button>
          )
        }
      >
        {creating && <RuleForm onSave={create} onCancel={() => setCreating(false)} />}
        <ul class="divide-y divide-slate-100" data-testid="rules">
          {rules.map((rule) => (
            <li
              key={rule.id}
              class="flex flex-wrap items-center gap-3 py-2"
              data-testid="rule"
              data-rule-name={rule.name}
            >
              <label class="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={rule.enabled}
                  disabled={!canEdit}
                  onChange={() => void toggle(rule)}
                  aria-label={`${rule.name} on`}
                />
                <span class="font-medium text-slate-800">{rule.name}</span>
              </label>
              {rule.source === 'template' && <Badge>template</Badge>}
              <span class="text-xs text-slate-500">
                When {describeTrigger(rule.trigger)} → {rule.actions.map(describeAction).join(', ')}
              </span>
              {canEdit && (
                <Button
                  variant="ghost"
                  class="ml-auto"
                  onClick={() => void remove(rule)}
                  aria-label={`Delete ${rule.name}`}
                >
                  Delete
                </Button>
              )}
            </li>
          ))}
        </ul>
      </Card>

      <Card title="Firing log" actions={<Button onClick={() => void load()}>Refresh</Button>}>
        {firings.length === 0 ? (
          <p class="text-sm text-slate-500">No rule has fired yet.</p>
        ) : (
          <table class="w-full text-left text-sm" data-testid="firing-log">
            <thead class="text-xs text-slate-500">
              <tr>
                <th class="py-1">When</th>
                <th>Rule</th>
                <th>Lead</th>
                <th>Mode</th>
                <th>What was done</th>
              </tr>
            </thead>
            <tbody>
              {firings.map((f) => (
                <tr key={f.id} class="border-t border-slate-100 align-top" data-testid="firing">
                  <td class="py-1 pr-2 whitespace-nowrap">{new Date(f.firedAt).toLocaleString()}</td>
                  <td class="pr-2">{f.ruleName}</td>
                  <td class="pr-2">
                    {f.conversationId ? (
                      <a class="text-indigo-600 hover:underline" href={`/dashboard/inbox/${f.conversationId}`}>
                        {f.leadId ? `lead ${f.leadId.slice(0, 8)}` : 'conversation'}
                      </a>
                    ) : (
                      (f.leadId?.slice(0, 8) ?? '—')
                    )}
                  </td>
                  <td class="pr-2">
                    <Badge>{MODE_LABEL[f.hoursMode]}</Badge>
                  </td>
                  <td>
                    {f.actions.length === 0
                      ? 'running…'
                      : f.actions
                          .map(
                            (a) =>
                              `${a.type.replace('_', ' ')}: ${a.outcome === 'done' ? a.detail : `${a.outcome} (${a.detail})`}`,
                          )
                          .join('; ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
