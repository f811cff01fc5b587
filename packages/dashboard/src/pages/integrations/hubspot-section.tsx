import type { HubSpotSettingsView, HubSpotTestResult, LeadStatus } from '@leaddesk/shared';
import { LEAD_STATUSES } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import type { AppState } from '../../main.js';
import { Badge, Button, Card, cx, ErrorNote, Field, inputClass } from '../../ui.js';

/**
 * Settings → Integrations → HubSpot: the private-app token and the app's
 * client secret (write-only: the server shows "set" and the last four
 * characters, an empty field keeps the stored one), the pipeline and which
 * deal stage each lead status goes to, the webhook URL to paste into the
 * HubSpot app, "Test connection" and a re-sync of the tenant's backlog.
 */
export function HubspotSection({ state }: { state: AppState }) {
  const [view, setView] = useState<HubSpotSettingsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .hubspot()
      .then(setView)
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <Card
      title="HubSpot"
      actions={
        <span data-testid="status-hubspot">
          {view?.configured ? (
            <Badge tone="bg-emerald-100 text-emerald-800">Connected</Badge>
          ) : (
            <Badge>Not connected</Badge>
          )}
        </span>
      }
    >
      <ErrorNote error={error} />
      {view && <HubspotForm view={view} editable={state.allowed('client:update')} onSaved={setView} />}
    </Card>
  );
}

