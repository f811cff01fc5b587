import { z } from 'zod';
import { reportsQuerySchema } from './reports.js';

/**
 * The insights report (issue 17): which channel brings the leads that book,
 * what visitors ask most, when they want appointments, where the funnel and
 * the intake questions lose leads, what each follow-up step achieves, and how
 * the A/B prompt variants compare. Same period, clock and time-zone rules as
 * `GET /reports`; every figure is defined in docs/reports.md ("Insights").
 *
 * Design note: every part is summed from daily rollups (one row per tenant,
 * local day and group, kept by the reports' refresh), so a report reads no
 * message whatever the tenant's history. The questions keep a bounded number
 * of wordings per day and per report, and say when some questions were left
 * out of the clusters (`sampleLimit`, `sampled`).
 */
export const reportInsightsQuerySchema = reportsQuerySchema;

/** A share of a count (0..1, to 4 decimals); null when there is nothing to divide by. */
const rate = z.number().nullable();

export const channelInsightSchema = z.object({
  channel: z.string(),
  leads: z.number().int(),
  qualified: z.number().int(),
  booked: z.number().int(),
  qualificationRate: rate,
  bookingRate: rate,
  /** Has at least `minLeads` leads: only such channels can be the best. */
  eligible: z.boolean(),
});
export type ChannelInsight = z.infer<typeof channelInsightSchema>;

export const questionClusterSchema = z.object({
  /** The question as most often asked (exact text, trimmed) in the cluster. */
  representative: z.string(),
  count: z.number().int(),
  /** The normalised terms (stems) of the cluster's leader, its first and most asked wording. */
  terms: z.array(z.string()),
  /** Languages the cluster's questions were read in (ISO 639-1), sorted. */
  languages: z.array(z.string()),
  /** Up to five other ways it was asked. */
  examples: z.array(z.string()),
  /** Its questions the knowledge base could not answer (recorded as knowledge gaps). */
  unanswered: z.number().int(),
  /** No question of the cluster is a knowledge gap. */
  answered: z.boolean(),
});
export type QuestionCluster = z.infer<typeof questionClusterSchema>;

export const heatMapCellSchema = z.object({
  /** ISO weekday in the tenant's zone: 1 = Monday … 7 = Sunday. */
  weekday: z.number().int().min(1).max(7),
  /** Local hour the appointment starts in, 0–23. */
  hour: z.number().int().min(0).max(23),
  requested: z.number().int(),
  booked: z.number().int(),
});
export type HeatMapCell = z.infer<typeof heatMapCellSchema>;

export const FUNNEL_STEPS = ['new', 'qualifying', 'qualified', 'booked', 'won'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export const funnelStepSchema = z.object({
  step: z.enum(FUNNEL_STEPS),
  /** Leads of the period that reached this step (a later step counts in every earlier one). */
  count: z.number().int(),
  /** Leads of the previous step that did not reach this one (0 for `new`). */
  dropOff: z.number().int(),
  dropOffRate: rate,
});

export const intakeQuestionInsightSchema = z.object({
  /** The intake question's id (`contact` for the contact-details step). */
  id: z.string(),
  field: z.string(),
  question: z.string(),
  /** Leads asked it at least once. */
  asked: z.number().int(),
  /** Of those, leads whose field now has a value. */
  answered: z.number().int(),
  /** Leads for whom it is the last intake question asked, still without an answer. */
  stoppedHere: z.number().int(),
});

export const followUpStepInsightSchema = z.object({
  /** The sequence's key (`default`, or a named sequence). */
  sequence: z.string(),
  /** 1 = the sequence's first message. */
  step: z.number().int().min(1),
  sent: z.number().int(),
  replies: z.number().int(),
  replyRate: rate,
  bookings: z.number().int(),
  bookingRate: rate,
});

export const wilsonIntervalSchema = z.object({
  rate: z.number(),
  /** 95 % Wilson score interval. */
  low: z.number(),
  high: z.number(),
});
export type WilsonInterval = z.infer<typeof wilsonIntervalSchema>;

export const variantInsightSchema = z.object({
  variant: z.string(),
  conversations: z.number().int(),
  /** Distinct leads of those conversations. */
  leads: z.number().int(),
  qualified: z.number().int(),
  hotLeads: z.number().int(),
  /** Per conversation (the unit variants are assigned to); null without conversations. */
  qualificationRate: wilsonIntervalSchema.nullable(),
  hotLeadRate: wilsonIntervalSchema.nullable(),
});

export const reportInsightsSchema = z.object({
  timezone: z.string(),
  from: z.string(),
  to: z.string(),
  channels: z.object({
    /** A channel needs this many leads in the period to be named best. */
    minLeads: z.number().int(),
    /** Null when no channel has `minLeads` leads. */
    best: z.string().nullable(),
    /** Why it is best, or why there is none, in words. */
    reason: z.string(),
    byChannel: z.array(channelInsightSchema),
  }),
  questions: z.object({
    /**
     * `embeddings`: grouped by meaning (the knowledge base's embeddings provider, cosine ≥ 0.85), so
     * translations meet; `normalised_text`: by shared stems (no provider configured, or it failed).
     */
    method: z.enum(['normalised_text', 'embeddings']),
    /** The period's visitor messages (all of them, from the daily rollup). */
    messagesRead: z.number().int(),
    /**
     * Distinct wordings clustered per report (the most asked; a day keeps its 150 most common). Until
     * December 2026: the latest visitor messages read.
     */
    sampleLimit: z.number().int(),
    /** Some questions were counted but left out of the clusters (their wording past a cap above). */
    sampled: z.boolean(),
    /** Messages read that are questions. */
    questions: z.number().int(),
    /** Questions left out of every cluster: nothing but stop words ("how much?"). */
    unclustered: z.number().int(),
    clusters: z.array(questionClusterSchema),
  }),
  bookingHeatMap: z.object({
    requested: z.number().int(),
    booked: z.number().int(),
    /** Only the cells with a request. */
    cells: z.array(heatMapCellSchema),
    /** The most requested cell (ties: the earlier in the week, then the day). */
    peak: heatMapCellSchema.nullable(),
  }),
  funnel: z.object({
    steps: z.array(funnelStepSchema),
    intake: z.object({
      /** The period's leads: every one is counted (from the daily rollup). */
      leadsRead: z.number().int(),
      /** Kept for compatibility, equal to `leadsRead` (until December 2026 a report read the latest 2,000). */
      sampleLimit: z.number().int(),
      /** Always false now: no lead is left out. */
      sampled: z.boolean(),
      questions: z.array(intakeQuestionInsightSchema),
    }),
  }),
  followUps: z.array(followUpStepInsightSchema),
  promptVariants: z.object({
    variants: z.array(variantInsightSchema),
    /** The variant whose interval lies wholly above the other's, if one does. */
    qualificationLeader: z.string().nullable(),
    hotLeadLeader: z.string().nullable(),
  }),
});
export type ReportInsightsDto = z.infer<typeof reportInsightsSchema>;
