import { Migration } from '@mikro-orm/migrations';
import { ROW_TOKEN_SQL } from '../../knowledge/search/tenant-token.js';
import { Migration20261202040000KnowledgeSearchSpeed } from './20261202040000-knowledge-search-speed.js';

/**
 * Knowledge search at 10,000 chunks a tenant, second take (issue 13):
 *
 * - Each chunk's tsvector gains its tenant token (`@<client id>/<language>`,
 *   knowledge/search/tenant-token.ts), so the GIN index selects a tenant's
 *   rows itself and counts a word's chunks for the search plan on the fly.
 * - `knowledge_lexeme_counts` and its statement triggers go: they made every
 *   ingestion upsert one row per distinct lexeme, and the search no longer
 *   reads them.
 *
 * Plain SQL: runs the same on PostgreSQL, with or without pgvector, and on PGlite.
 */
export class Migration20261203010000KnowledgeTenantToken extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop trigger if exists "knowledge_chunks_lexemes_deleted" on "knowledge_chunks"`);
    this.addSql(`drop trigger if exists "knowledge_chunks_lexemes_inserted" on "knowledge_chunks"`);
    this.addSql(`drop function if exists knowledge_lexeme_counts_apply()`);
    this.addSql(`drop table if exists "knowledge_lexeme_counts"`);
    this.addSql(`update "knowledge_chunks" set "tsv" = "tsv" || ${ROW_TOKEN_SQL}`);
    this.addSql(`select gin_clean_pending_list('knowledge_chunks_tsv_gin'::regclass)`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "knowledge_chunks" set "tsv" = ts_delete("tsv", '@' || client_id::text || '/' || language)`);
    // The lexeme counts, their triggers and their backfill, as the earlier migration made them.
    const earlier = new Migration20261202040000KnowledgeSearchSpeed(this.driver, this.config);
    await earlier.up();
    for (const query of earlier.getQueries()) {
      if (!/gin_clean_pending_list/.test(String(query))) this.addSql(query);
    }
  }
}
