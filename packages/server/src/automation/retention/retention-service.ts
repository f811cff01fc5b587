import type { RetentionReport } from '@leaddesk/shared';
import type { Orm } from '../../db/orm.js';
import { type Sql, sqlOf } from '../../db/sql.js';
import type { Jobs } from '../../jobs/job-queue.js';
import type { Logger } from '../../logger.js';
import { deleteConversationTraces } from '../../privacy/conversation-traces.js';
import { forgetInRollups, rollupInstantsOf } from '../../reports/forget-rows.js';
import type { AutomationClock } from '../sequences/automation-clock.js';
import type { AutomationSettingsStore } from '../sequences/automation-settings.js';

export const RETENTION_QUEUE = 'retention';
export const RETENTION_JOB = 'retention.apply';

export interface RetentionJob {
  clientId: string;
  /** The automation-time day this run belongs to (one run per tenant per day). */
  day: string;
}

export interface RetentionServiceOptions {
  orm: Orm;
  jobs: Jobs;
  settings: AutomationSettingsStore;
  clock: AutomationClock;
  logger: Logger;
  /** How often tenants with a retention period get their daily job queued (real ms). @default 3600000 */
  everyMs?: number;
}

/** What is due: conversations quiet since before the cutoff, leads with nothing newer. */
const DUE_CONVERSATIONS = `from conversations c where c.client_id = ? and coalesce(c.last_message_at, c.created_at) < ?`;
const DUE_LEADS = `from leads l where l.client_id = ? and greatest(l.created_at, coalesce(l.last_contact_at, l.created_at)) < ?
  and not exists (select 1 from conversations c where c.lead_id = l.id and coalesce(c.last_message_at, c.created_at) >= ?)`;
/** Anonymising twice changes nothing, so what is already anonymous is not counted again. */
const IDENTIFYING_LEAD = `(l.name is not null or l.email is not null or l.phone is not null or l.handles <> '{}'::jsonb)`;
const IDENTIFYING_CONVERSATION = `exists (select 1 from messages m where m.conversation_id = c.id and m.role = 'visitor'
  and m.content <> '[removed]')`;

/**
 * Data retention (issue 14): conversations and leads older than the tenant's
 * retention period are deleted or anonymised, by a daily job per tenant (job
 * id tenant + day) or on request; a dry run counts what would go first.
 * Everything is scoped by client_id and runs in one transaction.
 */
export class RetentionService {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RetentionServiceOptions) {}

  private get sql(): Sql {
    return sqlOf(this.options.orm);
  }

  async startWorkers(): Promise<void> {
    await this.options.jobs.work<RetentionJob>(RETENTION_QUEUE, async (job) => {
      if (job.name !== RETENTION_JOB) return;
      const report = await this.apply(job.data.clientId, false);
      if (report.conversations || report.leads)
        this.options.logger.info({ ...report, clientId: job.data.clientId }, 'retention applied');
    });
    const tick = () => {
      this.timer = setTimeout(() => {
        this.scheduleAll()
          .catch((err: unknown) => this.options.logger.warn({ err }, 'retention scheduling failed'))
          .finally(() => {
            if (this.timer) tick();
          });
      }, this.options.everyMs ?? 3_600_000);
      this.timer.unref();
    };
    await this.scheduleAll().catch((err: unknown) => this.options.logger.warn({ err }, 'retention scheduling failed'));
    tick();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  async scheduleAll(): Promise<void> {
    const rows = await this.sql.query<{ client_id: string }[]>(
      `select client_id from automation_settings where settings->'retention'->>'days' is not null
         and settings->'retention'->>'days' <> 'null'`,
    );
    const day = this.options.clock.now().toISOString().slice(0, 10);
    for (const r of rows) {
      await this.options.jobs.add(
        RETENTION_QUEUE,
        RETENTION_JOB,
        { clientId: r.client_id, day },
        { jobId: `retention.${r.client_id}.${day}`, attempts: 3 },
      );
    }
  }

  /** Counts (dry run) or removes what is past the tenant's retention period. */
  async apply(clientId: string, dryRun: boolean): Promise<RetentionReport> {
    const { days, mode } = (await this.options.settings.get(clientId)).retention;
    if (days === null) return { dryRun, mode, cutoff: null, conversations: 0, leads: 0 };
    const cutoff = new Date(this.options.clock.now().getTime() - days * 86_400_000);
    const anonymise = mode === 'anonymise';
    const convWhere = `${DUE_CONVERSATIONS}${anonymise ? ` and ${IDENTIFYING_CONVERSATION}` : ''}`;
    const leadWhere = `${DUE_LEADS}${anonymise ? ` and ${IDENTIFYING_LEAD}` : ''}`;
    return this.sql.transaction(async (tx) => {
      const conversations = await tx.query<{ id: string }[]>(`select c.id ${convWhere} for update of c`, [
        clientId,
        cutoff,
      ]);
      const leads = await tx.query<{ id: string }[]>(`select l.id ${leadWhere} for update of l`, [
        clientId,
        cutoff,
        cutoff,
      ]);
      const report: RetentionReport = {
        dryRun,
        mode,
        cutoff: cutoff.toISOString(),
        conversations: conversations.length,
        leads: leads.length,
      };
      if (dryRun) return report;
      const convIds = conversations.map((c) => c.id);
      const leadIds = leads.map((l) => l.id);
      const rolledUp = await rollupInstantsOf(tx, clientId, convIds, leadIds);
      if (anonymise) {
        if (convIds.length) {
          await tx.query(
            `update messages set content = '[removed]', attachments = '[]'::jsonb, ai = null
             where client_id = ? and role = 'visitor' and conversation_id = any(?::uuid[])`,
            [clientId, `{${convIds.join(',')}}`],
          );
          await tx.query(
            `update conversations set summary = null, visitor_id = null where client_id = ? and id = any(?::uuid[])`,
            [clientId, `{${convIds.join(',')}}`],
          );
        }
        if (leadIds.length) {
          await tx.query(
            `update leads set name = null, email = null, phone = null, handles = '{}'::jsonb, qualification = '{}'::jsonb,
               score_evidence = '[]'::jsonb, updated_at = now() where client_id = ? and id = any(?::uuid[])`,
            [clientId, `{${leadIds.join(',')}}`],
          );
        }
      } else {
        // What the conversations and leads left outside their foreign keys (knowledge gaps, outbox copies,
        // automation firings) goes with them, as on erasure.
        if (convIds.length || leadIds.length) await deleteConversationTraces(tx, clientId, convIds, leadIds);
        if (convIds.length) {
          await tx.query('delete from conversations where client_id = ? and id = any(?::uuid[])', [
            clientId,
            `{${convIds.join(',')}}`,
          ]);
        }
        if (leadIds.length) {
          await tx.query('delete from leads where client_id = ? and id = any(?::uuid[])', [
            clientId,
            `{${leadIds.join(',')}}`,
          ]);
        }
      }
      // The report rollups hold visitors' questions as text: the days of what was removed are rewritten.
      await forgetInRollups(tx, clientId, rolledUp);
      return report;
    });
  }
}
