import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite/vector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM) persisted under
 * DATA_DIR, served over the PostgreSQL wire protocol on a private loopback
 * port so MikroORM talks to it through the same `pg` driver as in production.
 *
 * PGlite is single-connection; pglite-socket multiplexes sockets onto it at the
 * protocol-message level. Interleaving extended-protocol messages from two
 * sockets is not safe, so callers use a pool of one connection (see orm.ts).
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  /** Directory to persist into; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  port?: number;
}): Promise<EmbeddedPostgres> {
  if (!options.dataDir.startsWith('memory://')) {
    await fs.mkdir(options.dataDir, { recursive: true });
  }
  const db = await PGlite.create(options.dataDir, { extensions: { vector } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: 8,
  });
  await server.start();
  const port = Number(server.getServerConn().split(':').pop());
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
