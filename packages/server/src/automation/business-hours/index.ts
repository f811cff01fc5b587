/** Business-hours intelligence (issue 14): modes, next opening, business minutes, the reply's promise. */
export { type HoursClient, type HoursContext, hoursContext } from './hours-context.js';
export {
  addBusinessMinutes,
  type HoursState,
  hoursState,
  isOpenAt,
  nextOpening,
  type Schedule,
  scheduleOf,
} from './hours-state.js';
export { addDays, localParts, zonedToUtc } from './zoned-time.js';
