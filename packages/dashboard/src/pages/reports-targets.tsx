import type { ReportSettings } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { brand } from '../brand.js';
import { Button, Card, ErrorNote, Field, inputClass } from '../ui.js';

const DEFAULTS: ReportSettings = {
  firstResponseSeconds: 60,
  takeoverSeconds: 900,
  staffReplySeconds: 900,
  currency: 'EUR',
  publishResponseTime: false,
};

/**
 * What the reports measure against: the response-time targets (a first
 * response in seconds, takeover and staff reply in minutes) and each
 * service's average deal value, which turns qualified after-hours inquiries
 * into revenue. Saved as a merge patch of the client's config; a service
 * whose value is cleared is removed (`null`).
 */
export function ReportTargets(props: { onSaved: () => void }) {
  const [services, setServices] = useState<string[]>([]);
  const [siteKey, setSiteKey] = useState('');
  const [stored, setStored] = useState<Record<string, number>>({});
  const [values, setValues] = useState<Record<string, string>>({});
  const [targets, setTargets] = useState<ReportSettings>(DEFAULTS);
  // The plan's monthly cost (ROI report) as typed: empty clears it.
  const [planCost, setPlanCost] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api
      .client()
      .then((client) => {
        const config = client.config;
        setSiteKey(client.siteKey);
        const current = config.serviceValues ?? {};
        setServices([...new Set([...config.services, ...Object.keys(current)])]);
        setStored(current);
        setValues(Object.fromEntries(Object.entries(current).map(([k, v]) => [k, String(v)])));
        setTargets({ ...DEFAULTS, ...config.reports });
        setPlanCost(config.reports?.planMonthlyCost === undefined ? '' : String(config.reports.planMonthlyCost));
      })
      .catch((e: Error) => setError(e.message));
  }, []);

  const save = async () => {
    setError(null);
    setSaved(false);
    const serviceValues: Record<string, number | null> = {};
    for (const service of services) {
      const text = values[service]?.trim() ?? '';
      if (text === '') {
        if (service in stored) serviceValues[service] = null;
      } else serviceValues[service] = Number(text);
    }
    try {
      const planMonthlyCost = planCost.trim() === '' ? null : Number(planCost);
      const client = await api.updateClient({ config: { reports: { ...targets, planMonthlyCost }, serviceValues } });
      const next = client.config.serviceValues ?? {};
      setStored(next);
      setSaved(true);
      props.onSaved();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const minutes = (key: 'takeoverSeconds' | 'staffReplySeconds') => (
    <input
      type="number"
      min={1}
      name={key}
      class={inputClass}
      value={Math.round(targets[key] / 60)}
      onInput={(e) => setTargets({ ...targets, [key]: Math.round(Number(e.currentTarget.value) * 60) })}
    />
  );

  return (
    <Card title="Targets and service values">
      <div class="grid gap-3 md:grid-cols-4" data-testid="report-targets">
        <Field label="First response (seconds)">
          <input
            type="number"
            min={1}
            name="firstResponseSeconds"
            class={inputClass}
            value={targets.firstResponseSeconds}
            onInput={(e) => setTargets({ ...targets, firstResponseSeconds: Number(e.currentTarget.value) })}
          />
        </Field>
        <Field label="Takeover after an escalation (minutes)">{minutes('takeoverSeconds')}</Field>
        <Field label="Staff reply (minutes)">{minutes('staffReplySeconds')}</Field>
        <Field label="Currency">
          <input
            name="currency"
            maxLength={3}
            class={inputClass}
            value={targets.currency}
            onInput={(e) => setTargets({ ...targets, currency: e.currentTarget.value.toUpperCase() })}
          />
        </Field>
        <Field label={`${brand.productName} plan per month (${targets.currency})`}>
          <input
            type="number"
            min={0}
            name="planMonthlyCost"
            class={inputClass}
            value={planCost}
            onInput={(e) => setPlanCost(e.currentTarget.value)}
          />
        </Field>
        {services.map((service) => (
          <Field key={service} label={`${service}: average deal value`}>
            <input
              type="number"
              min={0}
              name={`value-${service}`}
              class={inputClass}
              value={values[service] ?? ''}
              onInput={(e) => setValues({ ...values, [service]: e.currentTarget.value })}
            />
          </Field>
        ))}
      </div>
      <label class="mt-3 flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="publishResponseTime"
          checked={targets.publishResponseTime}
          onChange={(e) => setTargets({ ...targets, publishResponseTime: e.currentTarget.checked })}
        />
        Publish my average response time (last 30 days) for my website
      </label>
      {targets.publishResponseTime && siteKey && (
        <pre
          class="mt-2 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100"
          data-testid="response-time-url"
        >
          {`${window.location.origin}/api/v1/widget/response-time?siteKey=${siteKey}`}
        </pre>
      )}
      <div class="mt-3 flex items-center gap-3">
        <Button variant="primary" onClick={save} data-testid="save-report-targets">
          Save targets
        </Button>
        {saved && <span class="text-sm text-emerald-600">Saved</span>}
      </div>
      <ErrorNote error={error} />
    </Card>
  );
}
