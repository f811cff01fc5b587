import { Migration } from '@mikro-orm/migrations';

/**
 * The insights and lead-scoring reports read daily rollups like `report_daily`
 * (docs/reports.md, "How it is computed: a daily rollup"): one row per tenant,
 * local day and group, rewritten whole with the tenant's `report_daily` day by
 * the same refresh (reports/insight-rollup.ts), so the same lock, overlap and
 * rebuild rules hold.
 *
 * - `report_lead_daily`: the leads created that day by source channel, funnel
 *   stage, temperature, qualified or not, outcome (open, won, lost) and, for
 *   closed leads, the first-response bucket of their first conversation.
 * - `report_follow_up_daily`: follow-up sends per sequence and step, with the
 *   replies and bookings credited to them.
 * - `report_variant_daily`: prompt-variant conversations started that day, their
 *   distinct leads, qualified and hot; `shared_leads` are that day's leads with
 *   a conversation in the same variant on another day, so a period's distinct
 *   leads can be counted exactly from the days.
 * - `report_booking_daily`: booking requests made that day by the appointment's
 *   local weekday and hour.
 *
 * The indexes serve the refresh's "what changed since" scans (bookings and
 * follow-up runs changed since, and a lead's follow-up runs) and the intake
 * drop-off's sample (the AI's messages that asked an intake question).
 */
export class Migration20261208040000InsightRollups extends Migration {
  override async up(): Promise<void> {
    const tenant = `"client_id" uuid not null references "clients" ("id") on update cascade on delete cascade, "day" date not null`;
    this.addSql(`create table "report_lead_daily" (${tenant},
      "channel" varchar(16) not null, "stage" smallint not null, "temperature" varchar(16) not null,
      "qualified" boolean not null, "outcome" varchar(16) not null, "response_bucket" varchar(16) not null default '',
      "n" integer not null,
      constraint "report_lead_daily_pkey" primary key
        ("client_id", "day", "channel", "stage", "temperature", "qualified", "outcome", "response_bucket"))`);
    this.addSql(`create table "report_follow_up_daily" (${tenant},
      "sequence" varchar(40) not null, "step" integer not null,
      "sent" integer not null, "replies" integer not null, "bookings" integer not null,
      constraint "report_follow_up_daily_pkey" primary key ("client_id", "day", "sequence", "step"))`);
    this.addSql(`create table "report_variant_daily" (${tenant},
      "variant" varchar(32) not null, "conversations" integer not null, "leads" integer not null,
      "qualified" integer not null, "hot" integer not null, "shared_leads" uuid[] not null default '{}',
      constraint "report_variant_daily_pkey" primary key ("client_id", "day", "variant"))`);
    this.addSql(`create table "report_booking_daily" (${tenant},
      "weekday" smallint not null, "hour" smallint not null, "requested" integer not null, "booked" integer not null,
      constraint "report_booking_daily_pkey" primary key ("client_id", "day", "weekday", "hour"))`);
    this.addSql('create index "bookings_client_id_updated_at_index" on "bookings" ("client_id", "updated_at")');
    this.addSql(
      'create index "follow_up_runs_client_id_updated_at_index" on "follow_up_runs" ("client_id", "updated_at")',
    );
    this.addSql(
      'create index "follow_up_runs_lead_index" on "follow_up_runs" ("client_id", "lead_id") where "lead_id" is not null',
    );
    // The intake drop-off's sample reads each lead's intake questions: the AI's messages that asked one, a small
    // share of messages, each conversation's found without reading its other messages.
    this.addSql(
      `create index "messages_intake_ask_index" on "messages" ("conversation_id") where "role" = 'ai' and ("ai" ->> 'intent') like 'ask:%'`,
    );
    // Existing tenants' rollups predate these tables: the next refresh rebuilds them.
    this.addSql(`update "report_rollup_state" set "processed_until" = null`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "messages_intake_ask_index"');
    this.addSql('drop index if exists "follow_up_runs_lead_index"');
    this.addSql('drop index if exists "follow_up_runs_client_id_updated_at_index"');
    this.addSql('drop index if exists "bookings_client_id_updated_at_index"');
    this.addSql('drop table if exists "report_booking_daily"');
    this.addSql('drop table if exists "report_variant_daily"');
    this.addSql('drop table if exists "report_follow_up_daily"');
    this.addSql('drop table if exists "report_lead_daily"');
  }
}
