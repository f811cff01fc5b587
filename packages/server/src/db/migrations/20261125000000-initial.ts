import { Migration } from '@mikro-orm/migrations';

/**
 * The whole domain schema. Later issues add columns in new migrations; they do
 * not edit this one.
 */
export class Migration20261125000000Initial extends Migration {
  override async up(): Promise<void> {
    for (const statement of INITIAL_SCHEMA.split(/;\s*\n/)) {
      if (statement.trim()) this.addSql(statement);
    }
    // Lead dedup per client: by E.164 phone and by lower-cased email. Partial
    // unique indexes let many leads have neither.
    this.addSql(
      'create unique index "leads_client_id_phone_unique" on "leads" ("client_id", "phone") where "phone" is not null',
    );
    this.addSql(
      'create unique index "leads_client_id_email_unique" on "leads" ("client_id", "email") where "email" is not null',
    );
    this.addSql(`create index "leads_handles_gin" on "leads" using gin ("handles" jsonb_path_ops)`);
    // The embedded job queue (see jobs/embedded-queue.ts); unused with Redis.
    this.addSql(`create table "job_queue" (
      "id" bigserial primary key,
      "queue" varchar(100) not null,
      "name" varchar(100) not null,
      "data" jsonb not null,
      "status" varchar(16) not null default 'waiting',
      "attempts" int not null default 0,
      "max_attempts" int not null default 3,
      "run_at" timestamptz not null default now(),
      "locked_at" timestamptz null,
      "last_error" text null,
      "dedup_key" varchar(200) null,
      "created_at" timestamptz not null default now(),
      "finished_at" timestamptz null
    )`);
    this.addSql(`create index "job_queue_pick_index" on "job_queue" ("queue", "status", "run_at")`);
    this.addSql(
      `create unique index "job_queue_dedup_unique" on "job_queue" ("queue", "dedup_key") where "dedup_key" is not null`,
    );
  }

  override async down(): Promise<void> {
    for (const table of [
      'job_queue',
      'user_sessions',
      'audit_logs',
      'escalations',
      'messages',
      'conversations',
      'leads',
      'users',
      'usage_logs',
      'qualification_rules',
      'knowledge_chunks',
      'knowledge_bases',
      'clients',
    ]) {
      this.addSql(`drop table if exists "${table}" cascade`);
    }
  }
}

