import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';

/**
 * One owner for the embedded database directory.
 *
 * PGlite does not protect its directory: two processes that open it each keep
 * their own copy in memory and the last to write wins, so a tenant created by
 * one is silently gone after the other restarts. The process that opens the
 * directory first writes a lock file beside it (created exclusively, so two
 * processes starting at once never both get it) naming its pid and, once
 * listening, the loopback address of its pglite-socket server. Anyone else
 * either talks to that address (the CLIs) or refuses to start (a second server).
 *
 * Not a library such as proper-lockfile: those judge a lock stale by an mtime
 * that the owner must keep refreshing, and PGlite runs queries synchronously on
 * the owner's only thread, so a long migration would let a second process take
 * over a live database. Here a lock is stale only when its process is provably
 * gone: the pid is not running (or is a zombie), or runs a different process
 * than the one that wrote the lock (start time differs, or the pid is our own).
 * Only a lock written on another host (a container sharing the volume) falls
 * back to the refreshed mtime, since its pid cannot be checked from here.
 */
export interface OwnerRecord {
  pid: number;
  /** Random per claim: tells this claim from an earlier one by a process that got the same pid. */
  token: string;
  hostname: string;
  /** Linux: the owner's start time (clock ticks since boot, /proc/<pid>/stat), to detect a reused pid. */
  processStart: string | null;
  /** What holds it (`server`, `onboard`, …), for the messages of those that find it taken. */
  command: string;
  startedAt: string;
  /** `host:port` of the owner's pglite-socket server; null while it starts or stops. */
  address: string | null;
}

export type OwnerClaim = { kind: 'owner'; lock: OwnerLock } | { kind: 'taken'; owner: OwnerRecord };

export interface ClaimOptions {
  command: string;
  /**
   * How long to wait for an owner that is starting or stopping (no address yet)
   * before reporting it as taken; 0 reports at once.
   * @default 0
   */
  waitForAddressMs?: number;
}

/** A lock written on another host counts as abandoned after this long without a refresh. */
export const FOREIGN_STALE_MS = 60_000;
const HEARTBEAT_MS = 15_000;
const POLL_MS = 100;
/** Tokens of the locks this process holds: a lock with our pid and another token is a previous life's. */
const held = new Set<string>();

export function ownerLockPath(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}.lock`;
}

export class OwnerLock {
  private heartbeat: NodeJS.Timeout | undefined;
  private released = false;

  constructor(
    readonly path: string,
    public record: OwnerRecord,
  ) {
    // Only a process on another host reads the mtime (see FOREIGN_STALE_MS); unref'd so it never holds a process open.
    this.heartbeat = setInterval(() => {
      const now = new Date();
      fs.utimes(this.path, now, now).catch(() => {});
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    held.add(record.token);
  }

  /** Publishes (or, with null, withdraws before stopping) the address other processes connect to. */
  async publish(address: string | null): Promise<void> {
    const next = { ...this.record, address };
    const current = await readRecord(this.path);
    if (current?.token !== this.record.token) throw new Error(`lost the embedded database lock ${this.path}`);
    // Written whole then renamed over: readers see the old record or the new one, never half of one.
    const tmp = `${this.path}.${this.record.token}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(next));
    await fs.rename(tmp, this.path);
    this.record = next;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.heartbeat);
    held.delete(this.record.token);
    const current = await readRecord(this.path);
    if (current?.token === this.record.token) await fs.rm(this.path, { force: true });
  }
}

/**
 * Takes the lock at `lockPath`, taking over a stale one, or reports the live owner.
 * Returns `owner` only when this process may open the directory.
 */
