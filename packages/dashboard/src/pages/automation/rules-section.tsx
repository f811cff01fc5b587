import type { AppState } from '../../main.js';

/** Placeholder until this part of automation is built (issue 14). */
export function RulesSection(_props: { state: AppState }) {
  return null;
}
