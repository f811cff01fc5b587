import { Migration } from '@mikro-orm/migrations';

/**
 * Knowledge bases, part two: the language of each base, the full-text column,
 * ingestion runs, unanswered questions, and — only where pgvector exists — the
 * embedding column with its HNSW index. A server without pgvector gets no
 * vector column at all and searches by full text alone (see docs/knowledge.md).
 */
export class Migration20261125030000Knowledge extends Migration {
  override async up(): Promise<void> {
    // A PostgreSQL text-search configuration name (english, spanish, …, simple).
    this.addSql(`alter table "knowledge_bases" add column "language" varchar(32) not null default 'english'`);

    // Filled at insert time with to_tsvector(language, content): a generated
    // column cannot cast the per-row language to regconfig (not immutable).
    this.addSql(`alter table "knowledge_chunks" add column "tsv" tsvector not null default ''::tsvector`);
    this.addSql(`create index "knowledge_chunks_tsv_gin" on "knowledge_chunks" using gin ("tsv")`);
    this.addSql(`create index "knowledge_chunks_client_id_index" on "knowledge_chunks" ("client_id")`);

    this.addSql(`create table "knowledge_ingestions" (
      "id" uuid not null primary key,
      "client_id" uuid not null references "clients" ("id") on update cascade on delete cascade,
      "knowledge_base_id" uuid not null references "knowledge_bases" ("id") on update cascade on delete cascade,
      "source_id" varchar(200) not null,
      "source_name" varchar(300) not null,
      "source_type" varchar(20) not null,
      "status" text check ("status" in ('queued', 'running', 'retrying', 'completed', 'failed')) not null default 'queued',
      "stage" varchar(20) not null default 'queued',
      "total_chunks" int not null default 0,
      "embedded_chunks" int not null default 0,
      "stored_chunks" int not null default 0,
      "duplicate_chunks" int not null default 0,
      "attempts" int not null default 0,
      "error" text null,
      "payload" jsonb null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "completed_at" timestamptz null
    )`);
    this.addSql(
      `create index "knowledge_ingestions_client_id_knowledge_base_id_created_at_index" on "knowledge_ingestions" ("client_id", "knowledge_base_id", "created_at")`,
    );

    this.addSql(`create table "knowledge_unanswered_questions" (
      "id" uuid not null primary key,
      "client_id" uuid not null references "clients" ("id") on update cascade on delete cascade,
      "conversation_id" uuid null references "conversations" ("id") on update cascade on delete set null,
      "question" text not null,
      "lexemes" jsonb not null,
      "language" varchar(32) not null,
      "best_score" real null,
      "resolved_at" timestamptz null,
      "created_at" timestamptz not null default now()
    )`);
    this.addSql(
      `create index "knowledge_unanswered_questions_client_id_created_at_index" on "knowledge_unanswered_questions" ("client_id", "created_at") where "resolved_at" is null`,
    );

    this.addSql(VECTOR_WHERE_AVAILABLE);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "knowledge_unanswered_questions"`);
    this.addSql(`drop table if exists "knowledge_ingestions"`);
    this.addSql(`drop index if exists "knowledge_chunks_embedding_hnsw"`);
    this.addSql(`alter table "knowledge_chunks" drop column if exists "embedding"`);
    this.addSql(`drop index if exists "knowledge_chunks_client_id_index"`);
    this.addSql(`alter table "knowledge_chunks" drop column if exists "tsv"`);
    this.addSql(`alter table "knowledge_bases" drop column if exists "language"`);
  }
}

/**
 * The vector column and index, created only when the server can load pgvector.
 * The statements run through EXECUTE so that a server without the extension
 * never parses the `vector` type. Also run at start by ensureVectorColumn()
 * for a server that gains pgvector after this migration ran.
 */
export const VECTOR_WHERE_AVAILABLE = `do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'vector') then
    begin
      create extension if not exists vector;
    exception when others then
      raise notice 'pgvector is available but cannot be created here: %', sqlerrm;
      return;
    end;
    execute 'alter table "knowledge_chunks" add column if not exists "embedding" vector(1536)';
    -- Keep the 6 KB vectors in the row instead of TOAST: an exact scan over a
    -- tenant's rows then reads no TOAST table (3x faster, measured in PGlite).
    -- vector(1536) plus the other columns' TOAST pointers always fits a page.
    execute 'alter table "knowledge_chunks" alter column "embedding" set storage plain';
    execute 'create index if not exists "knowledge_chunks_embedding_hnsw" on "knowledge_chunks" using hnsw ("embedding" vector_cosine_ops)';
  end if;
end
$$`;
