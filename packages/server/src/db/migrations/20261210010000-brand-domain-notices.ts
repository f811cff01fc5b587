import { Migration } from '@mikro-orm/migrations';

/**
 * The owner of a brand domain is emailed when its TXT record goes missing (docs/white-label.md, "When the
 * record goes missing"): once when the failing streak starts, once when the grace ends and the host stops being
 * served branded.
 *
 * `owner_notice`: the notice already sent for the current streak (`failing`, then `lost`); cleared when the
 * record is found again, so a later streak is told again. `notice_claimed_at`: a worker took the notice to send
 * it (a lease): another worker skips it until the lease ends, and a worker that died mid-send leaves it to be
 * sent after the lease (at least once; the lease makes twice unlikely).
 */
export class Migration20261210010000BrandDomainNotices extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "brand_domains" add column "owner_notice" varchar(16) null`);
    this.addSql(
      `alter table "brand_domains" add constraint "brand_domains_owner_notice_check" check ("owner_notice" in ('failing', 'lost'))`,
    );
    this.addSql(`alter table "brand_domains" add column "notice_claimed_at" timestamptz null`);
    // The notice scan: only domains in a failing streak (few, if any).
    this.addSql(
      `create index "brand_domains_failing_index" on "brand_domains" ("failing_since") where "failing_since" is not null`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "brand_domains_failing_index"');
    this.addSql('alter table "brand_domains" drop constraint if exists "brand_domains_owner_notice_check"');
    this.addSql('alter table "brand_domains" drop column if exists "notice_claimed_at"');
    this.addSql('alter table "brand_domains" drop column if exists "owner_notice"');
  }
}
