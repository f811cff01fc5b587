import type { TimelineEvent } from '@leaddesk/shared';

const STOP_REASONS: Record<string, string> = {
  reply: 'the lead replied',
  takeover: 'a person took over',
  opt_out: 'the lead opted out',
  booking: 'the lead booked',
  closed: 'the lead was closed',
  staff: 'stopped by staff',
  rule: 'stopped by a rule',
  unreachable: 'no way to reach the lead',
};

/** The timeline line of a follow-up or review request (issue 14). */
export function followUpEventText(e: TimelineEvent): string {
  switch (e.kind) {
    case 'follow_up_sent':
      return `Follow-up sent (${e.detail ?? 'a step'})`;
    case 'follow_up_skipped':
      return e.detail === 'whatsapp_window_closed_no_template'
        ? 'Follow-up skipped: WhatsApp window closed and no approved template'
        : `Follow-up skipped${e.detail ? ` (${e.detail})` : ''}`;
    case 'follow_up_stopped': {
      const why = STOP_REASONS[e.detail ?? ''] ?? e.detail ?? '';
      return `Follow-ups stopped${why ? `: ${why}` : ''}${e.actor ? ` by ${e.actor.name}` : ''}`;
    }
    case 'review_requested':
      return 'Review requested';
    default:
      return e.kind;
  }
}
