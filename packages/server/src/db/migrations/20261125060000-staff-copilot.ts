import { Migration } from '@mikro-orm/migrations';

/**
 * Staff copilot (issue 8): every "Suggest reply" draft and what became of it
 * (sent as is, edited, discarded), so a business can see how useful the
 * copilot is; and when a conversation was last assigned (the no-reply timer
 * starts there).
 */
export class Migration20261125060000StaffCopilot extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "copilot_suggestions" ("id" uuid not null, "client_id" uuid not null, "conversation_id" uuid not null, "user_id" uuid null, "draft" text not null, "engine" varchar(64) not null, "outcome" text check ("outcome" in ('pending', 'sent_as_is', 'edited', 'discarded')) not null default 'pending', "message_id" uuid null, "created_at" timestamptz not null, "resolved_at" timestamptz null, constraint "copilot_suggestions_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "copilot_suggestions_client_id_created_at_index" on "copilot_suggestions" ("client_id", "created_at")`,
    );
    this.addSql(
      `alter table "copilot_suggestions" add constraint "copilot_suggestions_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "copilot_suggestions" add constraint "copilot_suggestions_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "copilot_suggestions" add constraint "copilot_suggestions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete set null`,
    );
    this.addSql(`alter table "conversations" add column "assigned_at" timestamptz null`);
  }
}
