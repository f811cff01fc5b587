import { Migration } from '@mikro-orm/migrations';

/**
 * A staff digest goes out once per recipient, even across a crash or two processes (issue 14).
 *
 * - `digest_sends` (one row per tenant and period) becomes a claim with a lease: `lease_until` (database
 *   time) says how long the process that claimed it may send; `attempts` counts claims and fences a holder
 *   whose lease was taken over; `slot_at` is the slot's instant, so a sweep can queue a period again whose
 *   holder died mid-send.
 * - `digest_deliveries`: one row per tenant, period and recipient, `sending` before the email goes out and
 *   `sent` after; a retried claim skips the recipients already sent.
 */
export class Migration20261205020300DigestClaims extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "digest_sends" add column "slot_at" timestamptz null, add column "lease_until" timestamptz null,
        add column "attempts" int not null default 0`,
    );
    this.addSql(
      `create index "digest_sends_expired_claims" on "digest_sends" ("lease_until") where "status" = 'sending'`,
    );
    this.addSql(
      `create table "digest_deliveries" ("client_id" uuid not null, "period" varchar(40) not null,
        "user_id" uuid not null, "email" varchar(320) not null, "status" varchar(16) not null default 'sending',
        "attempts" int not null default 1, "message_id" text null, "error" text null,
        "created_at" timestamptz not null default now(), "sent_at" timestamptz null,
        primary key ("client_id", "period", "user_id"),
        foreign key ("client_id", "period") references "digest_sends" ("client_id", "period") on delete cascade)`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "digest_deliveries"');
    this.addSql('drop index if exists "digest_sends_expired_claims"');
    this.addSql('alter table "digest_sends" drop column "slot_at", drop column "lease_until", drop column "attempts"');
  }
}