export async function claimOwnership(lockPath: string, options: ClaimOptions): Promise<OwnerClaim> {
  const deadline = Date.now() + (options.waitForAddressMs ?? 0);
  const me = await describeSelf(options.command);
  for (;;) {
    const record: OwnerRecord = { ...me, token: randomBytes(12).toString('hex'), startedAt: new Date().toISOString() };
    if (await createExclusive(lockPath, JSON.stringify(record))) {
      return { kind: 'owner', lock: new OwnerLock(lockPath, record) };
    }
    const current = await readRecord(lockPath);
    if (current === undefined) continue; // released between our create and our read
    if (current === null) {
      // Unreadable: a lock being written by the fallback path, or damaged by hand.
      const age = await ageMs(lockPath);
      if (age !== null && age > FOREIGN_STALE_MS) await takeOver(lockPath, null);
      else await sleep(POLL_MS);
      continue;
    }
    const verdict = await judge(current, lockPath);
    if (verdict === 'stale') {
      await takeOver(lockPath, current.token);
      continue;
    }
    if (verdict === 'live' || Date.now() >= deadline) return { kind: 'taken', owner: current };
    await sleep(POLL_MS); // starting or stopping: wait for its address, or for it to go
  }
}

type Verdict = 'live' | 'busy' | 'stale';

async function judge(owner: OwnerRecord, lockPath: string): Promise<Verdict> {
  if (owner.hostname !== os.hostname()) {
    const age = await ageMs(lockPath);
    return age !== null && age > FOREIGN_STALE_MS ? 'stale' : 'live';
  }
  // A restarted container gives its first process the same pid as before.
  if (owner.pid === process.pid) {
    if (!held.has(owner.token)) return 'stale';
    return owner.address ? 'live' : 'busy';
  }
  const state = await processState(owner.pid);
  if (state === 'gone') return 'stale';
  if (owner.processStart && state.start && state.start !== owner.processStart) return 'stale';
  if (!owner.address) return 'busy';
  // Where the start time cannot be read (not Linux), a refused socket is the only sign of a reused pid.
  if (!state.start && (await refused(owner.address))) return 'stale';
  return 'live';
}

/**
 * Removes a stale lock if it is still the one judged stale (`staleToken`; null:
 * unreadable), serialised by a second exclusive file so that a taker that read
 * the stale lock before another replaced it never removes the fresh one.
 */
export async function takeOver(lockPath: string, staleToken: string | null): Promise<void> {
  const mutex = `${lockPath}.takeover`;
  if (!(await createExclusive(mutex, String(process.pid)))) {
    // Another process is taking over; its mutex outlives it only if it died within these few milliseconds.
    const age = await ageMs(mutex);
    if (age !== null && age > 10_000) await fs.rm(mutex, { force: true });
    await sleep(POLL_MS);
    return;
  }
  try {
    const current = await readRecord(lockPath);
    const unchanged = staleToken === null ? current === null : current?.token === staleToken;
    if (unchanged) await fs.rm(lockPath, { force: true });
  } finally {
    await fs.rm(mutex, { force: true });
  }
}

/**
 * Creates `path` holding `content` only if it does not exist. A hard link of a
 * finished temporary file makes the content appear at once with the name; where
 * the filesystem has no hard links, an O_EXCL create then a write.
 */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(tmp, content);
  try {
    await fs.link(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw err;
  } finally {
    await fs.rm(tmp, { force: true });
  }
  try {
    const handle = await fs.open(path, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** The record, `undefined` when there is no lock, `null` when it cannot be read as one. */
export async function readRecord(path: string): Promise<OwnerRecord | null | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as OwnerRecord;
    return typeof parsed.pid === 'number' && typeof parsed.token === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

async function describeSelf(command: string): Promise<Omit<OwnerRecord, 'token' | 'startedAt'>> {
  const state = await processState(process.pid);
  return {
    pid: process.pid,
    hostname: os.hostname(),
    processStart: state === 'gone' ? null : state.start,
    command,
    address: null,
  };
}

/** Whether `pid` runs, and (on Linux) since when; a zombie has exited and counts as gone. */
async function processState(pid: number): Promise<'gone' | { start: string | null }> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  try {
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return 'gone';
    return { start: fields[19] ?? null };
  } catch {
    return { start: null };
  }
}

function refused(address: string): Promise<boolean> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(2000, () => done(false)); // slow is not gone
    socket.once('connect', () => done(false));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED'));
  });
}

export function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

async function ageMs(path: string): Promise<number | null> {
  try {
    return Date.now() - (await fs.stat(path)).mtimeMs;
  } catch {
    return null;
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
