import { z } from 'zod';
import { CHANNELS, CONTENT_LANGUAGES, PERSONALITY_PRESETS, QUESTION_TYPES, WEEKDAYS } from '../enums.js';
import { hoursPolicySchema } from './business-hours.js';
import { monthlyReportSettingsSchema } from './report-monthly-email.js';
import { reportSettingsSchema, serviceValuesSchema } from './reports.js';

/**
 * A tenant's configuration. Every field has a default so that a client created
 * with `{}` is usable at once; industry templates fill in the rest.
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

export const openingPeriodSchema = z
  .object({ open: hhmm, close: hhmm })
  .refine((p) => p.open < p.close, { message: 'open must be before close' });

/** Several periods a day (e.g. 09:00-13:00 and 14:00-18:00); an empty list means closed. */
export const businessHoursSchema = z.object(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(openingPeriodSchema).default([])])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodDefault<z.ZodArray<typeof openingPeriodSchema>>
  >,
);
export type BusinessHours = z.infer<typeof businessHoursSchema>;

/** A question's text in another language; options in the same order as the question's own. */
export const questionTranslationSchema = z.object({
  question: z.string().min(1).max(500),
  options: z.array(z.string().min(1).max(100)).max(12).optional(),
});

/** A flag that is on unless the tenant turns it off. */
const true_ = () => z.boolean().default(true);

/** Per-language text keyed by language code (en, es, fr, de, pt, it). */
function perLanguage<T extends z.ZodTypeAny>(schema: T) {
  return z.partialRecord(z.enum(CONTENT_LANGUAGES), schema).default({});
}

export const qualificationQuestionSchema = z.object({
  id: z.string().min(1).max(64),
  /** Which lead field the answer fills (serviceInterest, urgency, budgetRange, ...) or a custom key. */
  field: z.string().min(1).max(64),
  question: z.string().min(1).max(500),
  type: z.enum(QUESTION_TYPES).default('free_text'),
  options: z.array(z.string().min(1).max(100)).max(12).default([]),
  required: z.boolean().default(false),
  /** The question in the visitor's language; where missing, a built-in phrasing for the field is used. */
  translations: perLanguage(questionTranslationSchema),
});
export type QualificationQuestion = z.infer<typeof qualificationQuestionSchema>;

export const faqTranslationSchema = z.object({
  question: z.string().min(1).max(500),
  answer: z.string().min(1).max(4000),
});

export const faqEntrySchema = z.object({
  question: z.string().min(1).max(500),
  answer: z.string().min(1).max(4000),
  /** The entry in other languages, matched and answered in the visitor's language. */
  translations: perLanguage(faqTranslationSchema),
});
export type FaqEntry = z.infer<typeof faqEntrySchema>;

export const channelToneSchema = z
  .object(Object.fromEntries(CHANNELS.map((c) => [c, z.string().max(200).optional()])))
  .default({});

/** A link the widget shows on the tenant's site: http(s) only (never `javascript:`), absolute. */
const webLink = z
  .string()
  .trim()
  .max(500)
  .url('expected a full link (https://…)')
  .refine((u) => /^https?:\/\//i.test(u), 'expected an http(s) link');

export const widgetAppearanceSchema = z.object({
  primaryColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default('#2563eb'),
  position: z.enum(['bottom-right', 'bottom-left']).default('bottom-right'),
  greeting: z.string().max(300).default('Hi! How can we help you today?'),
  theme: z.enum(['light', 'dark', 'auto']).default('auto'),
  logoUrl: z.string().url().optional(),
  /**
   * A consent line under the composer, per language ("By chatting you agree that we store your
   * messages."), and the privacy policy it links to. Neither set: no line.
   */
  consent: z
    .object({
      text: z.partialRecord(z.enum(CONTENT_LANGUAGES), z.string().trim().min(1).max(200)).default({}),
      privacyUrl: webLink.optional(),
    })
    .default({ text: {} }),
  /** The "Powered by" line: ours, none (white-label), or an agency's own label and link. */
  poweredBy: z
    .object({
      hidden: z.boolean().default(false),
      label: z.string().trim().min(1).max(60).optional(),
      url: webLink.optional(),
    })
    .default({ hidden: false }),
});

export const upsellSchema = z.object({
  /** e.g. airport_transfer, late_checkout, breakfast, upgrade. */
  id: z.string().min(1).max(64),
  label: z.string().min(1).max(200),
  price: z.string().max(100).optional(),
  /** When the agent should offer it ("guest arrives by plane"). */
  when: z.string().max(300).optional(),
});

export const hotelRevenueSchema = z.object({
  enabled: z.boolean().default(false),
  upsells: z.array(upsellSchema).max(20).default([]),
});

export const directBookingSchema = z.object({
  enabled: z.boolean().default(false),
  /** What booking direct gets the guest, e.g. "10% off and free breakfast". */
  benefit: z.string().min(1).max(500),
  bookingUrl: z.string().url().optional(),
});

export const promptVariantSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'lowercase letters, digits, _ or -'),
  /** Added to the agent's instructions for conversations assigned this variant. */
  instructions: z.string().max(4000).default(''),
});

