import { cx, inputClass } from '../../ui.js';

export type Period = { open: string; close: string };

/**
 * One opening period as two time inputs and a remove button: the weekly
 * periods and a holiday's special hours edit the same shape.
 */
export function TimeRange(props: {
  period: Period;
  /** Input names (`open`/`close`, or `special-open`/`special-close`) and the accessible labels. */
  names: { open: string; close: string };
  labels: { open: string; close: string; remove: string };
  onChange: (change: Partial<Period>) => void;
  onRemove: () => void;
  disabled?: boolean;
}) {
  const { period, names, labels, disabled } = props;
  return (
    <span class="flex items-center gap-1">
      <input
        type="time"
        name={names.open}
        aria-label={labels.open}
        class={cx(inputClass, 'w-28')}
        value={period.open}
        disabled={disabled}
        onChange={(e) => props.onChange({ open: e.currentTarget.value })}
      />
      –
      <input
        type="time"
        name={names.close}
        aria-label={labels.close}
        class={cx(inputClass, 'w-28')}
        value={period.close}
        disabled={disabled}
        onChange={(e) => props.onChange({ close: e.currentTarget.value })}
      />
      <button
        type="button"
        class="px-1 text-slate-400"
        aria-label={labels.remove}
        disabled={disabled}
        onClick={props.onRemove}
      >
        ×
      </button>
    </span>
  );
}
