import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 18's agencies and white-label.
 *
 * `agencies`: a reseller that owns many clients (`clients.agency_id`; a deleted agency leaves its clients to
 * the platform). Agency staff are users with `agency_id` instead of `client_id` (never both): they act, with
 * their role, for whichever of the agency's clients they select. `branding` (on agencies and clients) is the
 * white-label override (product name, logo, colours, sender, support link, "Powered by"); a client's wins over
 * its agency's. `brand_domains` maps a Host header to the agency or client whose branding (and dashboard) it
 * serves; a host belongs to one of them.
 */
export class Migration20261208010000Agencies extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "agencies" (
      "id" uuid not null,
      "slug" varchar(80) not null,
      "name" varchar(200) not null,
      "branding" jsonb not null default '{}',
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "agencies_pkey" primary key ("id"),
      constraint "agencies_slug_unique" unique ("slug"))`);
    this.addSql(
      `alter table "clients" add column "agency_id" uuid null references "agencies" ("id") on update cascade on delete set null`,
    );
    this.addSql(`alter table "clients" add column "branding" jsonb not null default '{}'`);
    this.addSql(`create index "clients_agency_id_index" on "clients" ("agency_id")`);
    this.addSql(
      `alter table "users" add column "agency_id" uuid null references "agencies" ("id") on update cascade on delete cascade`,
    );
    this.addSql(`create index "users_agency_id_index" on "users" ("agency_id")`);
    this.addSql(
      `alter table "users" add constraint "users_one_scope_check" check ("client_id" is null or "agency_id" is null)`,
    );
    this.addSql(`create table "brand_domains" (
      "host" varchar(253) not null,
      "agency_id" uuid null references "agencies" ("id") on update cascade on delete cascade,
      "client_id" uuid null references "clients" ("id") on update cascade on delete cascade,
      "created_at" timestamptz not null default now(),
      constraint "brand_domains_pkey" primary key ("host"),
      constraint "brand_domains_owner_check" check (("agency_id" is null) <> ("client_id" is null)))`);
    this.addSql(`create index "brand_domains_agency_id_index" on "brand_domains" ("agency_id")`);
    this.addSql(`create index "brand_domains_client_id_index" on "brand_domains" ("client_id")`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "brand_domains"');
    this.addSql('alter table "users" drop constraint if exists "users_one_scope_check"');
    this.addSql('alter table "users" drop column if exists "agency_id"');
    this.addSql('alter table "clients" drop column if exists "agency_id"');
    this.addSql('alter table "clients" drop column if exists "branding"');
    this.addSql('drop table if exists "agencies"');
  }
}
