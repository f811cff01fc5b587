import { CONTENT_LANGUAGES, type ContentLanguage, type HoursFlow, type HoursPolicy, WEEKDAYS } from '@leaddesk/shared';
import { useState } from 'preact/hooks';
import { FieldError, type FieldErrors } from '../../field-error.js';
import { inputClass } from '../../ui.js';

type FlowKey = 'weekend' | 'afterHours' | 'holiday';
const FLOW_LABEL: Record<FlowKey, string> = {
  weekend: 'Weekend',
  afterHours: 'After hours',
  holiday: 'Holidays and closures',
};

/**
 * What happens to a message that arrives while closed: which closed days are
 * the weekend, and per mode whether the reply promises a call back, whether a
 * call-back task is created, and the promise in the tenant's own words.
 */
export function HoursFlows(props: {
  policy: HoursPolicy;
  onChange: (next: Partial<HoursPolicy>) => void;
  errors: FieldErrors;
  disabled?: boolean;
}) {
  const { policy, errors, disabled } = props;
  return (
    <div class="space-y-3">
      <fieldset data-testid="weekend-days">
        <legend class="mb-1 text-xs font-medium text-slate-600">Weekend days</legend>
        <div class="flex flex-wrap gap-3">
          {WEEKDAYS.map((d) => (
            <label key={d} class="flex items-center gap-1.5 text-sm capitalize">
              <input
                type="checkbox"
                name={`weekend-${d}`}
                checked={policy.weekendDays.includes(d)}
                disabled={disabled}
                onChange={(e) => {
                  const others = policy.weekendDays.filter((x) => x !== d);
                  // Kept in week order so an unchanged set never looks changed.
                  const next = e.currentTarget.checked ? WEEKDAYS.filter((x) => x === d || others.includes(x)) : others;
                  props.onChange({ weekendDays: next });
                }}
              />
              {d}
            </label>
          ))}
        </div>
        <FieldError errors={errors} path="config.hours.weekendDays" />
      </fieldset>
      <div class="grid gap-3 md:grid-cols-3">
        {(['weekend', 'afterHours', 'holiday'] as const).map((key) => (
          <FlowEditor
            key={key}
            name={key}
            flow={policy[key]}
            disabled={disabled}
            errors={errors}
            onChange={(flow) => props.onChange({ [key]: flow })}
          />
        ))}
      </div>
    </div>
  );
}

function FlowEditor(props: {
  name: FlowKey;
  flow: HoursFlow;
  onChange: (next: HoursFlow) => void;
  errors: FieldErrors;
  disabled?: boolean;
}) {
  const { name, flow, disabled } = props;
  const [lang, setLang] = useState<ContentLanguage>('en');
  return (
    <fieldset class="rounded-lg bg-slate-50 p-3 text-sm" data-testid={`flow-${name}`}>
      <legend class="px-1 text-xs font-semibold text-slate-500 uppercase">{FLOW_LABEL[name]}</legend>
      <label class="flex items-center gap-2">
        <input
          type="checkbox"
          name="promise-callback"
          checked={flow.promiseCallback}
          disabled={disabled}
          onChange={(e) => props.onChange({ ...flow, promiseCallback: e.currentTarget.checked })}
        />
        The reply promises a call back at the next opening
      </label>
      <label class="mt-1 flex items-center gap-2">
        <input
          type="checkbox"
          name="callback-task"
          checked={flow.callbackTask}
          disabled={disabled}
          onChange={(e) => props.onChange({ ...flow, callbackTask: e.currentTarget.checked })}
        />
        Create a call-back task
      </label>
      <div class="mt-2 grid grid-cols-[4.5rem_1fr] items-start gap-2">
        <select
          class={inputClass}
          aria-label="Language"
          value={lang}
          onChange={(e) => setLang(e.currentTarget.value as ContentLanguage)}
        >
          {CONTENT_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {l.toUpperCase()}
            </option>
          ))}
        </select>
        <div>
          <input
            name="flow-message"
            aria-label={`${FLOW_LABEL[name]} promise (${lang})`}
            class={inputClass}
            value={flow.message[lang] ?? ''}
            disabled={disabled}
            onInput={(e) => {
              const message = { ...flow.message, [lang]: e.currentTarget.value };
              if (!e.currentTarget.value) delete message[lang];
              props.onChange({ ...flow, message });
            }}
          />
          <span class="mt-1 block text-xs text-slate-500">
            {'{day} and {time} are filled in; empty: built-in wording'}
          </span>
        </div>
      </div>
      <FieldError errors={props.errors} path={`config.hours.${name}`} />
    </fieldset>
  );
}
