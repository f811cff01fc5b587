/**
 * Follow-up sequences (issue 14): a silent lead is nudged by delayed jobs
 * until they answer, opt out, book, are taken over or closed. The rules
 * engine drives them through `SequenceControl`.
 */
export { type AutomationClock, automationClock } from './automation-clock.js';
export { AutomationSettingsStore } from './automation-settings.js';
export { followUpRoutes } from './follow-up-routes.js';
export {
  FOLLOW_UP_QUEUE,
  FOLLOW_UP_STEP_JOB,
  FollowUpSequences,
  type FollowUpStepJob,
  type SequenceControl,
} from './follow-up-sequences.js';
export { optOutWord } from './opt-out-words.js';