export const promptExperimentSchema = z.object({
  enabled: z.boolean().default(true),
  variants: z
    .array(promptVariantSchema)
    .length(2)
    .refine((v) => v[0]?.id !== v[1]?.id, { message: 'variant ids must differ' }),
});

export const clientConfigSchema = z.object({
  businessHours: businessHoursSchema.default({
    mon: [{ open: '09:00', close: '18:00' }],
    tue: [{ open: '09:00', close: '18:00' }],
    wed: [{ open: '09:00', close: '18:00' }],
    thu: [{ open: '09:00', close: '18:00' }],
    fri: [{ open: '09:00', close: '18:00' }],
    sat: [],
    sun: [],
  }),
  /** Holidays, closures, the weekend and after-hours flows (business-hours intelligence, issue 14). */
  hours: hoursPolicySchema.optional(),
  services: z.array(z.string().min(1).max(200)).max(100).default([]),
  /** Each service's average deal value (missed-revenue report, issue 17); a service without one counts 0. */
  serviceValues: serviceValuesSchema.optional(),
  /** Response-time targets and the currency of the reports (issue 17). */
  reports: reportSettingsSchema.optional(),
  /** The monthly report email: who gets it and from which local hour on the 1st (issue 17). */
  monthlyReport: monthlyReportSettingsSchema.optional(),
  personality: z.enum(PERSONALITY_PRESETS).default('friendly_casual'),
  customPersonality: z.string().max(2000).optional(),
  channelTone: channelToneSchema,
  customInstructions: z.string().max(4000).default(''),
  qualificationQuestions: z.array(qualificationQuestionSchema).max(30).default([]),
  faqs: z.array(faqEntrySchema).max(500).default([]),
  hotLead: z
    .object({
      scoreAtLeast: z.number().int().min(0).max(100).default(70),
      notify: z.boolean().default(true),
    })
    .default({ scoreAtLeast: 70, notify: true }),
  escalation: z
    .object({
      keywords: z.array(z.string().min(1).max(100)).default([]),
      onHumanRequest: true_(),
      /** Pain, bleeding, swelling or an urgent need: hand the conversation to staff at once. */
      onUrgent: true_(),
      /** A complaint is acknowledged and handed to staff. */
      onComplaint: true_(),
      /** A cancellation is acknowledged and handed to staff, who confirm it. */
      onCancellation: true_(),
      noStaffReplyMinutes: z.number().int().min(1).max(1440).default(15),
    })
    .default({
      keywords: [],
      onHumanRequest: true,
      onUrgent: true,
      onComplaint: true,
      onCancellation: true,
      noStaffReplyMinutes: 15,
    }),
  /** Pause before a reply starts, so answers do not feel robotic (ms). */
  responseDelayMs: z.number().int().min(0).max(30_000).default(0),
  widget: widgetAppearanceSchema.default({
    primaryColor: '#2563eb',
    position: 'bottom-right',
    greeting: 'Hi! How can we help you today?',
    theme: 'auto',
    consent: { text: {} },
    poweredBy: { hidden: false },
  }),
  /** Require a server-signed identity before a visitor can claim an email or phone. */
  requireSignedIdentity: z.boolean().default(false),
  /** Staff of this client must enrol TOTP two-factor authentication before they get a session. */
  require2fa: z.boolean().default(false),
  /** Soft budget threshold (fraction of the plan budget) above which replies get cheaper. */
  budgetSoftThreshold: z.number().min(0.1).max(1).default(0.8),
  /** Hotel revenue mode: upsells the AI agent may suggest when relevant (AI issue). */
  hotelRevenue: hotelRevenueSchema.optional(),
  /** Direct-booking protection: what the agent offers when a guest mentions an OTA (AI issue). */
  directBooking: directBookingSchema.optional(),
  /** Two prompt variants; each conversation is assigned one (AI issue). */
  promptExperiment: promptExperimentSchema.optional(),
});
export type ClientConfig = z.infer<typeof clientConfigSchema>;
/** What an API caller may send: every field optional. */
export type ClientConfigInput = z.input<typeof clientConfigSchema>;
