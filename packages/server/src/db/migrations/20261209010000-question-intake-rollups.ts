import { Migration } from '@mikro-orm/migrations';

/**
 * The insights report's last two per-request reads become daily rollups like
 * the others (reports/insight-rollup.ts, docs/reports.md "The insights and
 * scoring rollups"), rewritten whole with the tenant's `report_daily` day by
 * the same refresh, under the same lock:
 *
 * - `report_intake_daily`: per lead creation day and intake question id, the
 *   leads asked it, those whose field has a value, and those who stopped at it
 *   (every lead, where a report read the latest 2,000).
 * - `report_question_day`: per day, the visitor messages, the questions among
 *   them, those with no term (unclustered) and those of wordings past the
 *   day's cap (`left_out`).
 * - `report_question_daily`: per day, each question wording (folded) with its
 *   terms, language, count and knowledge gaps, where a report read the latest
 *   5,000 visitor messages.
 *
 * The primary keys lead with (tenant, day): a report reads a range of them.
 */
export class Migration20261209010000QuestionIntakeRollups extends Migration {
  override async up(): Promise<void> {
    const tenant = `"client_id" uuid not null references "clients" ("id") on update cascade on delete cascade, "day" date not null`;
    this.addSql(`create table "report_intake_daily" (${tenant},
      "question_id" text not null, "asked" integer not null, "answered" integer not null, "stopped_here" integer not null,
      constraint "report_intake_daily_pkey" primary key ("client_id", "day", "question_id"))`);
    this.addSql(`create table "report_question_day" (${tenant},
      "messages" integer not null, "questions" integer not null, "unclustered" integer not null,
      "left_out" integer not null,
      constraint "report_question_day_pkey" primary key ("client_id", "day"))`);
    this.addSql(`create table "report_question_daily" (${tenant},
      "terms" text not null, "language" varchar(8) not null, "wording_key" text not null, "wording" text not null,
      "n" integer not null, "unanswered" integer not null,
      constraint "report_question_daily_pkey" primary key ("client_id", "day", "terms", "language", "wording_key"))`);
    // Existing tenants' rollups predate these tables: the next refresh rebuilds them.
    this.addSql(`update "report_rollup_state" set "processed_until" = null`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "report_question_daily"');
    this.addSql('drop table if exists "report_question_day"');
    this.addSql('drop table if exists "report_intake_daily"');
  }
}
