import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import { LEAD_ID_PROPERTY } from './hubspot-payload.js';
import { CRM_QUEUE, type HubSpotSync } from './hubspot-sync.js';

export const ERASE_CONTACT_JOB = 'hubspot.erase-contact';

/**
 * A lead was erased (issue 18): its HubSpot contact, deal and note are
 * archived. The ids are those the sync had stored (the job carries ids only,
 * nothing personal); the records that carry the lead's id property are found
 * by search too, which also catches a contact created by a sync that was in
 * flight when the lead was erased. For that case the job runs a second pass
 * once a sync's lease and coalescing delay have surely passed.
 */
export interface EraseContactJob {
  clientId: string;
  leadId: string;
  contactIds: string[];
  dealIds: string[];
  noteIds: string[];
  pass: 1 | 2;
}

export interface HubSpotEraseOptions {
  sync: HubSpotSync;
  jobs: Jobs;
  logger: Logger;
  /** When the second pass runs after the first (ms): a sync's lease plus its delay. */
  secondPassDelayMs: number;
}

export function enqueueHubSpotErase(jobs: Jobs, job: EraseContactJob, delayMs = 0): Promise<void> {
  return jobs.add(CRM_QUEUE, ERASE_CONTACT_JOB, job, {
    jobId: `hubspot-erase-${job.leadId}-${job.pass}`,
    delayMs,
    attempts: 8,
  });
}

export function hubspotEraseHandler(options: HubSpotEraseOptions) {
  return async (job: EraseContactJob): Promise<void> => {
    const connection = await options.sync.connection(job.clientId);
    // No connection (or it was removed since): nothing of the lead can be in a HubSpot we may reach.
    if (!connection) return;
    const hubspot = options.sync.clientFor(connection);
    const contacts = new Set(job.contactIds);
    const deals = new Set(job.dealIds);
    for (const c of await hubspot.searchContacts({ leadId: job.leadId })) contacts.add(c.id);
    for (const d of await hubspot.searchDeals(LEAD_ID_PROPERTY, job.leadId)) deals.add(d.id);
    // Notes first, the contact last: a retry after a failure still knows the contact to look for.
    for (const id of job.noteIds) await hubspot.archive('notes', id);
    for (const id of deals) await hubspot.archive('deals', id);
    for (const id of contacts) await hubspot.archive('contacts', id);
    options.logger.info(
      { clientId: job.clientId, leadId: job.leadId, contacts: contacts.size, deals: deals.size, pass: job.pass },
      'HubSpot records of an erased lead archived',
    );
    if (job.pass === 1) {
      await enqueueHubSpotErase(
        options.jobs,
        { ...job, contactIds: [], dealIds: [], noteIds: [], pass: 2 },
        options.secondPassDelayMs,
      );
    }
  };
}
