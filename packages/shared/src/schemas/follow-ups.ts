import { z } from 'zod';
import { CONTENT_LANGUAGES, WEEKDAYS } from '../enums.js';

/**
 * Automation that acts when nobody else does (issue 14): follow-up
 * sequences for leads who went silent, review requests after an appointment
 * or a won deal, the staff digest, and data retention. One document per
 * tenant (`GET/PATCH /automation/follow-ups`, a JSON merge patch validated
 * whole); every field has a default so a tenant that never opened the page
 * gets the product's defaults.
 *
 * Design note: texts are keyed by content language; the lead's language
 * picks one, the tenant's locale is the fallback, then English. A step may
 * override its delay and text per channel (SMS wants it shorter, WhatsApp
 * outside its 24-hour window can only send the approved template).
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

/** The channels a follow-up can go out on (voice has no outbound text). */
export const FOLLOW_UP_CHANNELS = ['web', 'web_form', 'whatsapp', 'sms', 'email'] as const;
export type FollowUpChannel = (typeof FOLLOW_UP_CHANNELS)[number];

const text = z.string().trim().min(1).max(1000);
/** A text per content language; at least English or one other language. */
export const localizedTextSchema = z
  .partialRecord(z.enum(CONTENT_LANGUAGES), text)
  .refine((t) => Object.keys(t).length > 0, { message: 'give the text in at least one language' });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/**
 * A step's wait, in minutes. The messages name the limits in words, not in the
 * unit of the field: the dashboard edits it in hours.
 */
const stepDelay = z
  .number({ error: 'the delay must be a number' })
  .int('the delay must be a whole number of minutes')
  .min(1, 'the delay must be at least 1 minute')
  .max(60 * 24 * 60, 'the delay must be at most 60 days');

/** One step of a sequence: sent `delayMinutes` after our last message if the lead has not answered. */
export const followUpStepSchema = z.object({
  delayMinutes: stepDelay,
  text: localizedTextSchema,
  /** Per-channel overrides of the delay or the text. */
  channels: z
    .partialRecord(
      z.enum(FOLLOW_UP_CHANNELS),
      z.object({
        delayMinutes: stepDelay.optional(),
        text: localizedTextSchema.optional(),
      }),
    )
    .default({}),
});
export type FollowUpStep = z.infer<typeof followUpStepSchema>;

export const SEQUENCE_KEY_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const DEFAULT_FOLLOW_UP_STEPS: FollowUpStep[] = [
  {
    delayMinutes: 120,
    text: {
      en: 'Just checking in: is there anything else I can help you with?',
      es: '¿Sigues ahí? ¿Puedo ayudarte con algo más?',
      fr: 'Je me permets de revenir vers vous : puis-je vous aider pour autre chose ?',
      de: 'Kurze Nachfrage: Kann ich Ihnen noch bei etwas helfen?',
      pt: 'Só para saber: posso ajudar com mais alguma coisa?',
      it: 'Un piccolo promemoria: posso aiutarti con qualcos’altro?',
    },
    channels: {},
  },
  {
    delayMinutes: 60 * 24,
    text: {
      en: 'A quick reminder: we would be glad to help whenever you are ready. Just reply to this message.',
      es: 'Un recordatorio: estaremos encantados de ayudarte cuando quieras. Solo responde a este mensaje.',
      fr: 'Petit rappel : nous serons ravis de vous aider quand vous voulez. Il suffit de répondre à ce message.',
      de: 'Eine kurze Erinnerung: Wir helfen Ihnen gern, wann immer Sie so weit sind. Antworten Sie einfach.',
      pt: 'Um lembrete: teremos todo o gosto em ajudar quando quiser. Basta responder a esta mensagem.',
      it: 'Un promemoria: saremo felici di aiutarti quando vuoi. Basta rispondere a questo messaggio.',
    },
    channels: {},
  },
  {
    delayMinutes: 60 * 24 * 3,
    text: {
      en: 'This is our last message for now. If you still need us, reply at any time. Reply STOP to opt out.',
      es: 'Este es nuestro último mensaje por ahora. Si nos necesitas, responde cuando quieras. Responde BAJA para no recibir más.',
      fr: 'Ceci est notre dernier message pour le moment. Répondez quand vous voulez. Répondez STOP pour ne plus rien recevoir.',
      de: 'Das ist vorerst unsere letzte Nachricht. Antworten Sie jederzeit. Mit STOPP erhalten Sie keine Nachrichten mehr.',
      pt: 'Esta é a nossa última mensagem por agora. Responda quando quiser. Responda SAIR para não receber mais.',
      it: 'Questo è il nostro ultimo messaggio per ora. Rispondi quando vuoi. Rispondi STOP per non ricevere altro.',
    },
    channels: {},
  },
];

export const followUpSequenceSchema = z.object({
  steps: z.array(followUpStepSchema).min(1).max(6),
});

