import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  claimOwnership,
  FOREIGN_STALE_MS,
  type OwnerLock,
  type OwnerRecord,
  readRecord,
  takeOver,
} from './owner-lock.js';

const temps: string[] = [];
const locks: OwnerLock[] = [];

afterEach(async () => {
  for (const lock of locks.splice(0)) await lock.release();
  for (const dir of temps.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

async function lockPath() {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ld-lock-'));
  temps.push(dir);
  return path.join(dir, 'pglite.lock');
}

function record(overrides: Partial<OwnerRecord>): OwnerRecord {
  return {
    pid: process.pid,
    token: 'previous-claim',
    hostname: os.hostname(),
    processStart: null,
    command: 'server',
    startedAt: new Date(0).toISOString(),
    address: null,
    ...overrides,
  };
}

async function claimMany(file: string, n: number) {
  const claims = await Promise.all(Array.from({ length: n }, () => claimOwnership(file, { command: 'test' })));
  for (const c of claims) if (c.kind === 'owner') locks.push(c.lock);
  return claims;
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('the embedded database owner lock', () => {
  it('gives the directory to exactly one of several claims made at once', async () => {
    const file = await lockPath();
    const claims = await claimMany(file, 8);
    const owners = claims.filter((c) => c.kind === 'owner');
    expect(owners).toHaveLength(1);
    const token = owners[0]!.kind === 'owner' ? owners[0]!.lock.record.token : '';
    for (const c of claims) if (c.kind === 'taken') expect(c.owner.token).toBe(token);
    expect((await readRecord(file))?.token).toBe(token);
  });

  it('records the pid and publishes the socket address; release removes only its own lock', async () => {
    const file = await lockPath();
    const [claim] = await claimMany(file, 1);
    if (claim?.kind !== 'owner') throw new Error('expected to own a fresh directory');
    expect(await readRecord(file)).toMatchObject({ pid: process.pid, command: 'test', address: null });
    await claim.lock.publish('127.0.0.1:5999');
    expect((await readRecord(file))?.address).toBe('127.0.0.1:5999');
    const other = await claimOwnership(file, { command: 'onboard' });
    expect(other).toMatchObject({ kind: 'taken', owner: { pid: process.pid, address: '127.0.0.1:5999' } });

    // A lock that is no longer ours (taken over after we were judged gone) is left alone.
    await fs.writeFile(file, JSON.stringify(record({ token: 'someone-else', pid: 1 })));
    await claim.lock.release();
    expect((await readRecord(file))?.token).toBe('someone-else');
  });

  it('takes over the lock of a process that is gone, once, however many claim it at the same time', async () => {
    const file = await lockPath();
    await fs.writeFile(file, JSON.stringify(record({ pid: await deadPid(), address: '127.0.0.1:1' })));
    const claims = await claimMany(file, 12);
    expect(claims.filter((c) => c.kind === 'owner')).toHaveLength(1);
    expect((await readRecord(file))?.pid).toBe(process.pid);
    await expect(fs.access(`${file}.takeover`)).rejects.toThrow();
  });

  it('never removes a lock other than the stale one it judged, nor while another takeover is under way', async () => {
    const file = await lockPath();
    // A slow taker judged 'stale-one' stale; meanwhile a faster one replaced it with a fresh lock.
    await fs.writeFile(file, JSON.stringify(record({ token: 'fresh-one', pid: process.ppid })));
    await takeOver(file, 'stale-one');
    expect((await readRecord(file))?.token).toBe('fresh-one');

    await fs.writeFile(file, JSON.stringify(record({ token: 'stale-one', pid: await deadPid() })));
    await fs.writeFile(`${file}.takeover`, '12345');
    await takeOver(file, 'stale-one');
    expect((await readRecord(file))?.token).toBe('stale-one');
    await fs.rm(`${file}.takeover`);
    await takeOver(file, 'stale-one');
    expect(await readRecord(file)).toBeUndefined();
  });

  it('takes over a lock whose pid now runs another process (start time differs, or it is our own pid)', async () => {
    const file = await lockPath();
    const stat = await fs.readFile(`/proc/${process.ppid}/stat`, 'utf8').catch(() => null);
    if (stat) {
      await fs.writeFile(file, JSON.stringify(record({ pid: process.ppid, processStart: '1', address: null })));
      expect((await claimMany(file, 1))[0]?.kind).toBe('owner');
      await locks.pop()!.release();
    }
    // A restarted container: the previous server had the pid this process has now.
    await fs.writeFile(file, JSON.stringify(record({ pid: process.pid, token: 'before-the-restart' })));
    expect((await claimMany(file, 1))[0]?.kind).toBe('owner');
  });

  it('keeps a live owner that is still starting, waiting for its address when asked to', async () => {
    const file = await lockPath();
    const [first] = await claimMany(file, 1);
    if (first?.kind !== 'owner') throw new Error('expected to own a fresh directory');
    const atOnce = await claimOwnership(file, { command: 'server' });
    expect(atOnce).toMatchObject({ kind: 'taken', owner: { address: null } });

    const waiting = claimOwnership(file, { command: 'onboard', waitForAddressMs: 5000 });
    setTimeout(() => void first.lock.publish('127.0.0.1:6001'), 300);
    expect(await waiting).toMatchObject({ kind: 'taken', owner: { address: '127.0.0.1:6001' } });
  });

  it('respects a lock from another host until it has not been refreshed for a minute', async () => {
    const file = await lockPath();
    await fs.writeFile(file, JSON.stringify(record({ hostname: 'another-container', pid: 1, address: '127.0.0.1:5' })));
    expect((await claimOwnership(file, { command: 'server' })).kind).toBe('taken');
    const old = new Date(Date.now() - FOREIGN_STALE_MS - 5000);
    await fs.utimes(file, old, old);
    expect((await claimMany(file, 1))[0]?.kind).toBe('owner');
  });

  it('takes over an unreadable lock only once it is old', async () => {
    const file = await lockPath();
    await fs.writeFile(file, '{"pid":');
    const old = new Date(Date.now() - FOREIGN_STALE_MS - 5000);
    await fs.utimes(file, old, old);
    expect((await claimMany(file, 1))[0]?.kind).toBe('owner');
  });
});
