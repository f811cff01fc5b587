import type { Sql } from '../db/sql.js';
import type { Jobs } from '../jobs/job-queue.js';
import { deleteConversationTraces } from './conversation-traces.js';

export const PRIVACY_QUEUE = 'privacy';
export const ERASE_SWEEP_JOB = 'privacy.erase-sweep';

/** Ids only: the job that finishes an erasure must not carry what was erased. */
export interface EraseSweepJob {
  clientId: string;
  leadId: string;
  conversationIds: string[];
}

/**
 * The erasure's second pass. Work in flight when a lead is erased (a reply
 * that finishes a moment later, a rule reacting to its last event) may still
 * write rows that have no foreign key to the lead: the outgoing webhook
 * outbox copies leads and messages, automation firings name them. Their
 * statements started before the erasure committed, so the erasure could not
 * see them; this job, queued with the erasure and run once that work has
 * surely ended, removes them by the same ids.
 */
export function enqueueEraseSweep(jobs: Jobs, job: EraseSweepJob, delayMs: number): Promise<void> {
  return jobs.add(PRIVACY_QUEUE, ERASE_SWEEP_JOB, job, {
    jobId: `privacy-erase-sweep-${job.leadId}`,
    delayMs,
    attempts: 5,
  });
}

export async function runEraseSweep(sql: Sql, job: EraseSweepJob): Promise<number> {
  return sql.transaction(async (tx) => {
    const traces = await deleteConversationTraces(tx, job.clientId, job.conversationIds, [job.leadId]);
    return traces.outgoingWebhookEvents + traces.automationFirings + traces.knowledgeGaps;
  });
}
