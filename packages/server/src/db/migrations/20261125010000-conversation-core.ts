import { Migration } from '@mikro-orm/migrations';

/**
 * Conversation core (issue 3): at most one open conversation per widget
 * visitor, so two first messages racing from two tabs land in one thread.
 */
export class Migration20261125010000ConversationCore extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create unique index "conversations_open_visitor_unique" on "conversations" ("client_id", "visitor_id") where "visitor_id" is not null and "status" <> 'ended'`,
    );
    this.addSql(
      `create index "escalations_conversation_id_reason_status_index" on "escalations" ("conversation_id", "reason", "status")`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "conversations_open_visitor_unique"');
    this.addSql('drop index if exists "escalations_conversation_id_reason_status_index"');
  }
}
