import type { PGlite } from '@electric-sql/pglite';

/**
 * Makes pglite-socket hand PGlite's single session to one client socket for a
 * whole extended-protocol exchange, not just a whole transaction.
 *
 * pglite-socket 0.0.22 queues client messages one at a time, first come first
 * served, except while `db.isInTransaction()`: then only the socket that ran
 * the last message is served. Outside a transaction a client's Parse, Bind,
 * Execute and Sync can therefore be interleaved with another socket's: when a
 * big query spans several TCP reads, a second client's Parse replaces the
 * unnamed statement between the first one's Parse and Bind ("bind message
 * supplies 2 parameters, but prepared statement "" requires 1"), or, worse,
 * binds the first client's parameters to the second's statement. That happens
 * as soon as a CLI talks to a running server's embedded database.
 *
 * The gate widens "in a transaction" to "between an extended-protocol message
 * and the ReadyForQuery that ends it, or while the session's transaction status
 * is not idle", read from the responses themselves. The multiplexer's own
 * transaction rule then serialises whole exchanges, and a socket that
 * disconnects mid-exchange gets a Sync before the rollback it already sends.
 */
export function gateExtendedProtocol(
  db: PGlite,
  options: {
    abandonAfterMs?: number;
    /**
     * Makes the multiplexer look at its queue again. It looks only when a message arrives, so a client left
     * waiting behind a quiet holder would otherwise wait for the next message of anyone.
     */
    kick?: () => void;
  } = {},
): PGlite {
  let exchangeOpen = false;
  let txStatus = IDLE;
  let lastActivity = Date.now();
  let releasing = false;
  let recheck: NodeJS.Timeout | undefined;
  const abandonAfterMs = options.abandonAfterMs ?? 10_000;

  async function execProtocolRaw(message: Uint8Array, options?: { syncToFs?: boolean }) {
    lastActivity = Date.now();
    const result = await db.execProtocolRaw(message, options);
    lastActivity = Date.now();
    if (EXTENDED.has(message[0]!)) exchangeOpen = true;
    const status = lastReadyStatus(result);
    if (status !== undefined) {
      exchangeOpen = false;
      txStatus = status;
    }
    return result;
  }

  // pglite-socket calls exec only to roll back after a socket closes while holding the session.
  async function exec(sql: string) {
    return db.runExclusive(async () => {
      if (exchangeOpen) await execProtocolRaw(SYNC);
      await execProtocolRaw(simpleQuery(sql));
      return [];
    });
  }

  /**
   * The session held by a client that has said nothing for `abandonAfterMs`:
   * seen under load with a CLI beside the server, the multiplexer then served
   * nobody else for ever (every other socket waits for the holder). A client
   * that went quiet that long mid-exchange or mid-transaction has gone: its
   * exchange is closed and its transaction rolled back, and the others are
   * served again.
   */
  function held(): boolean {
    const open = exchangeOpen || txStatus !== IDLE;
    if (!open || releasing) return open;
    const quietFor = Date.now() - lastActivity;
    if (quietFor < abandonAfterMs) {
      // Someone is waiting behind the holder (this is asked while serving the queue): look again then.
      if (options.kick && !recheck) {
        recheck = setTimeout(
          () => {
            recheck = undefined;
            options.kick?.();
          },
          abandonAfterMs - quietFor + 10,
        );
        recheck.unref();
      }
      return true;
    }
    releasing = true;
    void db
      .runExclusive(async () => {
        if (exchangeOpen) await execProtocolRaw(SYNC);
        if (txStatus !== IDLE) await execProtocolRaw(simpleQuery('ROLLBACK'));
        exchangeOpen = false;
        txStatus = IDLE;
      })
      .catch(() => {})
      .finally(() => {
        releasing = false;
        options.kick?.();
      });
    return false;
  }

  const overrides: Record<PropertyKey, unknown> = {
    execProtocolRaw,
    exec,
    isInTransaction: held,
  };
  return new Proxy(db, {
    get(target, prop) {
      if (prop in overrides) return overrides[prop];
      const value = Reflect.get(target, prop, target);
      // PGlite keeps its state in private fields, reachable only with the real instance as `this`.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const IDLE = 0x49; // 'I'
const READY_FOR_QUERY = 0x5a; // 'Z'
// Parse, Bind, Describe, Execute, Close, Flush: each leaves an exchange open until Sync.
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/** The transaction status of the last ReadyForQuery in a response, if it holds one. */
export function lastReadyStatus(response: Uint8Array): number | undefined {
  let status: number | undefined;
  let offset = 0;
  while (offset + 5 <= response.length) {
    const type = response[offset]!;
    const length =
      ((response[offset + 1]! << 24) |
        (response[offset + 2]! << 16) |
        (response[offset + 3]! << 8) |
        response[offset + 4]!) >>>
      0;
    if (length < 4) break;
    if (type === READY_FOR_QUERY && length === 5 && offset + 5 < response.length) status = response[offset + 5];
    offset += 1 + length;
  }
  return status;
}

function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const message = Buffer.alloc(5 + text.length);
  message[0] = 0x51; // 'Q'
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return new Uint8Array(message);
}
