import type { HoursMode, RuleAction, RuleInput, RuleTrigger, RuleTriggerKind } from '@leaddesk/shared';
import { useState } from 'preact/hooks';
import { ApiError } from '../../api.js';
import { Button, ErrorNote, Field, inputClass } from '../../ui.js';
import { FORM_LISTS, MODE_LABEL } from './rule-labels.js';

/** Builds one rule: a trigger with its setting, optional conditions, one or more actions. */
type ActionType = RuleAction['type'];

interface ActionDraft {
  type: ActionType;
  via: string[];
  to: 'managers' | 'all_staff' | 'assignee';
  onCallNumber: string;
  priority: string;
  strategy: 'round_robin' | 'user';
  userId: string;
  text: string;
  status: string;
  tag: string;
}

const newAction = (): ActionDraft => ({
  type: 'notify_staff',
  via: ['desktop'],
  to: 'managers',
  onCallNumber: '',
  priority: 'high',
  strategy: 'round_robin',
  userId: '',
  text: '',
  status: 'handed_off',
  tag: '',
});

const ACTIONS: Array<[ActionType, string]> = [
  ['notify_staff', 'Notify staff'],
  ['escalate', 'Escalate'],
  ['assign', 'Assign'],
  ['send_message', 'Send a message to the lead'],
  ['start_sequence', 'Start the follow-up sequence'],
  ['stop_sequence', 'Stop the follow-up sequence'],
  ['set_status', 'Set the status'],
  ['add_tag', 'Add a tag'],
];

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function toggle<T>(values: T[], value: T): T[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}

function Checks<T extends string>(props: {
  name: string;
  options: readonly T[];
  values: T[];
  onChange: (v: T[]) => void;
  label?: (v: T) => string;
}) {
  return (
    <div class="flex flex-wrap gap-3 text-sm">
      {props.options.map((o) => (
        <label key={o} class="flex items-center gap-1">
          <input
            type="checkbox"
            name={props.name}
            value={o}
            checked={props.values.includes(o)}
            onChange={() => props.onChange(toggle(props.values, o))}
          />
          {props.label ? props.label(o) : o.replace('_', ' ')}
        </label>
      ))}
    </div>
  );
}

