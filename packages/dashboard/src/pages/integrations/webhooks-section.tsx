import type { AppState } from '../../main.js';

/** Placeholder until this integration's settings are built (issue 15). */
export function WebhooksSection(_props: { state: AppState }) {
  return null;
}
