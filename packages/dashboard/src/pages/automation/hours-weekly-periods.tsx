import { type BusinessHours, WEEKDAYS } from '@leaddesk/shared';
import { FieldError, type FieldErrors } from '../../field-error.js';
import { type Period, TimeRange } from './time-range.js';

/** The weekly opening periods, several a day (09:00–13:00 and 14:00–18:00); none means closed. */
export function WeeklyPeriods(props: {
  hours: BusinessHours;
  onChange: (next: BusinessHours) => void;
  errors: FieldErrors;
  disabled?: boolean;
}) {
  const { hours, errors, disabled } = props;
  return (
    <div class="space-y-2" data-testid="weekly-periods">
      {WEEKDAYS.map((day) => {
        const periods: Period[] = hours[day] ?? [];
        const setPeriods = (next: Period[]) => props.onChange({ ...hours, [day]: next });
        const setAt = (i: number, change: Partial<Period>) =>
          setPeriods(periods.map((p, j) => (j === i ? { ...p, ...change } : p)));
        return (
          <div key={day} class="flex flex-wrap items-start gap-2 text-sm" data-day={day}>
            <span class="w-10 pt-1.5 font-medium capitalize">{day}</span>
            {periods.length === 0 && <span class="pt-1.5 text-slate-400">Closed</span>}
            {periods.map((p, i) => (
              <span key={i} class="flex flex-col" data-period={i}>
                <TimeRange
                  period={p}
                  names={{ open: 'open', close: 'close' }}
                  labels={{
                    open: `${day} period ${i + 1} opens`,
                    close: `${day} period ${i + 1} closes`,
                    remove: 'Remove period',
                  }}
                  disabled={disabled}
                  onChange={(change) => setAt(i, change)}
                  onRemove={() => setPeriods(periods.filter((_, j) => j !== i))}
                />
                <FieldError errors={errors} path={`config.businessHours.${day}.${i}`} />
              </span>
            ))}
            {!disabled && (
              <button
                type="button"
                class="pt-1.5 text-xs text-indigo-600"
                data-testid="add-period"
                // A second period usually follows a lunch break: start it an hour after the last one closes.
                onClick={() => setPeriods([...periods, nextPeriod(periods.at(-1))])}
              >
                + period
              </button>
            )}
          </div>
        );
      })}
    </div>
  );
}

function nextPeriod(last: Period | undefined): Period {
  if (!last) return { open: '09:00', close: '17:00' };
  const [h = 0, m = 0] = last.close.split(':').map(Number);
  const open = Math.min(h + 1, 22);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { open: `${pad(open)}:${pad(m)}`, close: `${pad(Math.min(open + 4, 23))}:${pad(m)}` };
}
