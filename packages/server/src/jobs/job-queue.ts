/**
 * The job contract every backend implements: BullMQ on Redis, BullMQ on
 * PostgreSQL, and the embedded queue for PGlite. Callers never know which.
 * Design note: job names are dotted (`whatsapp.send-reply`); a queue groups
 * jobs that share a worker pool.
 */
export interface JobOptions {
  /** Same id twice → one job (idempotent enqueue). */
  jobId?: string;
  delayMs?: number;
  /** Total tries including the first. @default 3 */
  attempts?: number;
}

export interface JobContext<T> {
  name: string;
  data: T;
  /** 1 on the first try. */
  attempt: number;
  id: string;
}

export type JobHandler<T = unknown> = (job: JobContext<T>) => Promise<void>;

export interface WorkerOptions {
  /** @default 4 */
  concurrency?: number;
}

export type JobBackendKind = 'redis' | 'postgres' | 'embedded';

/** A job that failed for good (its attempts spent, or a permanent error): a dead letter. */
export interface FailedJob {
  queue: string;
  id: string;
  name: string;
  /** The last error, as storable text. */
  error: string;
  attempts: number;
  /** ISO time of the final failure, when the backend knows it. */
  failedAt: string | null;
  /** `data.clientId` when the job names a tenant. */
  clientId: string | null;
}

export interface Jobs {
  readonly kind: JobBackendKind;
  add<T>(queue: string, name: string, data: T, options?: JobOptions): Promise<void>;
  /** Starts processing a queue in this process (a `web` process ignores it: see create-jobs.ts). */
  work<T>(queue: string, handler: JobHandler<T>, options?: WorkerOptions): Promise<void>;
  /** The queues this process works, as `/readyz` reports them. */
  working?(): string[];
  /** Failed jobs of the queues this process knows (added to or worked), newest first. */
  listFailed(limit?: number): Promise<FailedJob[]>;
  /** Puts a failed job back in its queue with a fresh set of attempts. False when there is no such failed job. */
  retryFailed(queue: string, id: string): Promise<boolean>;
  /** Removes a failed job. False when there is no such failed job. */
  discardFailed(queue: string, id: string): Promise<boolean>;
  /** Finishes running jobs (up to the deadline) and closes connections. */
  close(): Promise<void>;
}

/**
 * Design note on failures (issue 12): every backend records a failure whatever
 * its text holds (error messages are cleaned by `storableErrorText` before
 * they reach a table: PostgreSQL refuses U+0000), counts an attempt when a job
 * is taken (a crash mid-job counts), and keeps a job that failed for good as a
 * dead letter without holding back the jobs behind it.
 */

/** A failure that retrying cannot fix (bad payload, permanent provider error). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export function backoffMs(attempt: number): number {
  const base = Math.min(30_000, 500 * 2 ** (attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** The tenant a job's data names, if any (outbound deliveries, alerts, ingestions carry `clientId`). */
export function clientIdOf(data: unknown): string | null {
  const id = data && typeof data === 'object' ? (data as { clientId?: unknown }).clientId : undefined;
  return typeof id === 'string' ? id : null;
}
