import { Migration } from '@mikro-orm/migrations';

/**
 * Automation rules and business hours (issue 14):
 * - `automation_rules`: a tenant's rules (trigger, conditions, actions as JSON
 *   validated by the shared schemas).
 * - `automation_rule_firings`: the log of every firing; `firing_key` (rule,
 *   lead or conversation, trigger moment) is unique, and a firing is claimed
 *   by inserting it before any action runs, so the same moment fires once
 *   across processes and restarts.
 * - `automation_defaults`: a tenant's industry-template rules were installed
 *   (once; deleting them does not bring them back).
 * - `lead_tags`: tags added by rules (and later by staff).
 * - `callback_tasks`: promises made after hours, due at the next opening, one
 *   per conversation and opening.
 */
export class Migration20261203050000AutomationRules extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "automation_rules" (
        "id" uuid not null primary key,
        "client_id" uuid not null references "clients" ("id") on delete cascade,
        "name" varchar(120) not null,
        "enabled" boolean not null default true,
        "trigger_kind" varchar(32) not null,
        "trigger" jsonb not null,
        "conditions" jsonb not null default '{}',
        "actions" jsonb not null,
        "source" varchar(16) not null default 'custom',
        "created_at" timestamptz not null default now(),
        "updated_at" timestamptz not null default now())`,
    );
    this.addSql(
      `create index "automation_rules_client_kind_index" on "automation_rules" ("client_id", "trigger_kind")`,
    );
    this.addSql(
      `create table "automation_rule_firings" (
        "id" uuid not null primary key,
        "client_id" uuid not null references "clients" ("id") on delete cascade,
        "rule_id" uuid not null references "automation_rules" ("id") on delete cascade,
        "rule_name" varchar(120) not null,
        "trigger_kind" varchar(32) not null,
        "firing_key" varchar(300) not null,
        "lead_id" uuid null,
        "conversation_id" uuid null,
        "hours_mode" varchar(16) not null,
        "actions" jsonb not null default '[]',
        "fired_at" timestamptz not null default now(),
        constraint "automation_rule_firings_key_unique" unique ("client_id", "firing_key"))`,
    );
    this.addSql(
      `create index "automation_rule_firings_client_fired_index" on "automation_rule_firings" ("client_id", "fired_at" desc)`,
    );
    this.addSql(
      `create table "automation_defaults" (
        "client_id" uuid not null primary key references "clients" ("id") on delete cascade,
        "installed_at" timestamptz not null default now())`,
    );
    this.addSql(
      `create table "lead_tags" (
        "client_id" uuid not null references "clients" ("id") on delete cascade,
        "lead_id" uuid not null references "leads" ("id") on delete cascade,
        "tag" varchar(50) not null,
        "created_at" timestamptz not null default now(),
        primary key ("lead_id", "tag"))`,
    );
    this.addSql(`create index "lead_tags_client_tag_index" on "lead_tags" ("client_id", "tag")`);
    this.addSql(
      `create table "callback_tasks" (
        "id" uuid not null primary key,
        "client_id" uuid not null references "clients" ("id") on delete cascade,
        "conversation_id" uuid not null references "conversations" ("id") on delete cascade,
        "lead_id" uuid null references "leads" ("id") on delete set null,
        "mode" varchar(16) not null,
        "due_at" timestamptz not null,
        "status" varchar(8) not null default 'open',
        "created_at" timestamptz not null default now(),
        constraint "callback_tasks_conversation_due_unique" unique ("conversation_id", "due_at"))`,
    );
    this.addSql(`create index "callback_tasks_client_due_index" on "callback_tasks" ("client_id", "status", "due_at")`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "callback_tasks"');
    this.addSql('drop table if exists "lead_tags"');
    this.addSql('drop table if exists "automation_defaults"');
    this.addSql('drop table if exists "automation_rule_firings"');
    this.addSql('drop table if exists "automation_rules"');
  }
}