export function RuleForm({ onSave, onCancel }: { onSave: (input: RuleInput) => Promise<void>; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<RuleTriggerKind>('keyword');
  const [keywords, setKeywords] = useState('');
  const [intents, setIntents] = useState<string[]>(['booking']);
  const [levels, setLevels] = useState<string[]>(['high']);
  const [above, setAbove] = useState(80);
  const [minutes, setMinutes] = useState(5);
  const [afterHoursMinutes, setAfterHoursMinutes] = useState('');
  const [businessMinutes, setBusinessMinutes] = useState(false);
  const [hours, setHours] = useState(24);
  const [statuses, setStatuses] = useState<string[]>([]);
  const [changes, setChanges] = useState<string[]>(['created', 'cancelled']);
  const [channels, setChannels] = useState<string[]>(['whatsapp']);
  const [whenModes, setWhenModes] = useState<HoursMode[]>([]);
  const [whenChannels, setWhenChannels] = useState<string[]>([]);
  const [languages, setLanguages] = useState('');
  const [actions, setActions] = useState<ActionDraft[]>([newAction()]);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const setAction = (i: number, patch: Partial<ActionDraft>) =>
    setActions((all) => all.map((a, j) => (j === i ? { ...a, ...patch } : a)));

  const trigger = (): RuleTrigger => {
    switch (kind) {
      case 'keyword':
        return { kind, keywords: list(keywords) };
      case 'intent_detected':
        return { kind, intents: intents as never };
      case 'urgency_detected':
        return { kind, levels: levels as never };
      case 'score_crossed':
        return { kind, above };
      case 'no_staff_reply':
        return {
          kind,
          minutes,
          ...(afterHoursMinutes ? { minutesAfterHours: Number(afterHoursMinutes) } : {}),
          businessMinutes,
          after: ['escalation', 'takeover'],
        };
      case 'lead_silent':
        return { kind, hours };
      case 'status_changed':
        return { kind, to: statuses as never };
      case 'booking_changed':
        return { kind, changes: changes as never };
      case 'message_after_hours':
        return { kind };
      case 'channel_message':
        return { kind, channels: channels as never };
    }
  };

  const action = (a: ActionDraft): RuleAction => {
    switch (a.type) {
      case 'notify_staff':
        return {
          type: a.type,
          via: a.via as never,
          to: a.to,
          ...(a.onCallNumber ? { onCallNumber: a.onCallNumber } : {}),
        };
      case 'escalate':
        return { type: a.type, priority: a.priority as never };
      case 'assign':
        return { type: a.type, strategy: a.strategy, ...(a.strategy === 'user' ? { userId: a.userId } : {}) };
      case 'send_message':
        return { type: a.type, text: a.text };
      case 'start_sequence':
        return { type: a.type };
      case 'stop_sequence':
        return { type: a.type, reason: 'rule' };
      case 'set_status':
        return { type: a.type, status: a.status as never };
      case 'add_tag':
        return { type: a.type, tag: a.tag };
    }
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await onSave({
        name,
        trigger: trigger(),
        conditions: {
          ...(whenModes.length ? { hours: whenModes } : {}),
          ...(whenChannels.length ? { channels: whenChannels as never } : {}),
          ...(list(languages).length ? { languages: list(languages) } : {}),
        },
        actions: actions.map(action),
      });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'could not save the rule');
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      class="mb-4 space-y-3 rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200"
      onSubmit={save}
      data-testid="rule-form"
    >
      <Field label="Name">
        <input
          class={inputClass}
          name="rule-name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          required
        />
      </Field>
      <Field label="When">
        <select
          class={inputClass}
          name="trigger-kind"
          value={kind}
          onChange={(e) => setKind(e.currentTarget.value as RuleTriggerKind)}
        >
          {FORM_LISTS.triggers.map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      {kind === 'keyword' && (
        <Field label="Words" hint="Comma-separated; matched without case or accents, at the start of a word.">
          <input
            class={inputClass}
            name="keywords"
            value={keywords}
            onInput={(e) => setKeywords(e.currentTarget.value)}
          />
        </Field>
      )}
      {kind === 'intent_detected' && (
        <Checks name="intents" options={FORM_LISTS.intents} values={intents as never} onChange={setIntents} />
      )}
      {kind === 'urgency_detected' && (
        <Checks name="levels" options={['high', 'medium', 'low']} values={levels} onChange={setLevels} />
      )}
      {kind === 'score_crossed' && (
        <Field label="Score at least">
          <input
            class={inputClass}
            type="number"
            min={0}
            max={100}
            name="above"
            value={above}
            onInput={(e) => setAbove(Number(e.currentTarget.value))}
          />
        </Field>
      )}
      {kind === 'no_staff_reply' && (
        <div class="grid gap-3 sm:grid-cols-3">
          <Field label="Minutes (in hours)">
            <input
              class={inputClass}
              type="number"
              min={1}
              name="minutes"
              value={minutes}
              onInput={(e) => setMinutes(Number(e.currentTarget.value))}
            />
          </Field>
          <Field label="Minutes after hours" hint="Empty: the same.">
            <input
              class={inputClass}
              type="number"
              min={1}
              name="minutes-after-hours"
              value={afterHoursMinutes}
              onInput={(e) => setAfterHoursMinutes(e.currentTarget.value)}
            />
          </Field>
          <label class="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={businessMinutes} onChange={() => setBusinessMinutes(!businessMinutes)} />
            Count only business hours
          </label>
        </div>
      )}
      {kind === 'lead_silent' && (
        <Field label="Hours">
          <input
            class={inputClass}
            type="number"
            min={0.05}
            step="any"
            name="hours"
            value={hours}
            onInput={(e) => setHours(Number(e.currentTarget.value))}
          />
        </Field>
      )}
      {kind === 'status_changed' && (
        <Checks name="statuses" options={FORM_LISTS.statuses} values={statuses as never} onChange={setStatuses} />
      )}
      {kind === 'booking_changed' && (
        <Checks
          name="changes"
          options={['created', 'rescheduled', 'cancelled']}
          values={changes}
          onChange={setChanges}
        />
      )}
      {kind === 'channel_message' && (
        <Checks name="channels" options={FORM_LISTS.channels} values={channels as never} onChange={setChannels} />
      )}

      <fieldset class="space-y-2">
        <legend class="text-xs font-medium text-slate-600">Only if (optional)</legend>
        <Checks
          name="when-hours"
          options={FORM_LISTS.modes}
          values={whenModes}
          onChange={setWhenModes}
          label={(m) => MODE_LABEL[m]}
        />
        <Checks
          name="when-channels"
          options={FORM_LISTS.channels}
          values={whenChannels as never}
          onChange={setWhenChannels}
        />
        <Field label="Languages" hint="Comma-separated codes (en, es, fr…)">
          <input
            class={inputClass}
            name="languages"
            value={languages}
            onInput={(e) => setLanguages(e.currentTarget.value)}
          />
        </Field>
      </fieldset>

      <fieldset class="space-y-2">
        <legend class="text-xs font-medium text-slate-600">Then</legend>
        {actions.map((a, i) => (
          <div key={i} class="flex flex-wrap items-end gap-2" data-testid="rule-action">
            <select
              class={`${inputClass} w-56`}
              name="action-type"
              value={a.type}
              onChange={(e) => setAction(i, { type: e.currentTarget.value as ActionType })}
            >
              {ACTIONS.map(([t, label]) => (
                <option key={t} value={t}>
                  {label}
                </option>
              ))}
            </select>
            {a.type === 'notify_staff' && (
              <>
                <Checks
                  name={`via-${i}`}
                  options={['desktop', 'email', 'sms', 'whatsapp']}
                  values={a.via}
                  onChange={(via) => setAction(i, { via })}
                />
                <select
                  class={`${inputClass} w-40`}
                  value={a.to}
                  onChange={(e) => setAction(i, { to: e.currentTarget.value as ActionDraft['to'] })}
                >
                  <option value="managers">Managers</option>
                  <option value="all_staff">All staff</option>
                  <option value="assignee">The assignee</option>
                </select>
                {(a.via.includes('sms') || a.via.includes('whatsapp')) && (
                  <input
                    class={`${inputClass} w-44`}
                    placeholder="+15551234567"
                    value={a.onCallNumber}
                    onInput={(e) => setAction(i, { onCallNumber: e.currentTarget.value })}
                  />
                )}
              </>
            )}
            {a.type === 'escalate' && (
              <select
                class={`${inputClass} w-32`}
                value={a.priority}
                onChange={(e) => setAction(i, { priority: e.currentTarget.value })}
              >
                {FORM_LISTS.priorities.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            )}
            {a.type === 'assign' && (
              <>
                <select
                  class={`${inputClass} w-44`}
                  value={a.strategy}
                  onChange={(e) => setAction(i, { strategy: e.currentTarget.value as ActionDraft['strategy'] })}
                >
                  <option value="round_robin">Round robin (online)</option>
                  <option value="user">A person (user id)</option>
                </select>
                {a.strategy === 'user' && (
                  <input
                    class={`${inputClass} w-72`}
                    placeholder="user id"
                    value={a.userId}
                    onInput={(e) => setAction(i, { userId: e.currentTarget.value })}
                  />
                )}
              </>
            )}
            {a.type === 'send_message' && (
              <input
                class={`${inputClass} w-96`}
                name="message-text"
                placeholder="Text"
                value={a.text}
                onInput={(e) => setAction(i, { text: e.currentTarget.value })}
              />
            )}
            {a.type === 'set_status' && (
              <select
                class={`${inputClass} w-44`}
                value={a.status}
                onChange={(e) => setAction(i, { status: e.currentTarget.value })}
              >
                {FORM_LISTS.statuses.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
            {a.type === 'add_tag' && (
              <input
                class={`${inputClass} w-44`}
                name="tag"
                placeholder="tag"
                value={a.tag}
                onInput={(e) => setAction(i, { tag: e.currentTarget.value })}
              />
            )}
            {actions.length > 1 && (
              <Button variant="ghost" onClick={() => setActions((all) => all.filter((_, j) => j !== i))}>
                Remove
              </Button>
            )}
          </div>
        ))}
        <Button onClick={() => setActions((all) => [...all, newAction()])}>Add action</Button>
      </fieldset>
      <ErrorNote error={error} />
      <div class="flex gap-2">
        <Button variant="primary" type="submit" disabled={saving} data-testid="save-rule">
          Save rule
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
