import type { ClientConfig } from '@leaddesk/shared';
import type { ComponentChildren } from 'preact';
import { Button, cx, inputClass } from '../../ui.js';

type BusinessHours = ClientConfig['businessHours'];

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES: Record<(typeof DAYS)[number], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** One step of the wizard: its title, what it is for, and the buttons that move on. */
export function Step(props: {
  title: string;
  intro: string;
  children: ComponentChildren;
  busy?: boolean;
  next: string;
  onNext: () => void;
  onSkip?: () => void;
}) {
  return (
    <section aria-label={props.title} class="space-y-4">
      <header>
        <h2 class="text-lg font-semibold">{props.title}</h2>
        <p class="text-sm text-slate-500">{props.intro}</p>
      </header>
      {props.children}
      <div class="flex gap-2">
        <Button variant="primary" disabled={props.busy} onClick={props.onNext}>
          {props.next}
        </Button>
        {props.onSkip && <Button onClick={props.onSkip}>Skip</Button>}
      </div>
    </section>
  );
}

/** One opening period per weekday, or closed: what most small businesses have (Settings edits several). */
export function WeekHours({ hours, onChange }: { hours: BusinessHours; onChange: (h: BusinessHours) => void }) {
  return (
    <table class="text-sm">
      <tbody>
        {DAYS.map((day) => {
          const period = hours[day]?.[0];
          return (
            <tr key={day}>
              <th class="py-1 pr-4 text-left font-medium">{DAY_NAMES[day]}</th>
              <td class="pr-2">
                <label class="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={!period}
                    onChange={(e) =>
                      onChange({
                        ...hours,
                        [day]: e.currentTarget.checked ? [] : [{ open: '09:00', close: '18:00' }],
                      })
                    }
                  />
                  Closed
                </label>
              </td>
              {period && (
                <td class="flex gap-1">
                  <input
                    class={cx(inputClass, 'w-28')}
                    type="time"
                    aria-label={`${DAY_NAMES[day]} opens`}
                    value={period.open}
                    onInput={(e) => onChange({ ...hours, [day]: [{ ...period, open: e.currentTarget.value }] })}
                  />
                  <input
                    class={cx(inputClass, 'w-28')}
                    type="time"
                    aria-label={`${DAY_NAMES[day]} closes`}
                    value={period.close}
                    onInput={(e) => onChange({ ...hours, [day]: [{ ...period, close: e.currentTarget.value }] })}
                  />
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Rows of two text fields (a service and its price, a question and its answer), with one empty row to add. */
export function PairRows(props: {
  rows: Array<[string, string]>;
  labels: [string, string];
  onChange: (rows: Array<[string, string]>) => void;
  wide?: boolean;
}) {
  const rows = [...props.rows, ['', ''] as [string, string]];
  return (
    <div class="space-y-2">
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their position
        <div key={i} class="flex gap-2">
          <input
            class={cx(inputClass, 'flex-1')}
            aria-label={`${props.labels[0]} ${i + 1}`}
            placeholder={props.labels[0]}
            value={row[0]}
            onInput={(e) => props.onChange(setCell(rows, i, 0, e.currentTarget.value))}
          />
          <input
            class={cx(inputClass, props.wide ? 'flex-[2]' : 'w-32')}
            aria-label={`${props.labels[1]} ${i + 1}`}
            placeholder={props.labels[1]}
            value={row[1]}
            onInput={(e) => props.onChange(setCell(rows, i, 1, e.currentTarget.value))}
          />
        </div>
      ))}
    </div>
  );
}

function setCell(rows: Array<[string, string]>, i: number, col: 0 | 1, value: string): Array<[string, string]> {
  const next = rows.map((r, j) => (j === i ? ((col === 0 ? [value, r[1]] : [r[0], value]) as [string, string]) : r));
  // The trailing empty row is the form's, not data.
  return next.filter((r) => r[0].trim() || r[1].trim());
}
