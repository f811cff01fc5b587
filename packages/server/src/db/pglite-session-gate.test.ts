import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kickQueue } from './embedded-postgres.js';
import { connectOrm } from './orm.js';
import { gateExtendedProtocol, lastReadyStatus } from './pglite-session-gate.js';
import { sqlOf } from './sql.js';

/** A server's pool and a CLI's connection on one PGlite behind pglite-socket, as when `onboard` runs beside `start`. */
let db: PGlite;
let server: PGLiteSocketServer;
let address: string;
const clients: pg.Client[] = [];

async function connect() {
  const client = new pg.Client(`postgresql://postgres:postgres@${address}/postgres`);
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  db = await PGlite.create('memory://');
  server = new PGLiteSocketServer({ db: gateExtendedProtocol(db), host: '127.0.0.1', port: 0, maxConnections: 8 });
  await server.start();
  address = server.getServerConn();
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.end().catch(() => {});
});

afterAll(async () => {
  await server.stop();
  await db.close();
});

describe('pglite-socket behind the session gate', () => {
  it('never interleaves two sockets’ Parse/Bind/Execute, even when a big query spans many reads', async () => {
    const [big, small] = [await connect(), await connect()];
    const problems: string[] = [];
    const payload = 'x'.repeat(300_000); // several TCP reads: the other socket's messages arrive in between
    const bigLoop = async () => {
      for (let i = 0; i < 12; i++) {
        try {
          const r = await big.query('select 1 as who, $1::int as i, length($2) as n', [i, payload]);
          if (r.rows[0].who !== 1 || r.rows[0].i !== i || r.rows[0].n !== payload.length) problems.push(`big ${i}`);
        } catch (err) {
          problems.push(`big ${i}: ${(err as Error).message}`);
        }
      }
    };
    let smallDone = 0;
    const smallLoop = async () => {
      for (let i = 0; i < 150; i++) {
        try {
          const r = await small.query('select 2 as who, $1::int as i, 7 as seven', [i]);
          if (r.rows[0].who !== 2 || r.rows[0].i !== i) problems.push(`small ${i}`);
          smallDone++;
        } catch (err) {
          problems.push(`small ${i}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all([bigLoop(), smallLoop()]);
    expect(problems).toEqual([]);
    expect(smallDone).toBe(150);
  });

  it('holds the session for the socket in a transaction until it commits or rolls back', async () => {
    const [server, cli] = [await connect(), await connect()];
    await server.query('create table tenants (name text)');
    await cli.query('begin');
    await cli.query('insert into tenants values ($1)', ['Sunset Dental']);
    const order: string[] = [];
    const read = server.query('select count(*)::int as n from tenants').then((r) => {
      order.push('server read');
      return r.rows[0].n;
    });
    await new Promise((r) => setTimeout(r, 200));
    order.push('cli rollback');
    await cli.query('rollback');
    // Had the server's read run inside the CLI's transaction, it would count the uncommitted row.
    expect(await read).toBe(0);
    expect(order).toEqual(['cli rollback', 'server read']);
  });

  it('frees the session when a socket disconnects in the middle of an exchange', async () => {
    const server = await connect();
    const [host, port] = [address.split(':')[0]!, Number(address.split(':')[1])];
    const raw = net.connect({ host, port });
    await new Promise((resolve) => raw.once('connect', resolve));
    raw.write(startupMessage());
    await new Promise((r) => setTimeout(r, 200));
    raw.write(message('p', Buffer.from('postgres\0'))); // the password pglite-socket asks for
    await new Promise((r) => setTimeout(r, 200));
    raw.write(Buffer.concat([parse('select 42'), bind()])); // no Execute, no Sync: the exchange stays open
    await new Promise((r) => setTimeout(r, 200));
    raw.destroy();
    const started = Date.now();
    const r = await server.query('select $1::int as v', [7]);
    expect(r.rows[0].v).toBe(7);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reads the transaction status from the last ReadyForQuery of a response', () => {
    const commandComplete = Buffer.concat([Buffer.from([0x43, 0, 0, 0, 10]), Buffer.from('BEGIN\0')]);
    const ready = (status: string) => Buffer.from([0x5a, 0, 0, 0, 5, status.charCodeAt(0)]);
    expect(lastReadyStatus(Buffer.concat([commandComplete, ready('T')]))).toBe('T'.charCodeAt(0));
    expect(lastReadyStatus(Buffer.concat([ready('T'), commandComplete, ready('I')]))).toBe('I'.charCodeAt(0));
    expect(lastReadyStatus(commandComplete)).toBeUndefined();
    expect(lastReadyStatus(new Uint8Array(0))).toBeUndefined();
  });
});

function message(type: string, body: Buffer) {
  const head = Buffer.alloc(5);
  head[0] = type.charCodeAt(0);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}

function startupMessage() {
  const body = Buffer.concat([Buffer.from([0, 3, 0, 0]), Buffer.from('user\0postgres\0database\0postgres\0\0')]);
  const head = Buffer.alloc(4);
  head.writeInt32BE(4 + body.length, 0);
  return Buffer.concat([head, body]);
}

function parse(sql: string) {
  return message('P', Buffer.concat([Buffer.from(`\0${sql}\0`), Buffer.from([0, 0])]));
}

function bind() {
  // Unnamed portal, unnamed statement, no parameter formats, no parameters, no result formats.
  return message('B', Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]));
}

describe('a client that holds the session and goes quiet', () => {
  it('is let go after abandonAfterMs: its transaction is rolled back and the others are served again', async () => {
    const quietDb = await PGlite.create('memory://');
    const quietServer: PGLiteSocketServer = new PGLiteSocketServer({
      db: gateExtendedProtocol(quietDb, {
        abandonAfterMs: 400,
        kick: () => kickQueue(quietServer),
      }),
      host: '127.0.0.1',
      port: 0,
      maxConnections: 8,
    });
    await quietServer.start();
    const url = `postgresql://postgres:postgres@${quietServer.getServerConn()}/postgres`;
    const holder = new pg.Client(url);
    const other = new pg.Client(url);
    try {
      await holder.connect();
      await other.connect();
      await other.query('create table notes (n int)');
      // A transaction left open by a client that says nothing more (its socket stays open).
      await holder.query('begin');
      await holder.query('insert into notes values (1)');
      const started = Date.now();
      const served = await other.query('select count(*)::int as n from notes');
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
      expect(Date.now() - started).toBeLessThan(5000);
      // The quiet client's uncommitted insert was rolled back, not committed by someone else's statement.
      expect(served.rows[0].n).toBe(0);
    } finally {
      await holder.end().catch(() => {});
      await other.end().catch(() => {});
      await quietServer.stop();
      await quietDb.close();
    }
  });
});

describe('prepared statements on the one session', () => {
  it('are named per connection: a CLI beside the server, and the server’s next connection, run the same statement', async () => {
    const url = `postgresql://postgres:postgres@${address}/postgres`;
    const text = 'select ?::int + 1 as next';
    // The cause, on the wire: a statement outlives the socket that prepared it, so its name stays taken.
    const gone = await connect();
    await gone.query({ name: 'taken', text: 'select $1::int as v', values: [1] });
    await gone.end();
    const after = await connect();
    await expect(after.query({ name: 'taken', text: 'select $1::int as v', values: [2] })).rejects.toThrow(
      /already exists/,
    );

    const serverOrm = await connectOrm({ url, poolMax: 1 });
    const cliOrm = await connectOrm({ url, poolMax: 1 });
    // The CLI prepares it first; the server's first use of it still works.
    expect(await sqlOf(cliOrm).query(text, [1])).toEqual([{ next: 2 }]);
    expect(await sqlOf(serverOrm).query(text, [2])).toEqual([{ next: 3 }]);
    await cliOrm.close();
    // A new connection in the same process (a pool that replaced an idle or broken one) prepares it again.
    await serverOrm.close();
    const nextOrm = await connectOrm({ url, poolMax: 1 });
    try {
      expect(await sqlOf(nextOrm).query(text, [3])).toEqual([{ next: 4 }]);
      expect(await sqlOf(nextOrm).query(text, [4])).toEqual([{ next: 5 }]);
    } finally {
      await nextOrm.close();
    }
  });
});