export const followUpSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Channels on which a silent lead is followed up. */
  channels: z.array(z.enum(FOLLOW_UP_CHANNELS)).default([...FOLLOW_UP_CHANNELS]),
  /** SMS is not sent between these local times (the tenant's time zone); a due step waits for `end`. */
  smsQuietHours: z.object({ start: hhmm, end: hhmm }).nullable().default({ start: '21:00', end: '08:00' }),
  /** `default` runs when a lead goes silent; rules may start the others by key. */
  sequences: z
    .record(z.string().regex(SEQUENCE_KEY_RE, 'lower-case letters, digits, - and _'), followUpSequenceSchema)
    .refine((s) => 'default' in s, { message: 'the default sequence is required' })
    .default({ default: { steps: DEFAULT_FOLLOW_UP_STEPS } }),
});
export type FollowUpSettings = z.infer<typeof followUpSettingsSchema>;

export const reviewSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  /** The tenant's review page (Google, Trustpilot...); leads reach it through a tracked redirect. */
  link: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .default(null),
  /** Minutes after the appointment's start, and after a lead is closed as won. */
  afterAppointmentMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .default(120),
  afterWonMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30)
    .default(60),
  /** `{link}` is replaced by the tracked link. */
  text: localizedTextSchema.default({
    en: 'Thank you for choosing us! Would you share your experience? It takes a minute: {link}',
    es: '¡Gracias por elegirnos! ¿Nos cuentas tu experiencia? Solo un minuto: {link}',
    fr: 'Merci de nous avoir choisis ! Pourriez-vous partager votre avis ? Une minute suffit : {link}',
    de: 'Danke für Ihr Vertrauen! Teilen Sie Ihre Erfahrung? Es dauert eine Minute: {link}',
    pt: 'Obrigado pela preferência! Pode partilhar a sua experiência? Leva um minuto: {link}',
    it: 'Grazie per averci scelto! Ci racconti la tua esperienza? Basta un minuto: {link}',
  }),
});
export type ReviewSettings = z.infer<typeof reviewSettingsSchema>;

export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const;
export const digestSettingsSchema = z.object({
  frequency: z.enum(DIGEST_FREQUENCIES).default('off'),
  /** Local time (tenant's time zone) the digest is sent at. */
  time: hhmm.default('08:00'),
  /** For weekly digests. */
  weekday: z.enum(WEEKDAYS).default('mon'),
  /** Staff members (user ids of this tenant) who receive it. */
  recipients: z.array(z.uuid()).max(50).default([]),
});
export type DigestSettings = z.infer<typeof digestSettingsSchema>;

export const RETENTION_MODES = ['delete', 'anonymise'] as const;
export const retentionSettingsSchema = z.object({
  /** Conversations and leads without activity for this many days are removed; null keeps everything. */
  days: z.number().int().min(7).max(3650).nullable().default(null),
  mode: z.enum(RETENTION_MODES).default('anonymise'),
});
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

export const automationSettingsSchema = z.object({
  followUps: followUpSettingsSchema.default(followUpSettingsSchema.parse({})),
  reviews: reviewSettingsSchema.default(reviewSettingsSchema.parse({})),
  digest: digestSettingsSchema.default(digestSettingsSchema.parse({})),
  retention: retentionSettingsSchema.default(retentionSettingsSchema.parse({})),
});
export type AutomationSettings = z.infer<typeof automationSettingsSchema>;

export const FOLLOW_UP_STOP_REASONS = [
  'reply',
  'takeover',
  'opt_out',
  'booking',
  'closed',
  'staff',
  'superseded',
  'rule',
  'completed',
  'unreachable',
] as const;
export type FollowUpStopReason = (typeof FOLLOW_UP_STOP_REASONS)[number];

export const stopFollowUpsSchema = z.object({
  reason: z.enum(FOLLOW_UP_STOP_REASONS).default('staff'),
});

/** A conversation's follow-up state, for the inbox and lead page. */
export const followUpRunSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  key: z.string(),
  status: z.enum(['active', 'stopped', 'completed']),
  /** Index of the next step (steps sent so far). */
  stepsSent: z.number().int(),
  totalSteps: z.number().int(),
  nextDueAt: z.string().nullable(),
  stoppedReason: z.enum(FOLLOW_UP_STOP_REASONS).nullable(),
  createdAt: z.string(),
});
export type FollowUpRunDto = z.infer<typeof followUpRunSchema>;

export const followUpStateSchema = z.object({
  run: followUpRunSchema.nullable(),
  optedOut: z.boolean(),
});
export type FollowUpState = z.infer<typeof followUpStateSchema>;

export const retentionRunSchema = z.object({ dryRun: z.boolean().default(true) });
export const retentionReportSchema = z.object({
  dryRun: z.boolean(),
  mode: z.enum(RETENTION_MODES),
  cutoff: z.string().nullable(),
  conversations: z.number().int(),
  leads: z.number().int(),
});
export type RetentionReport = z.infer<typeof retentionReportSchema>;
