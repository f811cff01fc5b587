import type { BusinessHours, HoursPolicy } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type ClientDto } from '../../api.js';
import { FieldError, type FieldErrors, fieldErrorsOf } from '../../field-error.js';
import type { AppState } from '../../main.js';
import { createMergePatch } from '../../merge-patch.js';
import { Button, Card, ErrorNote, Field, inputClass } from '../../ui.js';
import { DaysOff } from './hours-days-off.js';
import { HoursFlows } from './hours-flows.js';
import { HoursStatus } from './hours-status.js';
import { WeeklyPeriods } from './hours-weekly-periods.js';

/** What this section edits of the client: the time zone, the weekly periods and the hours policy. */
interface HoursForm {
  timezone: string;
  config: { businessHours: BusinessHours; hours?: HoursPolicy };
}

const flow = () => ({ promiseCallback: true, callbackTask: true, message: {} });
/** The server's defaults for a tenant that never saved an hours policy (the dashboard bundles no zod). */
const DEFAULT_POLICY: HoursPolicy = {
  weekendDays: ['sat', 'sun'],
  holidays: [],
  closures: [],
  afterHours: flow(),
  weekend: flow(),
  holiday: flow(),
};

const formOf = (c: ClientDto): HoursForm => ({
  timezone: c.timezone,
  config: { businessHours: c.config.businessHours, hours: c.config.hours },
});

/**
 * Settings → Automation → Business hours: the mode now and the call-back
 * tasks, and the form: the weekly periods (several a day),
 * holidays and closures, the weekend and other closed-time flows, and the time
 * zone. Saved as a merge patch of `PATCH /client` holding only what changed;
 * the server's field errors are shown next to the field they name.
 */
export function HoursSection({ state }: { state: AppState }) {
  const editable = state.allowed('client:update');
  const [loaded, setLoaded] = useState<HoursForm | null>(null);
  const [form, setForm] = useState<HoursForm | null>(null);
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    api
      .client()
      .then((c) => {
        setLoaded(formOf(c));
        setForm(formOf(c));
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'could not load the hours'));
  }, []);

  if (!form || !loaded) return error ? <ErrorNote error={error} /> : null;
  // Until the tenant saves a policy none is stored (and no call-back is promised); the defaults are shown.
  const policy: HoursPolicy = { ...DEFAULT_POLICY, ...form.config.hours };
  const update = (next: HoursForm) => {
    setSaved(false);
    setForm(next);
  };
  const setWeekly = (businessHours: BusinessHours) => update({ ...form, config: { ...form.config, businessHours } });
  const setPolicy = (change: Partial<HoursPolicy>) =>
    update({ ...form, config: { ...form.config, hours: { ...policy, ...change } } });

  const save = async () => {
    setError(null);
    setErrors([]);
    const patch = createMergePatch(loaded, form);
    if (!patch) {
      setSaved(true);
      return;
    }
    try {
      const client = await api.updateClient(patch as Parameters<typeof api.updateClient>[0]);
      setLoaded(formOf(client));
      setForm(formOf(client));
      setSaved(true);
      setVersion((v) => v + 1);
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setError(e instanceof ApiError ? e.message : 'could not save the hours');
    }
  };

  return (
    <div data-testid="business-hours-form">
      <Card title="Business hours">
        <div class="space-y-4">
          <HoursStatus version={version} canCallBack={state.allowed('leads:update')} />
          <div class="max-w-xs">
            <Field label="Time zone" hint="IANA name, e.g. Europe/Madrid; every time and date here is local to it.">
              <input
                name="timezone"
                class={inputClass}
                value={form.timezone}
                disabled={!editable}
                onInput={(e) => update({ ...form, timezone: e.currentTarget.value })}
              />
            </Field>
            <FieldError errors={errors} path="timezone" />
          </div>
          <section>
            <h4 class="mb-2 text-xs font-semibold text-slate-500 uppercase">Weekly periods</h4>
            <WeeklyPeriods
              hours={form.config.businessHours}
              onChange={setWeekly}
              errors={errors}
              disabled={!editable}
            />
          </section>
          <DaysOff policy={policy} onChange={setPolicy} errors={errors} disabled={!editable} />
          <HoursFlows policy={policy} onChange={setPolicy} errors={errors} disabled={!editable} />
          <ErrorNote error={error} />
          {editable && (
            <div class="flex items-center gap-3">
              <Button variant="primary" data-testid="save-hours" onClick={save}>
                Save hours
              </Button>
              {saved && (
                <span class="text-sm text-emerald-700" data-testid="hours-saved">
                  Saved
                </span>
              )}
            </div>
          )}
        </div>
      </Card>
    </div>
  );
}
