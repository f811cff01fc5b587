import type {
  Channel,
  HoursMode,
  LeadIntent,
  LeadStatus,
  RuleAction,
  RuleTrigger,
  RuleTriggerKind,
} from '@leaddesk/shared';
import { CHANNELS, ESCALATION_PRIORITIES, LEAD_INTENTS, LEAD_STATUSES } from '@leaddesk/shared';

/** Words for rules, triggers and actions in the rules section and its form. */
export const MODE_LABEL: Record<HoursMode, string> = {
  in_hours: 'In hours',
  after_hours: 'After hours',
  weekend: 'Weekend',
  holiday: 'Holiday',
};

export function describeTrigger(t: RuleTrigger): string {
  switch (t.kind) {
    case 'score_crossed':
      return `score reaches ${t.above}`;
    case 'intent_detected':
      return `intent is ${t.intents.join(' or ')}`;
    case 'urgency_detected':
      return `urgency is ${t.levels.join(' or ')}`;
    case 'keyword':
      return `a message says ${t.keywords.map((k) => `“${k}”`).join(', ')}`;
    case 'no_staff_reply':
      return `no staff reply in ${t.minutes} min${t.minutesAfterHours ? ` (${t.minutesAfterHours} after hours)` : ''}`;
    case 'lead_silent':
      return `the lead is silent for ${t.hours} h`;
    case 'status_changed':
      return t.to.length ? `status becomes ${t.to.join(' or ')}` : 'the status changes';
    case 'booking_changed':
      return `a booking is ${t.changes.join(' or ')}`;
    case 'message_after_hours':
      return 'a message arrives while closed';
    case 'channel_message':
      return `a message on ${t.channels.join(' or ')}`;
  }
}

export function describeAction(a: RuleAction): string {
  switch (a.type) {
    case 'notify_staff':
      return `notify ${a.to.replace('_', ' ')} (${a.via.join(', ')})`;
    case 'escalate':
      return `escalate (${a.priority})`;
    case 'assign':
      return a.strategy === 'round_robin' ? 'assign round robin' : 'assign a person';
    case 'send_message':
      return 'send a message';
    case 'start_sequence':
      return 'start a sequence';
    case 'stop_sequence':
      return 'stop the sequence';
    case 'set_status':
      return `set status ${a.status}`;
    case 'add_tag':
      return `tag “${a.tag}”`;
  }
}

// Lists the form offers (the enums themselves live in @leaddesk/shared).
export const FORM_LISTS = {
  triggers: [
    ['keyword', 'A message contains words'],
    ['intent_detected', 'An intent is detected'],
    ['urgency_detected', 'Urgency is detected'],
    ['score_crossed', 'The score reaches'],
    ['no_staff_reply', 'No staff reply within'],
    ['lead_silent', 'The lead is silent for'],
    ['status_changed', 'The status changes'],
    ['booking_changed', 'A booking changes'],
    ['message_after_hours', 'A message arrives while closed'],
    ['channel_message', 'A message on a channel'],
  ] as Array<[RuleTriggerKind, string]>,
  intents: LEAD_INTENTS as readonly LeadIntent[],
  channels: CHANNELS as readonly Channel[],
  statuses: LEAD_STATUSES as readonly LeadStatus[],
  priorities: ESCALATION_PRIORITIES,
  modes: ['in_hours', 'after_hours', 'weekend', 'holiday'] as HoursMode[],
};
