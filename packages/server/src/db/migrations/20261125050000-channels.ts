import { Migration } from '@mikro-orm/migrations';

/**
 * Channel bridges (issue 6):
 * - `webhook_events`: every accepted provider webhook is stored before it is
 *   acknowledged (nothing accepted is lost); identical redeliveries collapse
 *   on `(provider, dedup_key)`; workers claim unprocessed rows (`claimed_at`)
 *   and record failures (`attempts`, `error`).
 * - `messages.delivery_refs`: the provider ids of every part an outbound
 *   message was sent as (a long reply goes as several WhatsApp messages), so a
 *   retry resumes after the parts already sent and status webhooks find the
 *   message by any part's id.
 * - lookups of tenants by their WhatsApp phone number id, WhatsApp verify
 *   token hash and Twilio number (one tenant per number).
 */
export class Migration20261125050000Channels extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "webhook_events" (
      "id" bigserial primary key,
      "provider" varchar(32) not null,
      "dedup_key" varchar(128) not null,
      "client_id" uuid null references "clients" ("id") on delete cascade,
      "payload" text not null,
      "received_at" timestamptz not null default now(),
      "processed_at" timestamptz null,
      "claimed_at" timestamptz null,
      "attempts" int not null default 0,
      "error" text null
    )`);
    this.addSql(
      `create unique index "webhook_events_provider_dedup_key_unique" on "webhook_events" ("provider", "dedup_key")`,
    );
    this.addSql(
      `create index "webhook_events_unprocessed_index" on "webhook_events" ("provider", "id") where "processed_at" is null`,
    );
    this.addSql(`alter table "messages" add column "delivery_refs" text[] not null default '{}'`);
    this.addSql(`create index "messages_delivery_refs_index" on "messages" using gin ("delivery_refs")`);
    this.addSql(
      `create unique index "clients_whatsapp_phone_number_id_unique" on "clients" ((channel_settings->'whatsapp'->>'phoneNumberId')) where channel_settings->'whatsapp'->>'phoneNumberId' is not null`,
    );
    this.addSql(
      `create index "clients_whatsapp_verify_token_index" on "clients" ((channel_settings->'whatsapp'->>'verifyTokenHash')) where channel_settings->'whatsapp'->>'verifyTokenHash' is not null`,
    );
    this.addSql(
      `create unique index "clients_twilio_phone_number_unique" on "clients" ((channel_settings->'twilio'->>'phoneNumber')) where channel_settings->'twilio'->>'phoneNumber' is not null`,
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "clients_twilio_phone_number_unique"');
    this.addSql('drop index if exists "clients_whatsapp_verify_token_index"');
    this.addSql('drop index if exists "clients_whatsapp_phone_number_id_unique"');
    this.addSql('drop index if exists "messages_delivery_refs_index"');
    this.addSql('alter table "messages" drop column if exists "delivery_refs"');
    this.addSql('drop table if exists "webhook_events"');
  }
}
