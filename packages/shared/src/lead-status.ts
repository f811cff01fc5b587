/**
 * The lead lifecycle. Design note: the allowed transitions are data, not code
 * scattered through handlers, so the API, the AI orchestrator and the
 * dashboard's pipeline view all refuse the same moves.
 */

export const LEAD_STATUSES = [
  'new',
  'qualifying',
  'qualified',
  'appointment_booked',
  'handed_off',
  'nurturing',
  'closed_won',
  'closed_lost',
  'disqualified',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

const CLOSED = ['closed_won', 'closed_lost', 'disqualified'] as const;

export const LEAD_STATUS_TRANSITIONS: Readonly<Record<LeadStatus, readonly LeadStatus[]>> = {
  new: ['qualifying', 'qualified', 'nurturing', 'handed_off', ...CLOSED],
  qualifying: ['qualified', 'nurturing', 'handed_off', 'appointment_booked', ...CLOSED],
  qualified: ['appointment_booked', 'handed_off', 'nurturing', ...CLOSED],
  appointment_booked: ['handed_off', 'qualified', ...CLOSED],
  handed_off: ['appointment_booked', 'nurturing', ...CLOSED],
  nurturing: ['qualifying', 'qualified', 'handed_off', ...CLOSED],
  // A closed lead can be reopened by a person, never skipped straight to a booking.
  closed_won: ['nurturing'],
  closed_lost: ['nurturing', 'qualifying'],
  disqualified: ['qualifying'],
};

export function canTransitionLead(from: LeadStatus, to: LeadStatus): boolean {
  return LEAD_STATUS_TRANSITIONS[from].includes(to);
}