const INITIAL_SCHEMA = `
create table "clients" ("id" uuid not null, "slug" varchar(80) not null, "name" varchar(200) not null, "industry" text check ("industry" in ('dental', 'hotel', 'real_estate', 'other')) not null default 'other', "timezone" varchar(64) not null default 'UTC', "locale" varchar(16) not null default 'en', "plan" text check ("plan" in ('starter', 'growth', 'scale')) not null default 'starter', "status" text check ("status" in ('active', 'paused')) not null default 'active', "config" jsonb not null, "api_key_hash" varchar(64) not null, "api_key_prefix" varchar(20) not null, "site_key" varchar(64) not null, "allowed_origins" jsonb not null, "identity_secret" varchar(64) not null, "channel_settings" jsonb not null, "usage_month" varchar(7) not null default '', "tokens_used_month" bigint not null default 0, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "clients_pkey" primary key ("id"));
alter table "clients" add constraint "clients_slug_unique" unique ("slug");
alter table "clients" add constraint "clients_api_key_hash_unique" unique ("api_key_hash");
alter table "clients" add constraint "clients_site_key_unique" unique ("site_key");
create table "knowledge_bases" ("id" uuid not null, "client_id" uuid not null, "name" varchar(200) not null, "description" text not null default '', "category" varchar(100) not null default 'general', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "knowledge_bases_pkey" primary key ("id"));
create index "knowledge_bases_client_id_index" on "knowledge_bases" ("client_id");
create table "knowledge_chunks" ("id" uuid not null, "client_id" uuid not null, "knowledge_base_id" uuid not null, "source_id" varchar(200) not null, "source_name" varchar(300) not null, "source_type" varchar(20) not null, "position" int not null default 0, "content" text not null, "content_hash" varchar(64) not null, "token_count" int not null default 0, "language" varchar(16) not null default 'simple', "metadata" jsonb not null, "created_at" timestamptz not null, constraint "knowledge_chunks_pkey" primary key ("id"));
create index "knowledge_chunks_client_id_knowledge_base_id_index" on "knowledge_chunks" ("client_id", "knowledge_base_id");
create index "knowledge_chunks_knowledge_base_id_source_id_index" on "knowledge_chunks" ("knowledge_base_id", "source_id");
alter table "knowledge_chunks" add constraint "knowledge_chunks_knowledge_base_id_content_hash_unique" unique ("knowledge_base_id", "content_hash");
create table "qualification_rules" ("id" uuid not null, "client_id" uuid not null, "field" varchar(64) not null, "operator" text check ("operator" in ('equals', 'contains', 'exists', 'gte', 'lte', 'in')) not null, "value" jsonb null, "points" smallint not null, "label" varchar(200) not null, "position" int not null default 0, "created_at" timestamptz not null, constraint "qualification_rules_pkey" primary key ("id"));
create index "qualification_rules_client_id_index" on "qualification_rules" ("client_id");
create table "usage_logs" ("id" uuid not null, "client_id" uuid not null, "model" varchar(100) not null, "day" date not null, "requests" int not null default 0, "input_tokens" bigint not null default 0, "output_tokens" bigint not null default 0, "cache_read_tokens" bigint not null default 0, "cache_write_tokens" bigint not null default 0, constraint "usage_logs_pkey" primary key ("id"));
alter table "usage_logs" add constraint "usage_logs_client_id_model_day_unique" unique ("client_id", "model", "day");
create table "users" ("id" uuid not null, "client_id" uuid null, "email" varchar(254) not null, "name" varchar(200) not null, "role" text check ("role" in ('super_admin', 'admin', 'manager', 'agent', 'viewer')) not null default 'agent', "password_hash" varchar(255) null, "email_verified_at" timestamptz null, "totp_secret" varchar(255) null, "totp_enabled" boolean not null default false, "backup_code_hashes" jsonb not null, "failed_login_count" int not null default 0, "locked_until" timestamptz null, "last_login_at" timestamptz null, "disabled_at" timestamptz null, "created_at" timestamptz not null, constraint "users_pkey" primary key ("id"));
create index "users_client_id_index" on "users" ("client_id");
alter table "users" add constraint "users_email_unique" unique ("email");
create table "leads" ("id" uuid not null, "client_id" uuid not null, "name" varchar(200) null, "email" varchar(254) null, "phone" varchar(20) null, "handles" jsonb not null, "language" varchar(16) null, "source" text check ("source" in ('web', 'web_form', 'whatsapp', 'sms', 'email', 'voice')) not null, "qualification" jsonb not null, "score" smallint null, "temperature" text check ("temperature" in ('hot', 'warm', 'cold', 'unscored')) not null default 'unscored', "score_evidence" jsonb not null, "status" text check ("status" in ('new', 'qualifying', 'qualified', 'appointment_booked', 'handed_off', 'nurturing', 'closed_won', 'closed_lost', 'disqualified')) not null default 'new', "appointment_at" timestamptz null, "assignee_id" uuid null, "crm_id" varchar(100) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "last_contact_at" timestamptz null, constraint "leads_pkey" primary key ("id"));
create index "leads_client_id_status_index" on "leads" ("client_id", "status");
create index "leads_client_id_temperature_index" on "leads" ("client_id", "temperature");
create index "leads_client_id_created_at_index" on "leads" ("client_id", "created_at");
create table "conversations" ("id" uuid not null, "client_id" uuid not null, "lead_id" uuid null, "channel" text check ("channel" in ('web', 'web_form', 'whatsapp', 'sms', 'email', 'voice')) not null, "status" text check ("status" in ('active', 'escalated', 'ended')) not null default 'active', "mode" text check ("mode" in ('ai', 'human')) not null default 'ai', "mode_holder_id" uuid null, "assignee_id" uuid null, "visitor_id" varchar(64) null, "last_seq" int not null default 0, "last_message_at" timestamptz null, "summary" text null, "prompt_variant" varchar(32) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "ended_at" timestamptz null, constraint "conversations_pkey" primary key ("id"));
create index "conversations_client_id_status_last_message_at_index" on "conversations" ("client_id", "status", "last_message_at");
create index "conversations_client_id_lead_id_channel_last_message_at_index" on "conversations" ("client_id", "lead_id", "channel", "last_message_at");
create index "conversations_client_id_visitor_id_index" on "conversations" ("client_id", "visitor_id");
create table "messages" ("id" uuid not null, "client_id" uuid not null, "conversation_id" uuid not null, "seq" int not null, "role" text check ("role" in ('visitor', 'ai', 'staff', 'system', 'note')) not null, "content" text not null, "attachments" jsonb not null, "channel" text check ("channel" in ('web', 'web_form', 'whatsapp', 'sms', 'email', 'voice')) not null, "external_id" varchar(255) null, "client_message_id" varchar(64) null, "delivery_state" text check ("delivery_state" in ('pending', 'sent', 'delivered', 'read', 'failed')) not null default 'sent', "delivery_error" jsonb null, "ai" jsonb null, "sender_id" uuid null, "created_at" timestamptz not null, constraint "messages_pkey" primary key ("id"));
create index "messages_client_id_created_at_index" on "messages" ("client_id", "created_at");
alter table "messages" add constraint "messages_conversation_id_seq_unique" unique ("conversation_id", "seq");
alter table "messages" add constraint "messages_client_id_channel_external_id_unique" unique ("client_id", "channel", "external_id");
alter table "messages" add constraint "messages_conversation_id_client_message_id_unique" unique ("conversation_id", "client_message_id");
create table "escalations" ("id" uuid not null, "client_id" uuid not null, "conversation_id" uuid not null, "lead_id" uuid null, "reason" text check ("reason" in ('visitor_request', 'hot_lead', 'complaint', 'urgent', 'low_confidence', 'ai_failure', 'budget_exhausted', 'keyword', 'no_staff_reply', 'other')) not null, "priority" text check ("priority" in ('low', 'normal', 'high', 'urgent')) not null default 'normal', "status" text check ("status" in ('pending', 'acknowledged', 'resolved')) not null default 'pending', "detail" text not null default '', "resolution" text null, "resolved_by_id" uuid null, "resolved_at" timestamptz null, "created_at" timestamptz not null, constraint "escalations_pkey" primary key ("id"));
create index "escalations_conversation_id_index" on "escalations" ("conversation_id");
create index "escalations_client_id_status_created_at_index" on "escalations" ("client_id", "status", "created_at");
create table "audit_logs" ("id" uuid not null, "client_id" uuid null, "user_id" uuid null, "action" varchar(100) not null, "target" varchar(200) null, "metadata" jsonb not null, "ip" varchar(64) null, "user_agent" varchar(500) null, "created_at" timestamptz not null, constraint "audit_logs_pkey" primary key ("id"));
create index "audit_logs_client_id_created_at_index" on "audit_logs" ("client_id", "created_at");
create table "user_sessions" ("id" uuid not null, "user_id" uuid not null, "family_id" uuid not null, "refresh_token_hash" varchar(64) not null, "device" varchar(200) null, "ip" varchar(64) null, "user_agent" varchar(500) null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "expires_at" timestamptz not null, "rotated_at" timestamptz null, "revoked_at" timestamptz null, constraint "user_sessions_pkey" primary key ("id"));
create index "user_sessions_user_id_index" on "user_sessions" ("user_id");
create index "user_sessions_family_id_index" on "user_sessions" ("family_id");
alter table "user_sessions" add constraint "user_sessions_refresh_token_hash_unique" unique ("refresh_token_hash");
alter table "knowledge_bases" add constraint "knowledge_bases_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "knowledge_chunks" add constraint "knowledge_chunks_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "knowledge_chunks" add constraint "knowledge_chunks_knowledge_base_id_foreign" foreign key ("knowledge_base_id") references "knowledge_bases" ("id") on update cascade on delete cascade;
alter table "qualification_rules" add constraint "qualification_rules_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "usage_logs" add constraint "usage_logs_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "users" add constraint "users_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "leads" add constraint "leads_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "leads" add constraint "leads_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on update cascade on delete set null;
alter table "conversations" add constraint "conversations_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "conversations" add constraint "conversations_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete set null;
alter table "conversations" add constraint "conversations_mode_holder_id_foreign" foreign key ("mode_holder_id") references "users" ("id") on update cascade on delete set null;
alter table "conversations" add constraint "conversations_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on update cascade on delete set null;
alter table "messages" add constraint "messages_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "messages" add constraint "messages_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update cascade on delete cascade;
alter table "messages" add constraint "messages_sender_id_foreign" foreign key ("sender_id") references "users" ("id") on update cascade on delete set null;
alter table "escalations" add constraint "escalations_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "escalations" add constraint "escalations_conversation_id_foreign" foreign key ("conversation_id") references "conversations" ("id") on update cascade on delete cascade;
alter table "escalations" add constraint "escalations_lead_id_foreign" foreign key ("lead_id") references "leads" ("id") on update cascade on delete set null;
alter table "escalations" add constraint "escalations_resolved_by_id_foreign" foreign key ("resolved_by_id") references "users" ("id") on update cascade on delete set null;
alter table "audit_logs" add constraint "audit_logs_client_id_foreign" foreign key ("client_id") references "clients" ("id") on update cascade on delete cascade;
alter table "audit_logs" add constraint "audit_logs_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete set null;
alter table "user_sessions" add constraint "user_sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;
`;
