import { Migration } from '@mikro-orm/migrations';

/**
 * Follow-ups, review capture, digests and retention (issue 14):
 * - `automation_settings`: one document per tenant (shared schema follow-ups.ts).
 * - `follow_up_runs`: one silent-lead sequence per triggering message of ours
 *   (`trigger_message_id` unique: the same message never starts two runs);
 *   `next_step` only moves forward under the row lock, which with the
 *   message's external id `follow-up:<run>:<step>` makes each step happen once.
 * - `follow_up_opt_outs`: a lead (or an anonymous visitor's conversation) that said STOP, in any
 *   language, gets nothing automated again.
 * - `review_requests`: at most one per lead (primary key), with its redirect token and click count.
 * - `digest_sends`: one row per tenant and period, claimed before the email goes out.
 * - `conversation_events.detail` and the new kinds: every step shows on the staff timeline.
 */
export class Migration20261203060000FollowUps extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "automation_settings" ("client_id" uuid not null primary key references "clients" ("id") on delete cascade,
        "settings" jsonb not null, "updated_at" timestamptz not null default now())`,
    );
    this.addSql(
      `create table "follow_up_runs" ("id" uuid not null primary key,
        "client_id" uuid not null references "clients" ("id") on delete cascade,
        "conversation_id" uuid not null references "conversations" ("id") on delete cascade,
        "lead_id" uuid null references "leads" ("id") on delete set null,
        "key" varchar(40) not null, "channel" varchar(16) not null,
        "trigger_message_id" uuid null, "trigger_seq" int not null,
        "status" varchar(16) not null default 'active', "next_step" int not null default 0, "total_steps" int not null,
        "anchor_at" timestamptz not null, "next_due_at" timestamptz null,
        "stopped_reason" varchar(16) null, "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now())`,
    );
    this.addSql(
      `create unique index "follow_up_runs_trigger_unique" on "follow_up_runs" ("trigger_message_id") where "trigger_message_id" is not null`,
    );
    this.addSql(
      `create index "follow_up_runs_active_index" on "follow_up_runs" ("client_id", "conversation_id") where "status" = 'active'`,
    );
    this.addSql(
      `create index "follow_up_runs_conversation_index" on "follow_up_runs" ("conversation_id", "created_at")`,
    );
    this.addSql(
      `create table "follow_up_sends" ("run_id" uuid not null references "follow_up_runs" ("id") on delete cascade,
        "step" int not null, "client_id" uuid not null references "clients" ("id") on delete cascade,
        "conversation_id" uuid not null, "message_id" uuid not null, "via" varchar(16) not null,
        "sent_at" timestamptz not null, primary key ("run_id", "step"))`,
    );
    this.addSql(`create index "follow_up_sends_client_sent_index" on "follow_up_sends" ("client_id", "sent_at")`);
    this.addSql(
      `create table "follow_up_opt_outs" ("id" uuid not null primary key,
        "client_id" uuid not null references "clients" ("id") on delete cascade,
        "lead_id" uuid null references "leads" ("id") on delete cascade,
        "conversation_id" uuid null references "conversations" ("id") on delete cascade,
        "word" varchar(40) not null, "channel" varchar(16) not null, "created_at" timestamptz not null default now())`,
    );
    // On the lead when there is one (every channel, every conversation), else on the conversation (an anonymous visitor).
    this.addSql(
      `create unique index "follow_up_opt_outs_lead_unique" on "follow_up_opt_outs" ("lead_id") where "lead_id" is not null`,
    );
    this.addSql(
      `create unique index "follow_up_opt_outs_conversation_unique" on "follow_up_opt_outs" ("conversation_id") where "lead_id" is null`,
    );
    this.addSql(
      `create table "review_requests" ("lead_id" uuid not null primary key references "leads" ("id") on delete cascade,
        "client_id" uuid not null references "clients" ("id") on delete cascade,
        "conversation_id" uuid null references "conversations" ("id") on delete set null,
        "token" varchar(64) not null unique, "link" text not null, "trigger" varchar(16) not null,
        "status" varchar(16) not null default 'pending', "message_id" uuid null,
        "clicks" int not null default 0, "first_clicked_at" timestamptz null,
        "created_at" timestamptz not null default now(), "sent_at" timestamptz null)`,
    );
    this.addSql(
      `create table "digest_sends" ("client_id" uuid not null references "clients" ("id") on delete cascade,
        "period" varchar(40) not null, "status" varchar(16) not null default 'sending', "figures" jsonb null,
        "created_at" timestamptz not null default now(), "sent_at" timestamptz null,
        primary key ("client_id", "period"))`,
    );
    this.addSql(`alter table "conversation_events" add column "detail" text null`);
    this.addSql(`alter table "conversation_events" drop constraint if exists "conversation_events_kind_check"`);
    this.addSql(
      `alter table "conversation_events" add constraint "conversation_events_kind_check" check ("kind" in
        ('takeover', 'handback', 'assigned', 'unassigned', 'follow_up_sent', 'follow_up_stopped', 'follow_up_skipped', 'review_requested'))`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "conversation_events" where "kind" like 'follow_up_%' or "kind" = 'review_requested'`);
    this.addSql(`alter table "conversation_events" drop constraint if exists "conversation_events_kind_check"`);
    this.addSql(
      `alter table "conversation_events" add constraint "conversation_events_kind_check" check ("kind" in ('takeover', 'handback', 'assigned', 'unassigned'))`,
    );
    this.addSql(`alter table "conversation_events" drop column "detail"`);
    for (const t of [
      'digest_sends',
      'review_requests',
      'follow_up_opt_outs',
      'follow_up_sends',
      'follow_up_runs',
      'automation_settings',
    ]) {
      this.addSql(`drop table if exists "${t}"`);
    }
  }
}
