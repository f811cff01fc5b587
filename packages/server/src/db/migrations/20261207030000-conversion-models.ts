import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 17's conversion probability: one fitted model per tenant.
 *
 * `conversion_models`: the tenant's logistic regression (`model`: feature names, standardisation, weights),
 * its cross-validated `calibration`, what it was fitted on (`training_size`, `won`, `lost`) and when
 * (`fitted_at`; `fitted_day` is the local day of the last nightly fit, so a night is fitted once across
 * processes: the row is locked for the fit). `source = 'heuristic'` with a `reason` when the tenant has too
 * few outcomes: the lead score stands in, labelled so. Deleted with its tenant.
 */
export class Migration20261207030000ConversionModels extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "conversion_models" (
      "client_id" uuid not null references "clients" ("id") on update cascade on delete cascade,
      "source" varchar(16) not null default 'heuristic' check ("source" in ('model', 'heuristic')),
      "fitted_at" timestamptz null,
      "fitted_day" date null,
      "training_size" integer not null default 0,
      "won" integer not null default 0,
      "lost" integer not null default 0,
      "model" jsonb null,
      "calibration" jsonb null,
      "reason" text null,
      "updated_at" timestamptz not null default now(),
      constraint "conversion_models_pkey" primary key ("client_id"))`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "conversion_models"');
  }
}
