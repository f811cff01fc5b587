import type { Closure, Holiday, HoursPolicy } from '@leaddesk/shared';
import { FieldError, type FieldErrors } from '../../field-error.js';
import { Button, cx, inputClass } from '../../ui.js';
import { type Period, TimeRange } from './time-range.js';

const HOLIDAYS = 'config.hours.holidays';
const CLOSURES = 'config.hours.closures';

/**
 * Holidays (one date, closed or with special hours such as 10:00–14:00) and
 * closures (a range of dates), each with an optional label. Dates and times
 * are local to the tenant's time zone.
 */
export function DaysOff(props: {
  policy: HoursPolicy;
  onChange: (next: Pick<HoursPolicy, 'holidays' | 'closures'>) => void;
  errors: FieldErrors;
  disabled?: boolean;
}) {
  const { policy, errors, disabled } = props;
  const { holidays, closures } = policy;
  const setHolidays = (next: Holiday[]) => props.onChange({ holidays: next, closures });
  const setClosures = (next: Closure[]) => props.onChange({ holidays, closures: next });
  const holidayAt = (i: number, change: Partial<Holiday>) =>
    setHolidays(holidays.map((h, j) => (j === i ? { ...h, ...change } : h)));
  const closureAt = (i: number, change: Partial<Closure>) =>
    setClosures(closures.map((c, j) => (j === i ? { ...c, ...change } : c)));

  return (
    <div class="grid gap-4 md:grid-cols-2">
      <section>
        <h4 class="mb-2 text-xs font-semibold text-slate-500 uppercase">Holidays</h4>
        {holidays.length === 0 && <p class="text-sm text-slate-400">No holidays.</p>}
        <ul class="space-y-2">
          {holidays.map((h, i) => (
            <li key={i} class="text-sm" data-testid="holiday" data-date={h.date}>
              <div class="flex items-center gap-2">
                <input
                  type="date"
                  name="holiday-date"
                  aria-label="Holiday date"
                  class={cx(inputClass, 'w-40')}
                  value={h.date}
                  disabled={disabled}
                  onChange={(e) => holidayAt(i, { date: e.currentTarget.value })}
                />
                <input
                  name="holiday-name"
                  aria-label="Holiday label"
                  placeholder="Label (optional)"
                  class={inputClass}
                  value={h.name ?? ''}
                  disabled={disabled}
                  onInput={(e) => holidayAt(i, { name: e.currentTarget.value || undefined })}
                />
                <RemoveButton
                  label="Remove holiday"
                  disabled={disabled}
                  onClick={() => setHolidays(holidays.filter((_, j) => j !== i))}
                />
              </div>
              <SpecialHours
                periods={h.periods}
                onChange={(periods) => holidayAt(i, { periods })}
                errorPath={`${HOLIDAYS}.${i}.periods`}
                errors={errors}
                disabled={disabled}
              />
              <FieldError errors={errors} path={`${HOLIDAYS}.${i}`} />
            </li>
          ))}
        </ul>
        {!disabled && (
          <Button
            class="mt-2"
            data-testid="add-holiday"
            onClick={() => setHolidays([...holidays, { date: '', periods: [] }])}
          >
            Add a holiday
          </Button>
        )}
      </section>

      <section>
        <h4 class="mb-2 text-xs font-semibold text-slate-500 uppercase">Closures</h4>
        {closures.length === 0 && <p class="text-sm text-slate-400">No closures.</p>}
        <ul class="space-y-2">
          {closures.map((c, i) => (
            <li key={i} class="text-sm" data-testid="closure">
              <div class="flex flex-wrap items-center gap-2">
                <input
                  type="date"
                  name="closure-from"
                  aria-label="Closed from"
                  class={cx(inputClass, 'w-40')}
                  value={c.from}
                  disabled={disabled}
                  onChange={(e) => closureAt(i, { from: e.currentTarget.value })}
                />
                to
                <input
                  type="date"
                  name="closure-to"
                  aria-label="Closed until"
                  class={cx(inputClass, 'w-40')}
                  value={c.to}
                  disabled={disabled}
                  onChange={(e) => closureAt(i, { to: e.currentTarget.value })}
                />
                <input
                  name="closure-name"
                  aria-label="Closure label"
                  placeholder="Label (optional)"
                  class={cx(inputClass, 'w-48')}
                  value={c.name ?? ''}
                  disabled={disabled}
                  onInput={(e) => closureAt(i, { name: e.currentTarget.value || undefined })}
                />
                <RemoveButton disabled={disabled} onClick={() => setClosures(closures.filter((_, j) => j !== i))} />
              </div>
              <FieldError errors={errors} path={`${CLOSURES}.${i}`} />
            </li>
          ))}
        </ul>
        {!disabled && (
          <Button
            class="mt-2"
            data-testid="add-closure"
            onClick={() => setClosures([...closures, { from: '', to: '' }])}
          >
            Add a closure
          </Button>
        )}
      </section>
    </div>
  );
}

/**
 * A holiday's special opening hours (Christmas Eve 10:00–14:00): none means
 * closed all day, which is what a new holiday starts as.
 */
function SpecialHours(props: {
  periods: Period[];
  onChange: (next: Period[]) => void;
  errorPath: string;
  errors: FieldErrors;
  disabled?: boolean;
}) {
  const { periods, errors, disabled } = props;
  const setAt = (i: number, change: Partial<Period>) =>
    props.onChange(periods.map((p, j) => (j === i ? { ...p, ...change } : p)));
  return (
    <div class="mt-1 flex flex-wrap items-start gap-2 pl-1 text-xs text-slate-500" data-testid="special-hours">
      {periods.length === 0 && <span class="pt-1">Closed all day</span>}
      {periods.map((p, i) => (
        <span key={i} class="flex flex-col" data-special-period={i}>
          <span class="flex items-center gap-1">
            Open
            <TimeRange
              period={p}
              names={{ open: 'special-open', close: 'special-close' }}
              labels={{
                open: `Special hours ${i + 1} open`,
                close: `Special hours ${i + 1} close`,
                remove: 'Remove special hours',
              }}
              disabled={disabled}
              onChange={(change) => setAt(i, change)}
              onRemove={() => props.onChange(periods.filter((_, j) => j !== i))}
            />
          </span>
          <FieldError errors={errors} path={`${props.errorPath}.${i}`} />
        </span>
      ))}
      {!disabled && (
        <button
          type="button"
          class="pt-1 text-indigo-600"
          data-testid="add-special-hours"
          onClick={() =>
            props.onChange([
              ...periods,
              periods.length === 0 ? { open: '10:00', close: '14:00' } : { open: '16:00', close: '18:00' },
            ])
          }
        >
          + special hours
        </button>
      )}
    </div>
  );
}

function RemoveButton(props: { onClick: () => void; disabled?: boolean; label?: string }) {
  return (
    <button
      type="button"
      class="px-1 text-slate-400"
      aria-label={props.label ?? 'Remove'}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      ×
    </button>
  );
}
