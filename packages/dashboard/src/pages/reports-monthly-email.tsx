import { useEffect, useState } from 'preact/hooks';
import { api, type MonthlyEmailView } from '../api.js';
import { Button, Card, ErrorNote, Field, inputClass } from '../ui.js';

/**
 * Who receives the monthly report email (last month's headline numbers, on
 * the 1st after the send hour, in the business's time zone) and the months
 * sent. Admins only; the server checks every recipient is staff here.
 */
export function MonthlyEmailSettings() {
  const [staff, setStaff] = useState<Array<{ id: string; name: string; email: string }>>([]);
  const [view, setView] = useState<MonthlyEmailView | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [hour, setHour] = useState(8);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    Promise.all([api.users(), api.monthlyEmail()])
      .then(([users, current]) => {
        setStaff(users.data);
        setView(current);
        setChosen(current.settings.recipients);
        setHour(current.settings.sendHour);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  const save = async () => {
    setError(null);
    setSaved(false);
    try {
      setView(await api.setMonthlyEmail({ recipients: chosen, sendHour: hour }));
      setSaved(true);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const toggle = (id: string, on: boolean) => setChosen(on ? [...chosen, id] : chosen.filter((x) => x !== id));
  return (
    <Card title="Monthly report email">
      <div class="space-y-3 text-sm" data-testid="monthly-email">
        <p class="text-slate-600">
          On the 1st of each month, last month's response time, after-hours inquiries and their value, qualified leads
          and lead scoring, by email.
        </p>
        <div class="flex flex-wrap gap-3">
          {staff.map((s) => (
            <label key={s.id} class="flex items-center gap-1.5">
              <input
                type="checkbox"
                name={`monthly-${s.email}`}
                checked={chosen.includes(s.id)}
                onChange={(e) => toggle(s.id, e.currentTarget.checked)}
              />
              {s.name || s.email}
            </label>
          ))}
        </div>
        <Field label="Send from (local hour on the 1st)">
          <input
            type="number"
            min={0}
            max={23}
            name="monthlySendHour"
            class={inputClass}
            value={hour}
            onInput={(e) => setHour(Number(e.currentTarget.value))}
          />
        </Field>
        <div class="flex items-center gap-3">
          <Button variant="primary" onClick={save} data-testid="save-monthly-email">
            Save recipients
          </Button>
          {saved && <span class="text-emerald-600">Saved</span>}
        </div>
        {view && view.sent.length > 0 && (
          <p class="text-xs text-slate-500">
            Sent: {view.sent.map((s) => `${s.month} (${s.status}, ${s.recipients} recipients)`).join(' · ')}
          </p>
        )}
        <ErrorNote error={error} />
      </div>
    </Card>
  );
}
