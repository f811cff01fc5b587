import { Migration } from '@mikro-orm/migrations';

/**
 * Knowledge search at 10,000 chunks a tenant (issue 13):
 *
 * - `knowledge_lexeme_counts`: how many of a tenant's chunks hold each
 *   lexeme, per text-search language, kept by statement triggers on
 *   knowledge_chunks. The full-text leg reads it to rank only the chunks that
 *   hold the question's distinctive words instead of every chunk holding
 *   "price" (knowledge/search/candidate-plan.ts). Rows are upserted in lexeme
 *   order, so two ingestions of one tenant wait for each other rather than
 *   deadlock.
 * - The GIN index's pending list is merged now (and after every insert of
 *   chunks, see chunk-store.ts): every search scans the whole pending list,
 *   which otherwise grows until a vacuum, and the embedded database (PGlite)
 *   has no autovacuum. Merging once per batch costs less than `fastupdate = off`
 *   (one index update per row), measured at half the insert time.
 *
 * Plain SQL and PL/pgSQL: runs the same on PostgreSQL, with or without
 * pgvector, and on PGlite.
 */
export class Migration20261202040000KnowledgeSearchSpeed extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "knowledge_lexeme_counts" (
      "client_id" uuid not null references "clients" ("id") on update cascade on delete cascade,
      "language" varchar(16) not null,
      "lexeme" text not null,
      "chunks" int not null,
      primary key ("client_id", "language", "lexeme")
    )`);
    this.addSql(`create function knowledge_lexeme_counts_apply() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into knowledge_lexeme_counts (client_id, language, lexeme, chunks)
    select n.client_id, n.language, l.lexeme, count(*)
    from changed_chunks n cross join lateral unnest(tsvector_to_array(n.tsv)) as l(lexeme)
    group by 1, 2, 3 order by 1, 2, 3
    on conflict (client_id, language, lexeme) do update set chunks = knowledge_lexeme_counts.chunks + excluded.chunks;
  else
    -- Through the same upsert (in lexeme order) so that locks are always taken in one order.
    insert into knowledge_lexeme_counts (client_id, language, lexeme, chunks)
    select o.client_id, o.language, l.lexeme, -count(*)
    from changed_chunks o cross join lateral unnest(tsvector_to_array(o.tsv)) as l(lexeme)
    where exists (select 1 from clients c where c.id = o.client_id)
    group by 1, 2, 3 order by 1, 2, 3
    on conflict (client_id, language, lexeme) do update set chunks = knowledge_lexeme_counts.chunks + excluded.chunks;
    delete from knowledge_lexeme_counts k
    using (select distinct client_id from changed_chunks) d
    where k.client_id = d.client_id and k.chunks <= 0;
  end if;
  return null;
end
$$`);
    this.addSql(`create trigger "knowledge_chunks_lexemes_inserted" after insert on "knowledge_chunks"
      referencing new table as changed_chunks for each statement execute function knowledge_lexeme_counts_apply()`);
    this.addSql(`create trigger "knowledge_chunks_lexemes_deleted" after delete on "knowledge_chunks"
      referencing old table as changed_chunks for each statement execute function knowledge_lexeme_counts_apply()`);
    this.addSql(`insert into knowledge_lexeme_counts (client_id, language, lexeme, chunks)
      select c.client_id, c.language, l.lexeme, count(*)
      from knowledge_chunks c cross join lateral unnest(tsvector_to_array(c.tsv)) as l(lexeme)
      group by 1, 2, 3`);

    this.addSql(`select gin_clean_pending_list('knowledge_chunks_tsv_gin'::regclass)`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "knowledge_chunks_lexemes_deleted" on "knowledge_chunks"`);
    this.addSql(`drop trigger if exists "knowledge_chunks_lexemes_inserted" on "knowledge_chunks"`);
    this.addSql(`drop function if exists knowledge_lexeme_counts_apply()`);
    this.addSql(`drop table if exists "knowledge_lexeme_counts"`);
  }
}
