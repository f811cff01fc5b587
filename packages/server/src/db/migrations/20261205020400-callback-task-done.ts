import { Migration } from '@mikro-orm/migrations';

/**
 * Call-back tasks can be completed: who marked one done and when. `done_by`
 * is the staff user (null when a tenant API key did it, or the user was
 * deleted); `done_by_kind` keeps which kind of caller it was either way.
 */
export class Migration20261205020400CallbackTaskDone extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "callback_tasks"
        add column "done_at" timestamptz null,
        add column "done_by" uuid null references "users" ("id") on delete set null,
        add column "done_by_kind" varchar(16) null`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      'alter table "callback_tasks" drop column "done_by_kind", drop column "done_by", drop column "done_at"',
    );
  }
}
