import { canTransitionLead, type LeadDto, type LeadStatus } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IClient, type ILead, Lead } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';

export async function getLead(em: EntityManager, client: IClient, id: string): Promise<ILead> {
  // Scoped by client: another tenant's lead is "not found", never "forbidden".
  const lead = await em.findOne(Lead, { id, client: client.id });
  if (!lead) throw AppError.notFound('lead');
  return lead;
}

/** Moves a lead along its lifecycle, refusing transitions the table does not allow. */
export async function changeLeadStatus(em: EntityManager, lead: ILead, to: LeadStatus): Promise<ILead> {
  const from = lead.status as LeadStatus;
  if (from === to) return lead;
  if (!canTransitionLead(from, to)) {
    throw new AppError('invalid_transition', `a lead cannot move from "${from}" to "${to}"`);
  }
  lead.status = to;
  await em.flush();
  return lead;
}

export function leadToDto(lead: ILead): LeadDto {
  const assignee = lead.assignee as { id: string } | null | undefined;
  return {
    id: lead.id,
    name: lead.name ?? null,
    email: lead.email ?? null,
    phone: lead.phone ?? null,
    language: lead.language ?? null,
    source: lead.source,
    qualification: { ...lead.qualification, custom: lead.qualification.custom ?? {} },
    score: lead.score ?? null,
    temperature: lead.temperature,
    scoreEvidence: lead.scoreEvidence,
    status: lead.status,
    appointmentAt: lead.appointmentAt ? lead.appointmentAt.toISOString() : null,
    assigneeId: assignee?.id ?? null,
    crmId: lead.crmId ?? null,
    createdAt: lead.createdAt.toISOString(),
    updatedAt: lead.updatedAt.toISOString(),
  };
}
