import { Migration } from '@mikro-orm/migrations';

/**
 * Access audit (issue 18): opening a lead records who opened it, at most once
 * per caller and lead per hour. Whether such an entry exists is asked on every
 * lead opened, so it gets its own small index (only `lead.viewed` entries).
 */
export class Migration20261206010000LeadViewAudit extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "audit_logs_lead_viewed_index" on "audit_logs" ("target", "user_id", "created_at")
        where "action" = 'lead.viewed'`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "audit_logs_lead_viewed_index"');
  }
}
