import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Orm } from './orm.js';

/**
 * Parameterised SQL on the ORM's own connection pool, for the hot paths
 * (every chat message and reply). Why not `em.execute`: MikroORM formats every
 * parameter into the SQL text (the server then parses the literals) and runs
 * it through knex, which costs about twice the CPU of the query itself; on the
 * message path that was a large part of the server's work per reply. Same
 * pool, same type parsers and the same exception classes as the ORM, so code
 * can move between the two freely.
 *
 * Statements use `?` placeholders like `em.execute`; each becomes `$n`. A
 * parameter is one value: an array is sent as a PostgreSQL array (write
 * `= any(?)`), never expanded into a list.
 */
export interface Sql {
  /** Typed like `em.execute`: `T` is the array of rows. */
  query<T extends unknown[] = Record<string, unknown>[]>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<T>;
  /** Runs `fn` in a transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: Pick<Sql, 'query'>) => Promise<T>): Promise<T>;
}

export interface QueryOptions {
  /**
   * Send the statement unnamed: planned for these parameter values on every
   * run, never from a cached generic plan (a statement whose best plan depends
   * on its parameters, such as the hybrid search's).
   */
  unnamed?: boolean;
}

interface PgConnection {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}
interface KnexClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

const instances = new WeakMap<Orm, Sql>();

/** One executor per ORM. */
export function sqlOf(orm: Orm): Sql {
  let sql = instances.get(orm);
  if (!sql) {
    sql = createSql(orm);
    instances.set(orm, sql);
  }
  return sql;
}

function createSql(orm: Orm): Sql {
  const em = orm.em as EntityManager;
  const client = () => em.getConnection().getKnex().client as unknown as KnexClient;
  const convert = (err: unknown) => {
    try {
      return em.getDriver().convertException(err as Error);
    } catch {
      return err;
    }
  };
  const run = async <T extends unknown[]>(
    connection: PgConnection,
    text: string,
    params: readonly unknown[],
    options?: QueryOptions,
  ): Promise<T> => {
    try {
      const entry = prepare(text);
      const name = entry.digest && !options?.unnamed ? `${prefixOf(connection)}${entry.digest}` : undefined;
      const result = await connection.query({
        text: entry.text,
        ...(name ? { name } : {}),
        values: params.map(toParam),
      });
      return result.rows as T;
    } catch (err) {
      throw convert(err);
    }
  };
  return {
    async query<T extends unknown[]>(text: string, params: readonly unknown[] = [], options?: QueryOptions) {
      const pool = client();
      const connection = await pool.acquireConnection();
      try {
        return await run<T>(connection, text, params, options);
      } finally {
        await pool.releaseConnection(connection);
      }
    },
    async transaction<T>(fn: (tx: Pick<Sql, 'query'>) => Promise<T>) {
      const pool = client();
      const connection = await pool.acquireConnection();
      try {
        await run(connection, 'begin', []);
        try {
          const value = await fn({
            query: <R extends unknown[]>(text: string, params: readonly unknown[] = [], options?: QueryOptions) =>
              run<R>(connection, text, params, options),
          });
          await run(connection, 'commit', []);
          return value;
        } catch (err) {
          await run(connection, 'rollback', []).catch(() => {});
          throw err;
        }
      } finally {
        await pool.releaseConnection(connection);
      }
    },
  };
}

function toParam(value: unknown): unknown {
  return value === undefined ? null : value;
}

const prepared = new Map<string, { text: string; digest?: string }>();

/**
 * Prepared statement names start with a prefix of their connection's own. On the embedded database every
 * connection, of every process, shares PGlite's one session (pglite-socket multiplexes their sockets onto it),
 * and a statement prepared there outlives the socket that prepared it. With names from the statement alone,
 * whichever connection prepared a statement first made another's first Parse of it fail ("prepared statement
 * … already exists", a 500): a CLI's beside the running server, or the server's own next connection once its
 * pool had replaced the first (CI saw both). On PostgreSQL each connection has its own session and the prefix
 * changes nothing.
 */
const prefixes = new WeakMap<object, string>();

function prefixOf(connection: object): string {
  let prefix = prefixes.get(connection);
  if (!prefix) {
    prefix = `ld${randomBytes(4).toString('hex')}_`;
    prefixes.set(connection, prefix);
  }
  return prefix;
}

const digest = (positionalText: string) => createHash('sha1').update(positionalText).digest('hex').slice(0, 16);

/**
 * The statement as sent: `?` placeholders made positional, and a name when it
 * has parameters, so each pooled connection parses and plans it once and then
 * only binds (a hot-path statement runs thousands of times). Cached: statements
 * come from a handful of templates.
 */
function prepare(text: string): { text: string; digest?: string } {
  let entry = prepared.get(text);
  if (!entry) {
    const statement = positional(text);
    entry = statement.includes('$1') ? { text: statement, digest: digest(statement) } : { text: statement };
    if (prepared.size < 2000) prepared.set(text, entry);
  }
  return entry;
}

/**
 * `?` → `$1, $2…`, outside quoted strings, quoted identifiers and comments.
 * `??` stays a literal `?` (the jsonb operator).
 */
export function positional(text: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      const stop = end < 0 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (ch === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (ch === '?') {
      if (text[i + 1] === '?') {
        out += '?';
        i++;
      } else {
        out += `$${++n}`;
      }
    } else {
      out += ch;
    }
  }
  return out;
}
