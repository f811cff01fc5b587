import type {
  Channel,
  ContentLanguage,
  EscalationPriority,
  EscalationReason,
  LeadStatus,
  Qualification,
} from '@leaddesk/shared';

/** The demo team: the demo login plus two colleagues (no password: they cannot sign in). */
export type StaffKey = 'admin' | 'maria' | 'james';

export interface Turn {
  role: 'visitor' | 'ai' | 'staff' | 'note';
  text: string;
  /** Minutes after the previous message; by default a visitor takes 1–4 minutes, the AI seconds, staff a few minutes. */
  after?: number;
  /** Who wrote a staff message or note. @default 'admin' */
  by?: StaffKey;
  /** What the AI understood (its reply's `ai.intent`). */
  intent?: string;
  /** A knowledge citation on the AI's reply (`ai.entities.source`). */
  source?: string;
}

/**
 * One past conversation with its lead, as it happened: what was said, what
 * the lead became, who stepped in. Dates are relative (days before the seed),
 * so the history always ends today.
 */
export interface DemoScript {
  key: string;
  channel: Channel;
  language: ContentLanguage;
  /** Days before now the conversation started. */
  daysAgo: number;
  /** Local hour and minute it started (the business's time zone). */
  at: [number, number];
  lead: {
    name?: string;
    email?: string;
    phone?: string;
    status: LeadStatus;
    qualification?: Omit<Qualification, 'custom' | 'timeline'> & { custom?: Record<string, string> };
    /** Requested date, days after the conversation started (stored as YYYY-MM-DD). */
    timelineInDays?: number;
    /** The booked appointment, days after the conversation started, at this local hour. */
    appointment?: { inDays: number; hour: number };
    assignee?: StaffKey;
  };
  turns: Turn[];
  conversation?: {
    /** @default 'ended' for conversations older than a day, else 'active' */
    status?: 'active' | 'escalated' | 'ended';
    /** A staff member took the chat over before this turn (index in `turns`) and still holds it. */
    takeoverAt?: number;
    /** Handed back to the AI before this turn. */
    handbackAt?: number;
    holder?: StaffKey;
    assignee?: StaffKey;
  };
  escalation?: {
    reason: EscalationReason;
    priority: EscalationPriority;
    detail: string;
    /** Raised right after this turn. */
    afterTurn: number;
    status?: 'pending' | 'acknowledged';
    resolved?: { by: StaffKey; afterMinutes: number; note: string };
  };
  /** Copilot drafts staff used on this conversation, by outcome. */
  copilot?: Array<'sent_as_is' | 'edited' | 'discarded'>;
}
