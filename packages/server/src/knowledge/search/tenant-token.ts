/**
 * Every chunk's tsvector also holds one lexeme that names its tenant and
 * text-search language: `@<client id>/<language>`. The GIN index then selects
 * a tenant's rows itself: `tsv @@ (token & 'price')` intersects two posting
 * lists inside the index, where `client_id = ? and tsv @@ 'price'` reads the
 * heap row of every tenant's chunk that says "price" (or the tenant's whole
 * btree entry list) before it can throw the others away.
 *
 * No text a visitor or a document can send produces it: the parser never keeps
 * `@` in a lexeme, and searches only ever AND it in. It holds no position, so
 * ts_rank_cd and the coverage of a chunk (query lexemes only) ignore it. The
 * `client_id` column stays the rule: every statement still filters by it.
 */
export function tenantToken(clientId: string, language: string): string {
  return `@${clientId.toLowerCase()}/${language}`;
}

/** The token of `?` (a client id parameter) and a language column or expression, as a tsquery, in SQL. */
export function tenantTokenQuery(languageSql: string): string {
  return `('''@' || ?::uuid::text || '/' || ${languageSql} || '''')::tsquery`;
}

/** The token of a row's own client_id and language columns, as a tsvector, in SQL (migrations). */
export const ROW_TOKEN_SQL = `array_to_tsvector(array['@' || client_id::text || '/' || language])`;
