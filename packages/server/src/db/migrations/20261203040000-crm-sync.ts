import { Migration } from '@mikro-orm/migrations';

/**
 * CRM sync (issue 15, HubSpot):
 * - `crm_connections`: a tenant's connection to a CRM. `settings` holds the
 *   mappings and the sealed secrets (SecretBox), never a plain token.
 * - `crm_syncs`: one row per lead and CRM, the lead's sync state. Every change
 *   bumps `requested_version`; a sync that finishes records the version it
 *   pushed in `synced_version`, so a burst of changes is pushed once and a job
 *   for an older version does nothing. `lease_owner`/`lease_until` keep two
 *   processes from syncing one lead at once; a lease of a killed process runs
 *   out and the sweep hands the lead to another. `pushed` is what HubSpot holds
 *   as far as we know (properties last written or heard back from its
 *   webhooks): only differences are sent, which also stops echo loops.
 */
export class Migration20261203040000CrmSync extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "crm_connections" (
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "provider" varchar(16) not null,
      "settings" jsonb not null default '{}',
      "properties_ready_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      primary key ("client_id", "provider")
    )`);
    this.addSql(`create table "crm_syncs" (
      "lead_id" uuid not null references "leads" ("id") on delete cascade,
      "provider" varchar(16) not null,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "state" varchar(16) not null default 'pending',
      "requested_version" integer not null default 1,
      "synced_version" integer not null default 0,
      "error" text null,
      "contact_id" varchar(64) null,
      "deal_id" varchar(64) null,
      "pushed" jsonb not null default '{}',
      "lease_owner" varchar(64) null,
      "lease_until" timestamptz null,
      "requested_at" timestamptz not null default now(),
      "synced_at" timestamptz null,
      "updated_at" timestamptz not null default now(),
      primary key ("lead_id", "provider")
    )`);
    this.addSql(`create index "crm_syncs_client_state_index" on "crm_syncs" ("client_id", "provider", "state")`);
    this.addSql(`create index "crm_syncs_deal_index" on "crm_syncs" ("client_id", "provider", "deal_id")`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "crm_syncs"');
    this.addSql('drop table if exists "crm_connections"');
  }
}
