import { createHash } from 'node:crypto';
import type { CrmPropertyField, LeadStatus, Qualification, ScoreEvidence } from '@leaddesk/shared';

/**
 * What a lead becomes in HubSpot: contact properties, deal properties and the
 * note, computed from the lead and its latest conversation. Pure, so the
 * sync can compare it with what was last pushed and send only differences.
 */
export interface LeadForCrm {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  language: string | null;
  source: string;
  qualification: Qualification;
  score: number | null;
  temperature: string;
  scoreEvidence: ScoreEvidence;
  status: LeadStatus;
}

export interface ConversationForCrm {
  id: string;
  summary: string | null;
  /** The latest messages, oldest first. */
  lines: Array<{ role: string; content: string }>;
}

/** Deals and contacts carry the lead's id: a retry after a crash finds what the first try created. */
export const LEAD_ID_PROPERTY = 'leaddesk_lead_id';

export function leadFacts(lead: LeadForCrm, conversationUrl: string | null): Record<CrmPropertyField, string> {
  const q = lead.qualification;
  const intent = [
    q.urgency ? `urgency: ${q.urgency}` : '',
    q.timeline ? `timeline: ${q.timeline}` : '',
    q.budgetRange ? `budget: ${q.budgetRange}` : '',
    q.decisionMaker !== undefined ? `decision maker: ${q.decisionMaker ? 'yes' : 'no'}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return {
    score: lead.score === null ? '' : String(lead.score),
    temperature: lead.temperature,
    evidence: lead.scoreEvidence
      .map((e) => `${e.reason} (${e.points >= 0 ? '+' : ''}${e.points})`)
      .join('; ')
      .slice(0, 2000),
    intent,
    service: q.serviceInterest ?? '',
    language: lead.language ?? '',
    sourceChannel: lead.source,
    conversationLink: conversationUrl ?? '',
  };
}

function mapped(facts: Record<CrmPropertyField, string>, names: Record<CrmPropertyField, string>) {
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(facts) as Array<[CrmPropertyField, string]>) out[names[field]] = value;
  return out;
}

export function contactProperties(
  lead: LeadForCrm,
  facts: Record<CrmPropertyField, string>,
  names: Record<CrmPropertyField, string>,
): Record<string, string> {
  const [first, ...rest] = (lead.name ?? '').trim().split(/\s+/).filter(Boolean);
  return {
    ...(lead.email ? { email: lead.email } : {}),
    ...(lead.phone ? { phone: lead.phone } : {}),
    ...(first ? { firstname: first } : {}),
    ...(rest.length ? { lastname: rest.join(' ') } : {}),
    ...mapped(facts, names),
    [LEAD_ID_PROPERTY]: lead.id,
  };
}

export function dealProperties(
  lead: LeadForCrm,
  facts: Record<CrmPropertyField, string>,
  names: Record<CrmPropertyField, string>,
  stage: { pipelineId: string; stageId: string },
): Record<string, string> {
  const who = lead.name ?? lead.email ?? lead.phone ?? 'Lead';
  const what = lead.qualification.serviceInterest;
  return {
    dealname: `${who}${what ? ` — ${what}` : ''}`.slice(0, 250),
    pipeline: stage.pipelineId,
    dealstage: stage.stageId,
    ...mapped(facts, names),
    [LEAD_ID_PROPERTY]: lead.id,
  };
}

/** The conversation summary as the note's body (HubSpot renders it as HTML). */
export function noteBody(
  lead: LeadForCrm,
  conversation: ConversationForCrm | null,
  link: string | null,
  productName: string,
): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts = [`<p><strong>${esc(productName)} conversation summary</strong></p>`];
  if (conversation?.summary) parts.push(`<p>${esc(conversation.summary)}</p>`);
  const facts = [
    lead.qualification.serviceInterest ? `Service: ${lead.qualification.serviceInterest}` : '',
    lead.score !== null ? `Score: ${lead.score} (${lead.temperature})` : '',
    lead.scoreEvidence.length ? `Why: ${lead.scoreEvidence.map((e) => e.reason).join('; ')}` : '',
    `Status: ${lead.status}`,
  ].filter(Boolean);
  parts.push(`<p>${facts.map(esc).join('<br>')}</p>`);
  if (conversation?.lines.length) {
    parts.push(
      `<p>${conversation.lines
        .map(
          (l) =>
            `${l.role === 'visitor' ? 'Lead' : l.role === 'ai' ? 'Assistant' : 'Staff'}: ${esc(l.content.slice(0, 500))}`,
        )
        .join('<br>')}</p>`,
    );
  }
  if (link) parts.push(`<p><a href="${esc(link)}">Open the conversation in ${esc(productName)}</a></p>`);
  return parts.join('\n').slice(0, 60_000);
}

export function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** The properties whose value differs from what was last pushed. */
export function changed(desired: Record<string, string>, pushed: Record<string, string> | undefined) {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(desired)) if (pushed?.[k] !== v) out[k] = v;
  return out;
}
