import type { AppState } from '../../main.js';

/** Placeholder until this part of automation is built (issue 14). */
export function SequencesSection(_props: { state: AppState }) {
  return null;
}
