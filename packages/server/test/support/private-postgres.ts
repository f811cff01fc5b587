import { execFile } from 'node:child_process';
import { chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/**
 * A throwaway PostgreSQL server of its own (initdb in a temporary directory,
 * a free loopback port), for tests that restart PostgreSQL under a running
 * server without touching the one every other test uses. Uses the machine's
 * PostgreSQL binaries (Debian's postgresql package); as root, runs them as the
 * `postgres` user, which initdb requires.
 */
export interface PrivatePostgres {
  url: string;
  /** Stops the server (`fast`: connections are cut, as in a restart by an operator or a crash of the backend). */
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

async function binDir(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort();
  const latest = versions.at(-1);
  if (!latest) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${latest}/bin`;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await binDir();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ld-pg-'));
  const asRoot = process.getuid?.() === 0;
  const pgUser = asRoot ? await userIds('postgres') : null;
  if (pgUser) await chown(dir, pgUser.uid, pgUser.gid);
  const exec = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args);
  const port = await freePort();
  const data = path.join(dir, 'data');
  await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const ctl = (action: 'start' | 'stop') =>
    exec(
      'pg_ctl',
      action === 'start'
        ? [
            '-D',
            data,
            '-w',
            '-l',
            path.join(dir, 'log'),
            '-o',
            `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
            'start',
          ]
        : ['-D', data, '-w', '-m', 'fast', 'stop'],
    );
  await ctl('start');
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await ctl('stop');
    },
    start: async () => {
      await ctl('start');
    },
    async dispose() {
      await ctl('stop').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', name]);
  const { stdout: gid } = await run('id', ['-g', name]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
