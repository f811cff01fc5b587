import { Migration } from '@mikro-orm/migrations';

/**
 * Outgoing webhooks (issue 15). Named `outgoing_webhook_*` so they are never
 * confused with the incoming provider webhooks (`webhook_events`, the inbox).
 * - endpoints: a tenant's receiver URL, its subscribed event types, the
 *   Standard Webhooks secret sealed with the SecretBox (plus its last 4), and
 *   `failing_since` (first failure since the last success) for auto-disable.
 * - events: the outbox. One row per event a tenant's endpoints wanted, with the
 *   exact body that is signed on every attempt; `dedup_key` (derived from the
 *   domain event) makes recording the same fact twice a no-op.
 * - deliveries: one per (endpoint, event), the retry state; `leased_until`
 *   marks an attempt in flight (a killed process's lease runs out and the sweep
 *   enqueues the delivery again).
 * - attempts: the per-attempt log shown in the dashboard.
 */
export class Migration20261203020000OutgoingWebhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "outgoing_webhook_endpoints" (
      "id" uuid primary key,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "url" text not null,
      "description" varchar(200) not null default '',
      "events" text[] not null,
      "secret_sealed" text not null,
      "secret_last4" varchar(8) not null,
      "enabled" boolean not null default true,
      "disabled_reason" text null,
      "disabled_at" timestamptz null,
      "failing_since" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    )`);
    this.addSql(`create index "outgoing_webhook_endpoints_client_index" on "outgoing_webhook_endpoints" ("client_id")`);

    this.addSql(`create table "outgoing_webhook_events" (
      "id" varchar(64) primary key,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "type" varchar(64) not null,
      "dedup_key" varchar(300) not null,
      "body" text not null,
      "created_at" timestamptz not null default now()
    )`);
    this.addSql(
      `create unique index "outgoing_webhook_events_dedup_unique" on "outgoing_webhook_events" ("client_id", "dedup_key")`,
    );

    this.addSql(`create table "outgoing_webhook_deliveries" (
      "id" uuid primary key,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "endpoint_id" uuid not null references "outgoing_webhook_endpoints" ("id") on delete cascade,
      "event_id" varchar(64) not null references "outgoing_webhook_events" ("id") on delete cascade,
      "status" varchar(16) not null default 'pending',
      "attempts" int not null default 0,
      "replays" int not null default 0,
      "next_attempt_at" timestamptz not null,
      "first_attempt_at" timestamptz null,
      "leased_until" timestamptz null,
      "last_error" text null,
      "delivered_at" timestamptz null,
      "created_at" timestamptz not null default now()
    )`);
    this.addSql(
      `create unique index "outgoing_webhook_deliveries_unique" on "outgoing_webhook_deliveries" ("endpoint_id", "event_id")`,
    );
    this.addSql(
      `create index "outgoing_webhook_deliveries_log_index" on "outgoing_webhook_deliveries" ("endpoint_id", "created_at" desc)`,
    );
    this.addSql(
      `create index "outgoing_webhook_deliveries_pending_index" on "outgoing_webhook_deliveries" ("next_attempt_at") where "status" = 'pending'`,
    );

    this.addSql(`create table "outgoing_webhook_attempts" (
      "id" bigserial primary key,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "delivery_id" uuid not null references "outgoing_webhook_deliveries" ("id") on delete cascade,
      "attempt" int not null,
      "started_at" timestamptz not null,
      "duration_ms" int not null,
      "status_code" int null,
      "response_excerpt" text not null default '',
      "error" text null,
      "succeeded" boolean not null
    )`);
    this.addSql(
      `create index "outgoing_webhook_attempts_delivery_index" on "outgoing_webhook_attempts" ("delivery_id", "attempt")`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "outgoing_webhook_attempts"');
    this.addSql('drop table if exists "outgoing_webhook_deliveries"');
    this.addSql('drop table if exists "outgoing_webhook_events"');
    this.addSql('drop table if exists "outgoing_webhook_endpoints"');
  }
}
