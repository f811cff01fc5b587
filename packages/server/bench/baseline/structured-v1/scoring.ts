import type { ClientConfig, LeadTemperature, Qualification, ScoreEvidence } from '@leaddesk/shared';
import type { ScoringRule } from '../../../src/replies/reply-engine.js';

/**
 * Lead scoring for the structured mode: the tenant's `qualification_rules`
 * first, then default rules for every field the tenant's rules do not cover.
 * Each point comes with its reason (the evidence staff see).
 */
export interface ScoringInput {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  qualification: Qualification;
}

export interface LeadScore {
  score: number;
  temperature: LeadTemperature;
  evidence: ScoreEvidence;
}

export const DEFAULT_RULES: ScoringRule[] = [
  { field: 'email', operator: 'exists', value: null, points: 15, label: 'Shared an email address' },
  { field: 'phone', operator: 'exists', value: null, points: 15, label: 'Shared a phone number' },
  { field: 'name', operator: 'exists', value: null, points: 5, label: 'Gave their name' },
  { field: 'serviceInterest', operator: 'exists', value: null, points: 15, label: 'Named the service they want' },
  { field: 'urgency', operator: 'equals', value: 'high', points: 20, label: 'Urgent need' },
  { field: 'urgency', operator: 'equals', value: 'medium', points: 10, label: 'Needs it soon' },
  { field: 'timeline', operator: 'exists', value: null, points: 10, label: 'Gave a date' },
  { field: 'budgetRange', operator: 'exists', value: null, points: 15, label: 'Shared a budget' },
  { field: 'decisionMaker', operator: 'equals', value: true, points: 10, label: 'Is the decision maker' },
  { field: 'partySize', operator: 'exists', value: null, points: 5, label: 'Gave the party size' },
];

const TOP_LEVEL = new Set(['serviceInterest', 'urgency', 'budgetRange', 'location', 'decisionMaker', 'timeline']);

function fieldValue(input: ScoringInput, field: string): unknown {
  if (field === 'email' || field === 'phone' || field === 'name') return input[field] ?? undefined;
  const key = field.startsWith('custom.') ? field.slice(7) : field;
  if (TOP_LEVEL.has(key)) return (input.qualification as Record<string, unknown>)[key];
  return input.qualification.custom?.[key];
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  // Budgets are stored as "EUR 150-200": compare with the upper bound.
  const nums = v.match(/\d+(?:\.\d+)?/g);
  return nums?.length ? Number(nums[nums.length - 1]) : undefined;
}

export function ruleMatches(rule: ScoringRule, input: ScoringInput): boolean {
  const v = fieldValue(input, rule.field);
  if (v === undefined || v === null || v === '') return false;
  switch (rule.operator) {
    case 'exists':
      return true;
    case 'equals':
      return typeof v === 'string' && typeof rule.value === 'string'
        ? v.toLowerCase() === rule.value.toLowerCase()
        : v === rule.value;
    case 'contains':
      return String(v).toLowerCase().includes(String(rule.value).toLowerCase());
    case 'gte': {
      const n = numberOf(v);
      return n !== undefined && n >= Number(rule.value);
    }
    case 'lte': {
      const n = numberOf(v);
      return n !== undefined && n <= Number(rule.value);
    }
    case 'in':
      return (
        Array.isArray(rule.value) && rule.value.map((x) => String(x).toLowerCase()).includes(String(v).toLowerCase())
      );
  }
}

export function scoreLead(input: ScoringInput, tenantRules: ScoringRule[], config: ClientConfig): LeadScore {
  const covered = new Set(tenantRules.map((r) => r.field.replace(/^custom\./, '')));
  const rules = [...tenantRules, ...DEFAULT_RULES.filter((r) => !covered.has(r.field))];
  const evidence: ScoreEvidence = [];
  let score = 0;
  for (const rule of rules) {
    if (!ruleMatches(rule, input)) continue;
    score += rule.points;
    evidence.push({ reason: rule.label, points: rule.points });
  }
  score = Math.max(0, Math.min(100, score));
  const temperature: LeadTemperature =
    evidence.length === 0 ? 'unscored' : score >= config.hotLead.scoreAtLeast ? 'hot' : score >= 40 ? 'warm' : 'cold';
  return { score, temperature, evidence };
}
