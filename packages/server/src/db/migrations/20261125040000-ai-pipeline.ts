import { Migration } from '@mikro-orm/migrations';

/**
 * AI pipeline (issue 4): the budget step a tenant reached this month (so each
 * step is recorded once), how far a conversation's rolling summary reaches,
 * and an index for the per-variant experiment statistics.
 */
export class Migration20261125040000AiPipeline extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "clients" add column "budget_step" varchar(16) not null default 'normal', add column "budget_step_month" varchar(7) not null default ''`,
    );
    this.addSql(`alter table "conversations" add column "summary_seq" int not null default 0`);
    this.addSql(
      `create index "conversations_client_id_prompt_variant_index" on "conversations" ("client_id", "prompt_variant") where "prompt_variant" is not null`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "conversations_client_id_prompt_variant_index"');
    this.addSql('alter table "conversations" drop column "summary_seq"');
    this.addSql('alter table "clients" drop column "budget_step", drop column "budget_step_month"');
  }
}
