import { z } from 'zod';
import type { ToolSpec } from '../providers/provider.js';

/**
 * The structured part of every AI reply: the tool call `record_qualification`
 * (Anthropic tool use / OpenAI function call), validated with zod before
 * anything is applied. It travels beside the visible text, never inside it.
 */
export const NEXT_ACTIONS = [
  'answer',
  'ask_question',
  'book_appointment',
  'escalate',
  'transfer_hot_lead',
  'nurture',
  'end',
] as const;
export type NextAction = (typeof NEXT_ACTIONS)[number];

const QUALIFICATION_FIELDS = [
  'serviceInterest',
  'urgency',
  'budgetRange',
  'location',
  'decisionMaker',
  'timeline',
] as const;

export const qualificationOutputSchema = z.object({
  intent: z.string().min(1).max(100),
  nextAction: z.enum(NEXT_ACTIONS),
  score: z.number().min(0).max(100),
  temperature: z.enum(['hot', 'warm', 'cold']),
  evidence: z
    .array(z.object({ reason: z.string().min(1).max(300), points: z.number().min(-100).max(100) }))
    .max(10)
    .default([]),
  confidence: z.number().min(0).max(1),
  fieldUpdates: z
    .object({
      serviceInterest: z.string().max(200).optional(),
      urgency: z.enum(['low', 'medium', 'high']).optional(),
      budgetRange: z.string().max(100).optional(),
      location: z.string().max(200).optional(),
      decisionMaker: z.boolean().optional(),
      timeline: z.string().max(200).optional(),
      name: z.string().max(200).optional(),
      email: z.string().max(254).optional(),
      phone: z.string().max(40).optional(),
      custom: z.record(z.string().max(64), z.string().max(500)).optional(),
    })
    .default({}),
  sentiment: z.enum(['positive', 'neutral', 'negative']).optional(),
  /** Set with nextAction book_appointment: what the lead asked for. */
  booking: z
    .object({ requestedTime: z.string().max(200).optional(), service: z.string().max(200).optional() })
    .optional(),
});
export type QualificationOutput = z.infer<typeof qualificationOutputSchema>;

export const RECORD_QUALIFICATION_TOOL: ToolSpec = {
  name: 'record_qualification',
  description:
    'Record what you learnt about the lead in this turn. Call it exactly once, after your reply text. The visitor never sees it.',
  inputSchema: {
    type: 'object',
    properties: {
      intent: { type: 'string', description: "The visitor's intent in a few words" },
      nextAction: { type: 'string', enum: [...NEXT_ACTIONS] },
      score: { type: 'number', minimum: 0, maximum: 100, description: 'Lead score 0-100' },
      temperature: { type: 'string', enum: ['hot', 'warm', 'cold'] },
      evidence: {
        type: 'array',
        description: 'Facts from the conversation behind the score, with the points each adds',
        items: {
          type: 'object',
          properties: { reason: { type: 'string' }, points: { type: 'number' } },
          required: ['reason', 'points'],
        },
      },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      fieldUpdates: {
        type: 'object',
        description: 'Only fields the visitor stated in this conversation',
        properties: {
          ...Object.fromEntries(
            QUALIFICATION_FIELDS.map((f) => [
              f,
              f === 'decisionMaker'
                ? { type: 'boolean' }
                : f === 'urgency'
                  ? { type: 'string', enum: ['low', 'medium', 'high'] }
                  : { type: 'string' },
            ]),
          ),
          name: { type: 'string' },
          email: { type: 'string' },
          phone: { type: 'string' },
          custom: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
      sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
      booking: {
        type: 'object',
        description: 'With nextAction book_appointment: what the visitor asked for',
        properties: {
          requestedTime: { type: 'string', description: 'The day or time asked for, in their words' },
          service: { type: 'string', description: 'The service, as the business names it' },
        },
      },
    },
    required: ['intent', 'nextAction', 'score', 'temperature', 'evidence', 'confidence'],
  },
};
