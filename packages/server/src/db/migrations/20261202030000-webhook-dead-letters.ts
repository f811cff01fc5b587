import { Migration } from '@mikro-orm/migrations';

/**
 * Poison handling in the webhook inbox (issue 12):
 * - `status`: `pending` (waiting or being processed), `processed`, `dead` (set
 *   aside after its attempts, with its error, for an admin to retry or
 *   discard), `discarded` (kept so an identical redelivery still collapses
 *   on its dedup key instead of failing again).
 * - `next_attempt_at`: a failed event waits this long before it is claimed
 *   again (exponential backoff), instead of sitting claimed for two minutes
 *   beside the events claimed with it.
 * - `dead_at`: when it was set aside.
 * Events the old code gave up on (processed_at set with an error) become `dead`.
 */
export class Migration20261202030000WebhookDeadLetters extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_events" add column "status" varchar(16) not null default 'pending'`);
    this.addSql(`alter table "webhook_events" add column "next_attempt_at" timestamptz null`);
    this.addSql(`alter table "webhook_events" add column "dead_at" timestamptz null`);
    this.addSql(
      `update "webhook_events" set "status" = 'processed' where "processed_at" is not null and "error" is null`,
    );
    this.addSql(
      `update "webhook_events" set "status" = 'dead', "dead_at" = "processed_at", "processed_at" = null
       where "processed_at" is not null and "error" is not null`,
    );
    this.addSql('drop index if exists "webhook_events_unprocessed_index"');
    this.addSql(
      `create index "webhook_events_pending_index" on "webhook_events" ("provider", "id") where "status" = 'pending'`,
    );
    this.addSql(`create index "webhook_events_dead_index" on "webhook_events" ("dead_at") where "status" = 'dead'`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "webhook_events_dead_index"');
    this.addSql('drop index if exists "webhook_events_pending_index"');
    this.addSql(`update "webhook_events" set "processed_at" = "dead_at" where "status" = 'dead'`);
    this.addSql(
      `update "webhook_events" set "processed_at" = coalesce("processed_at", now()) where "status" = 'discarded'`,
    );
    this.addSql(
      `create index "webhook_events_unprocessed_index" on "webhook_events" ("provider", "id") where "processed_at" is null`,
    );
    this.addSql('alter table "webhook_events" drop column "dead_at"');
    this.addSql('alter table "webhook_events" drop column "next_attempt_at"');
    this.addSql('alter table "webhook_events" drop column "status"');
  }
}
