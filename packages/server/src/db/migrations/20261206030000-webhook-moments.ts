import { Migration } from '@mikro-orm/migrations';

/**
 * Moments that outgoing webhooks announce but no other row keeps: a lead's
 * status change, a lead turning hot, a booking made, moved or cancelled.
 * The webhook outbox is written after the change commits, so a process that
 * dies in between would lose the event; with the moment stored in the change's
 * own transaction, the outbox catch-up (outgoing-webhooks/catch-up.ts) finds
 * moments with no event and records them.
 *
 * Lead moments are written by a trigger, so every path that changes a lead
 * (the core, staff, rules, bookings, the CRM's webhooks, whatever comes next)
 * records them without remembering to. `at` is the lead's `updated_at` as the
 * change wrote it, to the millisecond: the instant (`LeadDto.updatedAt`) the
 * live path's event key is built from.
 * Booking moments are written by the booking service, which alone knows who
 * made the change. Neither holds personal data.
 */
export class Migration20261206030000WebhookMoments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "lead_moments" (
      "id" bigserial primary key,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "lead_id" uuid not null references "leads" ("id") on delete cascade,
      "kind" varchar(16) not null check ("kind" in ('status', 'hot')),
      "from_status" varchar(32) null,
      "to_status" varchar(32) null,
      "at" timestamptz not null,
      "created_at" timestamptz not null default now()
    )`);
    this.addSql(`create index "lead_moments_recent" on "lead_moments" ("client_id", "created_at")`);
    // Moments older than two days are pruned by the sweep (catch-up-moments.ts): an index range too.
    this.addSql(`create index "lead_moments_created_at" on "lead_moments" ("created_at")`);
    this.addSql(`create function ld_record_lead_moments() returns trigger language plpgsql as $$
      begin
        if new.status is distinct from old.status then
          insert into lead_moments (client_id, lead_id, kind, from_status, to_status, at)
          values (new.client_id, new.id, 'status', old.status, new.status, date_trunc('milliseconds', new.updated_at));
        end if;
        if new.temperature = 'hot' and old.temperature is distinct from 'hot' then
          insert into lead_moments (client_id, lead_id, kind, at) values (new.client_id, new.id, 'hot', date_trunc('milliseconds', new.updated_at));
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger "leads_moments" after update of "status", "temperature" on "leads"
      for each row execute function ld_record_lead_moments()`);

    this.addSql(`create table "booking_changes" (
      "id" bigserial primary key,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "booking_id" uuid not null references "bookings" ("id") on delete cascade,
      "change" varchar(16) not null check ("change" in ('created', 'rescheduled', 'cancelled')),
      "by" varchar(16) not null,
      "starts_at" timestamptz not null,
      "ends_at" timestamptz null,
      "created_at" timestamptz not null default now()
    )`);
    this.addSql(`create index "booking_changes_recent" on "booking_changes" ("client_id", "created_at")`);
    this.addSql(`create index "booking_changes_created_at" on "booking_changes" ("created_at")`);
    // The catch-up reads a tenant's recent takeovers every sweep: an index range, not a scan of the history.
    this.addSql(
      `create index "conversation_events_takeovers" on "conversation_events" ("client_id", "created_at") where "kind" = 'takeover'`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index "conversation_events_takeovers"');
    this.addSql('drop table "booking_changes"');
    this.addSql('drop trigger "leads_moments" on "leads"');
    this.addSql('drop function ld_record_lead_moments()');
    this.addSql('drop table "lead_moments"');
  }
}
