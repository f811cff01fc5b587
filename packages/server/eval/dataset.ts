/**
 * The labelled set `pnpm eval` scores: first messages of leads with what a
 * careful receptionist would have understood from each (docs/eval.md holds
 * the labelling rules). Validated on load, so a typo in a label fails loudly
 * instead of scoring as a miss.
 */
import { readFile } from 'node:fs/promises';
import { CONTENT_LANGUAGES, LEAD_INTENTS } from '@leaddesk/shared';
import { z } from 'zod';

export const VERTICALS = ['dental', 'hotel', 'real_estate'] as const;
export type Vertical = (typeof VERTICALS)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
/** A fact a correct answer contains: one string, or any one of several spellings ("14:00" | "2 pm"). */
const fact = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const expectedSchema = z.object({
  intent: z.enum(LEAD_INTENTS),
  urgency: z.enum(['high', 'medium', 'low']).nullable(),
  emergency: z.boolean(),
  email: z.string().email().nullable(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'expected E.164')
    .nullable(),
  date: z.object({ start: day, end: day.optional() }).nullable(),
  budget: z
    .object({
      max: z.number().positive(),
      min: z.number().positive().optional(),
      currency: z.string().regex(/^[A-Z]{3}$/),
      /** true: "around 450k"; false: "up to 450k"; absent: the message does not say. */
      approximate: z.boolean().optional(),
    })
    .nullable(),
  party: z
    .object({
      total: z.number().int().positive(),
      adults: z.number().int().min(0).optional(),
      children: z.number().int().min(0).optional(),
    })
    .nullable(),
  bedrooms: z.number().int().min(0).nullable(),
  service: z.string().min(1).nullable(),
  /** Present on questions only: can the eval tenant's own documents answer it? */
  kbAnswerable: z.boolean().optional(),
  answerMustContain: z.array(fact).optional(),
  answerMustNotContain: z.array(z.string().min(1)).optional(),
});
export type Expected = z.infer<typeof expectedSchema>;
export type Fact = z.infer<typeof fact>;

export const evalItemSchema = z.object({
  id: z.string().min(1),
  vertical: z.enum(VERTICALS),
  language: z.enum(CONTENT_LANGUAGES),
  /** When the lead sent it, ISO 8601 with an offset; relative dates resolve against it in the tenant's zone. */
  sentAt: z.string().refine((s) => /[zZ]|[+-]\d{2}:\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'expected an ISO timestamp with an offset',
  }),
  text: z.string().min(1).max(4000),
  expected: expectedSchema,
});
export type EvalItem = z.infer<typeof evalItemSchema>;

export const evalSetSchema = z.object({
  version: z.literal(1),
  items: z
    .array(evalItemSchema)
    .min(1)
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, { message: 'item ids must be unique' }),
});

/** Reads and validates a set (JSON `{version, items}` or JSONL, one item per line). */
export async function loadEvalSet(file: string): Promise<EvalItem[]> {
  const text = await readFile(file, 'utf8');
  const raw = file.endsWith('.jsonl')
    ? {
        version: 1,
        items: text
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => JSON.parse(l)),
      }
    : JSON.parse(text);
  const parsed = evalSetSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 20).map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`${file} is not a valid eval set:\n${problems.join('\n')}`);
  }
  return parsed.data.items;
}
