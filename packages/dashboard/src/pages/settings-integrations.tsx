import type { AppState } from '../main.js';
import { CalcomSection } from './integrations/calcom-section.js';
import { HubspotSection } from './integrations/hubspot-section.js';
import { WebhooksSection } from './integrations/webhooks-section.js';
import { SettingsTabs } from './settings-tabs.js';

/**
 * Settings → Integrations: the calendar (Cal.com), the CRM (HubSpot) and the
 * tenant's own outgoing webhooks. Each section owns its form and its API calls.
 */
export function IntegrationsPage({ state }: { state: AppState }) {
  return (
    <div class="space-y-4 p-4 pb-24 md:p-6">
      <h1 class="text-xl font-semibold">Settings</h1>
      <SettingsTabs />
      <CalcomSection state={state} />
      <HubspotSection state={state} />
      <WebhooksSection state={state} />
    </div>
  );
}
