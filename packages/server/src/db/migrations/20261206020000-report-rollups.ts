import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 17's reports read a daily rollup, not the raw tables.
 *
 * `report_daily`: one row per tenant, local day (in the tenant's zone), figure
 * and group. Response-time rows hold a count, the exact sum of seconds and a
 * sparse histogram (bucket → count, `reports/histogram.ts`); inquiry rows hold
 * the lead counts by outcome per service. A (tenant, day) is always rewritten
 * whole from the raw rows, so recomputing it twice changes nothing.
 *
 * `report_rollup_state`: per tenant, how far the raw tables have been rolled
 * up and which hours/zone the rows were computed with. Its row is locked for
 * the duration of a refresh, so two processes never interleave one tenant.
 *
 * The indexes serve the refresh's "what changed since" scans.
 */
export class Migration20261206020000ReportRollups extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "report_daily" (
      "client_id" uuid not null references "clients" ("id") on update cascade on delete cascade,
      "day" date not null,
      "metric" varchar(32) not null,
      "channel" varchar(16) not null,
      "in_hours" boolean not null,
      "service" varchar(200) not null default '',
      "n" integer not null,
      "sum_seconds" double precision not null default 0,
      "histogram" jsonb not null default '{}',
      "qualified" integer not null default 0,
      "booked" integer not null default 0,
      "won" integer not null default 0,
      constraint "report_daily_pkey" primary key ("client_id", "day", "metric", "channel", "in_hours", "service"))`);
    this.addSql(`create table "report_rollup_state" (
      "client_id" uuid not null references "clients" ("id") on update cascade on delete cascade,
      "processed_until" timestamptz null,
      "config_hash" varchar(64) not null default '',
      "updated_at" timestamptz not null default now(),
      constraint "report_rollup_state_pkey" primary key ("client_id"))`);
    this.addSql('create index "leads_client_id_updated_at_index" on "leads" ("client_id", "updated_at")');
    this.addSql('create index "escalations_client_id_created_at_index" on "escalations" ("client_id", "created_at")');
    this.addSql(
      'create index "conversation_events_client_id_created_at_index" on "conversation_events" ("client_id", "created_at")',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "conversation_events_client_id_created_at_index"');
    this.addSql('drop index if exists "escalations_client_id_created_at_index"');
    this.addSql('drop index if exists "leads_client_id_updated_at_index"');
    this.addSql('drop table if exists "report_rollup_state"');
    this.addSql('drop table if exists "report_daily"');
  }
}
