import { Migration } from '@mikro-orm/migrations';

/**
 * Staff accounts and security (issue 7): single-use account tokens
 * (invitations, email verification, password reset), the last accepted TOTP
 * time step (so a code cannot be replayed), and who acted in audit entries.
 */
export class Migration20261125020000Auth extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "auth_tokens" ("id" uuid not null, "user_id" uuid not null, "purpose" text check ("purpose" in ('invite', 'verify_email', 'reset_password')) not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_by_id" uuid null, "created_at" timestamptz not null, constraint "auth_tokens_pkey" primary key ("id"))`,
    );
    this.addSql(`alter table "auth_tokens" add constraint "auth_tokens_token_hash_unique" unique ("token_hash")`);
    this.addSql(`create index "auth_tokens_user_id_purpose_index" on "auth_tokens" ("user_id", "purpose")`);
    this.addSql(
      `alter table "auth_tokens" add constraint "auth_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "auth_tokens" add constraint "auth_tokens_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null`,
    );
    this.addSql(`alter table "users" add column "totp_last_step" bigint null`);
    this.addSql(`alter table "audit_logs" add column "actor" varchar(20) not null default 'user'`);
    this.addSql(`create index "user_sessions_user_id_revoked_at_index" on "user_sessions" ("user_id", "revoked_at")`);
  }
}
