import { Migration } from '@mikro-orm/migrations';

/**
 * Brand domains are verified before they are served (docs/white-label.md, "Domains"), and agency-level audit
 * entries name their agency (docs/agencies.md, "Audit").
 *
 * `brand_domains`: a claim starts `pending` with a random `verification_token` that its owner publishes as a
 * DNS TXT record; it becomes `verified` once that record is seen (on request, or by the periodic re-check).
 * Only verified hosts are served branded. A pending claim `expires_at` a week (BRAND_DOMAIN_PENDING_HOURS)
 * after it was made: after that another tenant's claim takes the host over. `checked_at` and `last_error`
 * say when the TXT record was last looked up and why it did not match. A verified domain whose record has
 * gone is `failing_since` the first re-check that missed it, and back to pending after a grace period. The rows that exist already were
 * accepted before verification existed and keep being served: they are marked verified (the column's
 * default is `verified` while it is added, `pending` from then on).
 *
 * `audit_logs.agency_id`: the agency an agency-level entry belongs to (it belongs to no client), so that
 * `GET /agency/audit` lists it. Entries written before are filed by what they recorded: the agency in their
 * metadata, or the agency they targeted (`agency.*` actions).
 */
export class Migration20261209030000BrandDomainVerification extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "brand_domains" add column "status" varchar(16) not null default 'verified'`);
    this.addSql(`alter table "brand_domains" alter column "status" set default 'pending'`);
    this.addSql(
      `alter table "brand_domains" add constraint "brand_domains_status_check" check ("status" in ('pending', 'verified'))`,
    );
    this.addSql(`alter table "brand_domains" add column "verification_token" varchar(64) null`);
    this.addSql(`alter table "brand_domains" add column "verified_at" timestamptz null`);
    this.addSql(`update "brand_domains" set "verified_at" = "created_at"`);
    this.addSql(`alter table "brand_domains" add column "expires_at" timestamptz null`);
    this.addSql(`alter table "brand_domains" add column "checked_at" timestamptz null`);
    this.addSql(`alter table "brand_domains" add column "last_error" varchar(300) null`);
    this.addSql(`alter table "brand_domains" add column "failing_since" timestamptz null`);
    // The re-check's scan: pending claims, least recently checked first.
    this.addSql(
      `create index "brand_domains_pending_index" on "brand_domains" ("checked_at" nulls first) where "status" = 'pending'`,
    );

    this.addSql(
      `alter table "audit_logs" add column "agency_id" uuid null references "agencies" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `create index "audit_logs_agency_id_created_at_index" on "audit_logs" ("agency_id", "created_at", "id")`,
    );
    const uuid = `'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;
    this.addSql(`update "audit_logs" l set "agency_id" = a."id" from "agencies" a
      where l."agency_id" is null and jsonb_typeof(l."metadata"->'agencyId') = 'string'
        and l."metadata"->>'agencyId' ~ ${uuid} and a."id" = (l."metadata"->>'agencyId')::uuid`);
    this.addSql(`update "audit_logs" l set "agency_id" = a."id" from "agencies" a
      where l."agency_id" is null and l."action" like 'agency.%' and l."target" ~ ${uuid} and a."id" = l."target"::uuid`);
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "audit_logs_agency_id_created_at_index"');
    this.addSql('alter table "audit_logs" drop column if exists "agency_id"');
    this.addSql('drop index if exists "brand_domains_pending_index"');
    this.addSql('alter table "brand_domains" drop constraint if exists "brand_domains_status_check"');
    for (const column of [
      'status',
      'verification_token',
      'verified_at',
      'expires_at',
      'checked_at',
      'last_error',
      'failing_since',
    ]) {
      this.addSql(`alter table "brand_domains" drop column if exists "${column}"`);
    }
  }
}
