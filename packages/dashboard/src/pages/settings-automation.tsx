import type { AppState } from '../main.js';
import { HoursSection } from './automation/hours-section.js';
import { RulesSection } from './automation/rules-section.js';
import { SequencesSection } from './automation/sequences-section.js';
import { SettingsTabs } from './settings-tabs.js';

/**
 * Settings → Automation: business hours (mode now, call-back tasks, periods,
 * holidays, closures, closed-time flows), rules (trigger, conditions,
 * actions, firing log) and follow-up sequences. Each section owns its form.
 */
export function AutomationPage({ state }: { state: AppState }) {
  return (
    <div class="space-y-4 p-4 pb-24 md:p-6">
      <h1 class="text-xl font-semibold">Settings</h1>
      <SettingsTabs />
      <HoursSection state={state} />
      <RulesSection state={state} />
      <SequencesSection state={state} />
    </div>
  );
}
