import { Migration } from '@mikro-orm/migrations';

/**
 * Conversation events (issue 8): what happened to a conversation besides its
 * messages, for the staff's replay timeline: a staff member took over, it was
 * handed back to the AI, it was assigned or unassigned. Staff-only history:
 * these rows never reach the visitor (not messages, so no sequence number,
 * no widget replay and no outbound delivery).
 */
export class Migration20261125070000ConversationEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "conversation_events" ("id" uuid not null, "client_id" uuid not null, "conversation_id" uuid not null, "kind" text check ("kind" in ('takeover', 'handback', 'assigned', 'unassigned')) not null, "actor_id" uuid null, "subject_id" uuid null, "created_at" timestamptz not null, constraint "conversation_events_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "conversation_events_conversation_id_created_at_index" on "conversation_events" ("conversation_id", "created_at")`,
    );
    this.addSql(
      `alter table "conversation_events" add constraint "conversation_events_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "conversation_events" add constraint "conversation_events_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "conversation_events" add constraint "conversation_events_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "conversation_events" add constraint "conversation_events_subject_id_foreign" foreign key ("subject_id") references "users" ("id") on update cascade on delete set null`,
    );
  }
}
