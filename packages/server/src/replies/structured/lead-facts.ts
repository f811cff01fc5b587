import type { Qualification } from '@leaddesk/shared';
import type { Understanding } from '../../understanding/index.js';

/**
 * Everything a message says about the lead, in the storage contract the
 * dashboard, the CRM sync and the eval read (see docs/structured-mode.md):
 * top-level qualification fields, and `custom` for intent, party, bedrooms,
 * budget precision and emergencies. Only what the message names is set, so a
 * later message updates what it mentions and leaves the rest.
 */
export interface QualificationFacts {
  serviceInterest?: string;
  urgency?: 'high' | 'medium' | 'low';
  timeline?: string;
  budgetRange?: string;
  custom: Record<string, string>;
}

export function formatTimeline(date: NonNullable<Understanding['date']>): string {
  return date.end && date.end !== date.start ? `${date.start} to ${date.end}` : date.start;
}

/** `[CUR ]<max>` or `[CUR ]<min>-<max>` (e.g. `EUR 600000`, `USD 1000-1500`). */
export function formatBudgetRange(budget: NonNullable<Understanding['budget']>): string {
  const amount = budget.min !== undefined ? `${budget.min}-${budget.max}` : String(budget.max);
  return budget.currency ? `${budget.currency} ${amount}` : amount;
}

export function qualificationFacts(u: Understanding, existing: Qualification): QualificationFacts {
  const facts: QualificationFacts = { custom: {} };
  if (u.service) facts.serviceInterest = u.service.name;
  if (u.emergency) {
    facts.urgency = 'high';
    facts.custom.emergency = 'yes';
    facts.custom.urgencySource = 'words';
  } else if (u.urgency) {
    // What the visitor said about urgency ("es bastante urgente") outlives a date given later;
    // an urgency read from an earlier date gives way to the new one.
    const saidEarlier = existing.urgency !== undefined && existing.custom?.urgencySource !== 'date';
    if (!(u.urgencyFromDate && saidEarlier)) {
      facts.urgency = u.urgency;
      facts.custom.urgencySource = u.urgencyFromDate ? 'date' : 'words';
    }
  }
  if (u.date) facts.timeline = formatTimeline(u.date);
  if (u.budget) {
    facts.budgetRange = formatBudgetRange(u.budget);
    facts.custom.budgetApproximate = u.budget.approximate ? 'yes' : 'no';
  }
  if (u.party) {
    facts.custom.partySize = String(u.party.total);
    if (u.party.adults !== undefined) facts.custom.adults = String(u.party.adults);
    if (u.party.children !== undefined) facts.custom.children = String(u.party.children);
  }
  if (u.bedrooms !== undefined) facts.custom.bedrooms = String(u.bedrooms);
  // "ok thanks" says nothing about what the lead wants: it keeps the intent already known.
  if (u.intent !== 'other' || !existing.custom?.intent) facts.custom.intent = u.intent;
  return facts;
}
