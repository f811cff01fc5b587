import {
  type AutomationSettings,
  CONTENT_LANGUAGES,
  type ContentLanguage,
  type FollowUpStep,
  type RetentionReport,
  WEEKDAYS,
} from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../../api.js';
import { FieldError, type FieldErrors, fieldErrorsOf } from '../../field-error.js';
import type { AppState } from '../../main.js';
import { createMergePatch } from '../../merge-patch.js';
import { Button, Card, ErrorNote, Field, inputClass } from '../../ui.js';

/**
 * Settings → Automation → Follow-ups (issue 14): the silent-lead sequence
 * (steps, delays, texts per language), SMS quiet hours, review capture, the
 * staff digest and data retention. Saved as one merge patch of what changed;
 * the server validates it (a delay below a minute, an empty text) and its
 * field errors are shown next to the step they name.
 */
const STEPS = 'followUps.sequences.default.steps';

export function SequencesSection(_props: { state: AppState }) {
  const [settings, setSettings] = useState<AutomationSettings | null>(null);
  const [loaded, setLoaded] = useState<AutomationSettings | null>(null);
  const [errors, setErrors] = useState<FieldErrors>([]);
  const [team, setTeam] = useState<Array<{ userId: string; name: string }>>([]);
  const [lang, setLang] = useState<ContentLanguage>('en');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [report, setReport] = useState<RetentionReport | null>(null);

  useEffect(() => {
    api
      .automationSettings()
      .then((s) => {
        setLoaded(s);
        setSettings(s);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'could not load the settings'));
    api
      .team()
      .then((t) => setTeam(t.data))
      .catch(() => setTeam([]));
  }, []);

  if (!settings) return error ? <ErrorNote error={error} /> : null;
  const steps = settings.followUps.sequences.default?.steps ?? [];
  const update = (next: AutomationSettings) => {
    setSaved(false);
    setSettings(next);
  };
  const setSteps = (next: FollowUpStep[]) =>
    update({
      ...settings,
      followUps: { ...settings.followUps, sequences: { ...settings.followUps.sequences, default: { steps: next } } },
    });
  const patchStep = (i: number, change: Partial<FollowUpStep>) =>
    setSteps(steps.map((s, j) => (j === i ? { ...s, ...change } : s)));

  const save = async () => {
    setError(null);
    setErrors([]);
    const patch = createMergePatch(loaded, settings);
    if (!patch) {
      setSaved(true);
      return;
    }
    try {
      const next = await api.patchAutomationSettings(patch as Parameters<typeof api.patchAutomationSettings>[0]);
      setLoaded(next);
      setSettings(next);
      setSaved(true);
    } catch (e) {
      setErrors(fieldErrorsOf(e));
      setError(e instanceof ApiError ? e.message : 'could not save');
    }
  };
  const retentionRun = async (dryRun: boolean) => {
    setError(null);
    try {
      setReport(await api.retentionRun(dryRun));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'could not run');
    }
  };

  return (
    <div class="space-y-4" data-testid="follow-up-settings">
      <Card
        title="Follow-up sequence"
        actions={
          <label class="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={settings.followUps.enabled}
              onChange={(e) =>
                update({ ...settings, followUps: { ...settings.followUps, enabled: e.currentTarget.checked } })
              }
            />
            On
          </label>
        }
      >
        <p class="mb-3 text-sm text-slate-600">
          When a lead stops answering, these messages go out after our last one. Any reply, a takeover, an opt-out word
          (STOP, BAJA, ARRÊT…), a booking or a closed lead stops them at once.
        </p>
        <div class="mb-3 flex gap-1" role="tablist">
          {CONTENT_LANGUAGES.map((l) => (
            <Button key={l} variant={l === lang ? 'primary' : 'ghost'} onClick={() => setLang(l)}>
              {l.toUpperCase()}
            </Button>
          ))}
        </div>
        <ol class="space-y-3">
          {steps.map((step, i) => (
            <li key={i} class="grid gap-2 rounded-lg bg-slate-50 p-3 md:grid-cols-[8rem_1fr_auto]" data-step={i}>
              <Field label="After (hours)">
                <input
                  class={inputClass}
                  type="number"
                  min={1}
                  step={1}
                  value={Math.round(step.delayMinutes / 6) / 10}
                  name="step-delay"
                  // Not clamped here: the server says what is wrong, next to the field.
                  onInput={(e) => patchStep(i, { delayMinutes: Math.round(Number(e.currentTarget.value) * 60) })}
                />
                <FieldError errors={errors} path={`${STEPS}.${i}.delayMinutes`} />
              </Field>
              <Field label={`Text (${lang.toUpperCase()})`}>
                <textarea
                  class={inputClass}
                  rows={2}
                  value={step.text[lang] ?? ''}
                  onInput={(e) => {
                    const text = { ...step.text, [lang]: e.currentTarget.value };
                    if (!e.currentTarget.value) delete text[lang];
                    patchStep(i, { text });
                  }}
                  name="step-text"
                />
                <FieldError errors={errors} path={`${STEPS}.${i}.text`} />
              </Field>
              <Button
                variant="ghost"
                disabled={steps.length <= 1}
                onClick={() => setSteps(steps.filter((_, j) => j !== i))}
              >
                Remove
              </Button>
            </li>
          ))}
        </ol>
        <div class="mt-3 flex flex-wrap items-end gap-3">
          <Button
            disabled={steps.length >= 6}
            onClick={() =>
              setSteps([
                ...steps,
                { delayMinutes: (steps.at(-1)?.delayMinutes ?? 60) * 2, text: { [lang]: '' }, channels: {} },
              ])
            }
          >
            Add a step
          </Button>
          <Field label="SMS quiet hours" hint="Texts due in these hours wait until they end (your time zone).">
            <div class="flex gap-2">
              <input
                class={inputClass}
                type="time"
                value={settings.followUps.smsQuietHours?.start ?? ''}
                onInput={(e) =>
                  update({
                    ...settings,
                    followUps: {
                      ...settings.followUps,
                      smsQuietHours: {
                        start: e.currentTarget.value,
                        end: settings.followUps.smsQuietHours?.end ?? '08:00',
                      },
                    },
                  })
                }
              />
              <input
                class={inputClass}
                type="time"
                value={settings.followUps.smsQuietHours?.end ?? ''}
                onInput={(e) =>
                  update({
                    ...settings,
                    followUps: {
                      ...settings.followUps,
                      smsQuietHours: {
                        start: settings.followUps.smsQuietHours?.start ?? '21:00',
                        end: e.currentTarget.value,
                      },
                    },
                  })
                }
              />
            </div>
          </Field>
        </div>
      </Card>

      <Card title="Review requests">
        <div class="grid gap-3 md:grid-cols-2">
          <label class="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={settings.reviews.enabled}
              onChange={(e) =>
                update({ ...settings, reviews: { ...settings.reviews, enabled: e.currentTarget.checked } })
              }
            />
            Ask for a review once, after an appointment or a won deal
          </label>
          <Field label="Review link (Google or other)">
            <input
              class={inputClass}
              type="url"
              value={settings.reviews.link ?? ''}
              onInput={(e) =>
                update({ ...settings, reviews: { ...settings.reviews, link: e.currentTarget.value || null } })
              }
            />
          </Field>
          <Field label="Hours after the appointment">
            <input
              class={inputClass}
              type="number"
              min={0}
              value={settings.reviews.afterAppointmentMinutes / 60}
              onInput={(e) =>
                update({
                  ...settings,
                  reviews: {
                    ...settings.reviews,
                    afterAppointmentMinutes: Math.round(Number(e.currentTarget.value) * 60),
                  },
                })
              }
            />
          </Field>
          <Field label="Hours after closed as won">
            <input
              class={inputClass}
              type="number"
              min={0}
              value={settings.reviews.afterWonMinutes / 60}
              onInput={(e) =>
                update({
                  ...settings,
                  reviews: { ...settings.reviews, afterWonMinutes: Math.round(Number(e.currentTarget.value) * 60) },
                })
              }
            />
          </Field>
        </div>
      </Card>

      <Card title="Digest email">
        <div class="grid gap-3 md:grid-cols-3">
          <Field label="How often">
            <select
              class={inputClass}
              value={settings.digest.frequency}
              onChange={(e) =>
                update({
                  ...settings,
                  digest: {
                    ...settings.digest,
                    frequency: e.currentTarget.value as AutomationSettings['digest']['frequency'],
                  },
                })
              }
            >
              <option value="off">Off</option>
              <option value="daily">Daily</option>
              <option value="weekly">Weekly</option>
            </select>
          </Field>
          <Field label="At (your time zone)">
            <input
              class={inputClass}
              type="time"
              value={settings.digest.time}
              onInput={(e) => update({ ...settings, digest: { ...settings.digest, time: e.currentTarget.value } })}
            />
          </Field>
          <Field label="On (weekly)">
            <select
              class={inputClass}
              value={settings.digest.weekday}
              onChange={(e) =>
                update({
                  ...settings,
                  digest: { ...settings.digest, weekday: e.currentTarget.value as (typeof WEEKDAYS)[number] },
                })
              }
            >
              {WEEKDAYS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <fieldset class="mt-3">
          <legend class="mb-1 text-xs font-medium text-slate-600">Sent to</legend>
          <div class="flex flex-wrap gap-3">
            {team.map((m) => (
              <label key={m.userId} class="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={settings.digest.recipients.includes(m.userId)}
                  onChange={(e) => {
                    const others = settings.digest.recipients.filter((id) => id !== m.userId);
                    update({
                      ...settings,
                      digest: {
                        ...settings.digest,
                        recipients: e.currentTarget.checked ? [...others, m.userId] : others,
                      },
                    });
                  }}
                />
                {m.name}
              </label>
            ))}
          </div>
        </fieldset>
      </Card>

      <Card title="Data retention">
        <div class="flex flex-wrap items-end gap-3">
          <Field label="Keep for (days, empty: forever)">
            <input
              class={inputClass}
              type="number"
              min={7}
              value={settings.retention.days ?? ''}
              onInput={(e) =>
                update({
                  ...settings,
                  retention: {
                    ...settings.retention,
                    days: e.currentTarget.value ? Number(e.currentTarget.value) : null,
                  },
                })
              }
            />
          </Field>
          <Field label="Then">
            <select
              class={inputClass}
              value={settings.retention.mode}
              onChange={(e) =>
                update({
                  ...settings,
                  retention: { ...settings.retention, mode: e.currentTarget.value as 'delete' | 'anonymise' },
                })
              }
            >
              <option value="anonymise">Anonymise</option>
              <option value="delete">Delete</option>
            </select>
          </Field>
          <Button onClick={() => retentionRun(true)}>Count what would go</Button>
          {report?.dryRun && (report.conversations > 0 || report.leads > 0) && (
            <Button variant="danger" onClick={() => retentionRun(false)}>
              Apply now
            </Button>
          )}
        </div>
        {report && (
          <p class="mt-2 text-sm text-slate-600" data-testid="retention-report">
            {report.dryRun ? 'Would' : 'Did'} {report.mode} {report.conversations} conversations and {report.leads}{' '}
            leads
            {report.cutoff ? ` older than ${new Date(report.cutoff).toLocaleDateString()}` : ''}.
          </p>
        )}
      </Card>

      <ErrorNote error={error} />
      <div class="flex items-center gap-3">
        <Button variant="primary" data-testid="save-follow-ups" onClick={save}>
          Save automation
        </Button>
        {saved && (
          <span class="text-sm text-emerald-700" data-testid="follow-ups-saved">
            Saved
          </span>
        )}
      </div>
    </div>
  );
}
