import { Migration } from '@mikro-orm/migrations';

/**
 * Appointment booking through Cal.com (issue 15):
 * - `calcom_settings`: one row per tenant; the API key and webhook secret are
 *   sealed with the SecretBox (only their last 4 characters in clear).
 * - `bookings`: a row per booking request. `(client_id, request_key)` is
 *   unique, so the same request (a double click on a slot, a retried staff
 *   call, two processes answering the same quick reply) books once;
 *   `(client_id, calendar_uid)` is unique, so a webhook finds its row.
 * - `booking_offers`: the three slots offered in a conversation, so that the
 *   visitor's choice (a quick reply id, or "2" by SMS) is read against what
 *   was offered, on any process.
 */
export class Migration20261203030000Bookings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "calcom_settings" (
      "client_id" uuid not null primary key references "clients" ("id") on delete cascade,
      "api_key" text not null,
      "api_key_last4" varchar(8) not null,
      "webhook_secret" text null,
      "webhook_secret_last4" varchar(8) null,
      "default_event_type_id" integer not null,
      "event_types" jsonb not null default '[]',
      "booking_window_days" smallint not null default 14,
      "buffer_minutes" integer not null default 60,
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql(`create table "bookings" (
      "id" uuid not null primary key,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "lead_id" uuid null references "leads" ("id") on delete set null,
      "conversation_id" uuid null references "conversations" ("id") on delete set null,
      "request_key" varchar(200) not null,
      "calendar_uid" varchar(200) null,
      "event_type_id" integer not null,
      "service" varchar(200) null,
      "starts_at" timestamptz not null,
      "ends_at" timestamptz null,
      "status" varchar(16) not null check ("status" in ('pending', 'booked', 'cancelled', 'failed')),
      "created_by" varchar(16) not null check ("created_by" in ('lead', 'staff', 'calendar')),
      "language" varchar(16) null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql(`create unique index "bookings_request_key_unique" on "bookings" ("client_id", "request_key")`);
    this.addSql(
      `create unique index "bookings_calendar_uid_unique" on "bookings" ("client_id", "calendar_uid") where "calendar_uid" is not null`,
    );
    this.addSql(`create index "bookings_lead_index" on "bookings" ("client_id", "lead_id", "starts_at")`);
    this.addSql(`create table "booking_offers" (
      "id" uuid not null primary key,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "conversation_id" uuid not null references "conversations" ("id") on delete cascade,
      "lead_id" uuid null references "leads" ("id") on delete set null,
      "booking_id" uuid null references "bookings" ("id") on delete cascade,
      "service" varchar(200) null,
      "event_type_id" integer not null,
      "slots" jsonb not null,
      "language" varchar(16) not null,
      "status" varchar(16) not null default 'open' check ("status" in ('open', 'used', 'closed')),
      "created_at" timestamptz not null default now()
    )`);
    this.addSql(
      `create index "booking_offers_open_index" on "booking_offers" ("client_id", "conversation_id", "created_at") where "status" = 'open'`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "booking_offers"');
    this.addSql('drop table if exists "bookings"');
    this.addSql('drop table if exists "calcom_settings"');
  }
}
