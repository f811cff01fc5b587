import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the insights report (issue 17, docs/reports.md "Insights"), so
 * each of its parts reads the period's rows as an index range:
 * - visitor messages by (tenant, time): the latest questions of a period
 *   without stepping over the AI's and staff's messages (partial, so it
 *   holds only the visitors' share of the table);
 * - knowledge gaps by (tenant, time), resolved ones too (the existing index
 *   holds only the open ones);
 * - booking requests by (tenant, time) for the heat map;
 * - conversations in a prompt experiment by (tenant, time) (partial).
 */
export class Migration20261207020000InsightIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "messages_visitor_client_id_created_at_index" on "messages" ("client_id", "created_at") where "role" = 'visitor'`,
    );
    this.addSql(
      `create index "knowledge_unanswered_questions_client_id_created_at_all_index" on "knowledge_unanswered_questions" ("client_id", "created_at")`,
    );
    this.addSql(`create index "bookings_client_id_created_at_index" on "bookings" ("client_id", "created_at")`);
    this.addSql(
      `create index "conversations_variant_client_id_created_at_index" on "conversations" ("client_id", "created_at") where "prompt_variant" is not null`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "conversations_variant_client_id_created_at_index"');
    this.addSql('drop index if exists "bookings_client_id_created_at_index"');
    this.addSql('drop index if exists "knowledge_unanswered_questions_client_id_created_at_all_index"');
    this.addSql('drop index if exists "messages_visitor_client_id_created_at_index"');
  }
}