function HubspotForm(props: { view: HubSpotSettingsView; editable: boolean; onSaved(v: HubSpotSettingsView): void }) {
  const { view, editable } = props;
  const [accessToken, setAccessToken] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [portalId, setPortalId] = useState(view.portalId ?? '');
  const [pipelineId, setPipelineId] = useState(view.pipelineId);
  const [stages, setStages] = useState<Record<LeadStatus, string>>(view.stageMapping);
  const [enabled, setEnabled] = useState(view.configured ? view.enabled : true);
  const [test, setTest] = useState<HubSpotTestResult | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setError(null);
    setNote(null);
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const pipeline = test?.pipelines.find((p) => p.id === pipelineId);
  return (
    <form
      class="space-y-3"
      data-integration="hubspot"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          const saved = await api.saveHubSpot({
            ...(accessToken ? { accessToken } : {}),
            ...(clientSecret ? { clientSecret } : {}),
            portalId: portalId.trim() || null,
            pipelineId,
            stageMapping: stages,
            enabled,
          });
          setAccessToken('');
          setClientSecret('');
          props.onSaved(saved);
          setNote('Saved');
        });
      }}
    >
      <div class="grid gap-3 md:grid-cols-2">
        <Secret
          label="Private-app access token"
          name="hubspotAccessToken"
          hint={view.accessToken}
          value={accessToken}
          onInput={setAccessToken}
          disabled={!editable}
          unset="Required: HubSpot → Settings → Integrations → Private apps (scopes: crm.objects.contacts, deals, owners, schemas)."
        />
        <Secret
          label="App client secret (verifies webhooks)"
          name="hubspotClientSecret"
          hint={view.clientSecret}
          value={clientSecret}
          onInput={setClientSecret}
          disabled={!editable}
          unset="Optional: without it, HubSpot's changes do not flow back."
        />
        <Field label="Portal (account) id" hint="Links each lead to its HubSpot records.">
          <input
            name="hubspotPortalId"
            class={inputClass}
            inputMode="numeric"
            value={portalId}
            disabled={!editable}
            onInput={(e) => setPortalId(e.currentTarget.value)}
          />
        </Field>
        <Field label="Deal pipeline id">
          {test?.pipelines.length ? (
            <select
              name="hubspotPipeline"
              class={inputClass}
              value={pipelineId}
              disabled={!editable}
              onChange={(e) => setPipelineId(e.currentTarget.value)}
            >
              {test.pipelines.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              name="hubspotPipeline"
              class={inputClass}
              value={pipelineId}
              disabled={!editable}
              onInput={(e) => setPipelineId(e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <details>
        <summary class="cursor-pointer text-sm text-slate-600">Deal stage for each lead status</summary>
        <div class="mt-2 grid gap-2 md:grid-cols-3">
          {LEAD_STATUSES.map((status) => (
            <Field key={status} label={status.replace(/_/g, ' ')}>
              {pipeline ? (
                <select
                  name={`stage-${status}`}
                  class={inputClass}
                  value={stages[status]}
                  disabled={!editable}
                  onChange={(e) => setStages({ ...stages, [status]: e.currentTarget.value })}
                >
                  {pipeline.stages.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  name={`stage-${status}`}
                  class={inputClass}
                  value={stages[status]}
                  disabled={!editable}
                  onInput={(e) => setStages({ ...stages, [status]: e.currentTarget.value })}
                />
              )}
            </Field>
          ))}
        </div>
      </details>
      <label class="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="hubspotEnabled"
          checked={enabled}
          disabled={!editable}
          onChange={(e) => setEnabled(e.currentTarget.checked)}
        />
        Sync leads on every qualification and status change
      </label>
      {view.configured && (
        <Field label="Webhook target URL (HubSpot app → Webhooks; subscribe to deal stage and owner changes)">
          <input class={cx(inputClass, 'font-mono text-xs')} readOnly value={view.webhookUrl} />
        </Field>
      )}
      {view.configured && (
        <p class="text-xs text-slate-500" data-testid="hubspot-properties">
          {view.propertiesReadyAt
            ? 'Lead properties created in HubSpot (score, temperature, intent and more, in their own group).'
            : 'Creating the lead properties in HubSpot…'}
        </p>
      )}
      {test && (
        <p
          role="status"
          data-testid="hubspot-test"
          class={cx(
            'rounded-md px-3 py-2 text-sm',
            test.ok ? 'bg-emerald-50 text-emerald-800' : 'bg-rose-50 text-rose-800',
          )}
        >
          {test.message}
        </p>
      )}
      <ErrorNote error={error} />
      {editable && (
        <div class="flex flex-wrap items-center gap-3">
          <Button type="submit" variant="primary" disabled={busy}>
            {view.configured ? 'Save' : 'Connect HubSpot'}
          </Button>
          {view.configured && (
            <>
              <Button disabled={busy} onClick={() => void run(async () => setTest(await api.testHubSpot()))}>
                Test connection
              </Button>
              <Button
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    const { queued } = await api.resyncHubSpot();
                    setNote(`Re-sync queued for ${queued} lead${queued === 1 ? '' : 's'}`);
                  })
                }
              >
                Re-sync backlog
              </Button>
              <Button
                variant="ghost"
                disabled={busy}
                onClick={() =>
                  confirm('Disconnect HubSpot? The stored token is deleted; records in HubSpot stay.') &&
                  void run(async () => {
                    props.onSaved(await api.disconnectHubSpot());
                    setTest(null);
                  })
                }
              >
                Disconnect
              </Button>
            </>
          )}
          {note && (
            <span class="text-sm text-emerald-600" role="status" data-testid="hubspot-note">
              {note}
            </span>
          )}
        </div>
      )}
    </form>
  );
}

function Secret(props: {
  label: string;
  name: string;
  hint: HubSpotSettingsView['accessToken'];
  value: string;
  onInput(value: string): void;
  disabled: boolean;
  unset: string;
}) {
  const stored = props.hint.set ? props.hint.last4 : null;
  return (
    <Field label={props.label} hint={stored ? `Set (ends in ${stored}). Leave empty to keep it.` : props.unset}>
      <input
        type="password"
        name={props.name}
        autoComplete="new-password"
        class={inputClass}
        placeholder={stored ? `•••• ${stored}` : ''}
        value={props.value}
        disabled={props.disabled}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </Field>
  );
}
