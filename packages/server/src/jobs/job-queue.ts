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

export interface Jobs {
  readonly kind: JobBackendKind;
  add<T>(queue: string, name: string, data: T, options?: JobOptions): Promise<void>;
  /** Starts processing a queue in this process. */
  work<T>(queue: string, handler: JobHandler<T>, options?: WorkerOptions): Promise<void>;
  /** Finishes running jobs (up to the deadline) and closes connections. */
  close(): Promise<void>;
}

/** A failure that retrying cannot fix (bad payload, permanent provider error). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

export function backoffMs(attempt: number): number {
  const base = Math.min(30_000, 500 * 2 ** (attempt - 1));
  return Math.round(base / 2 + Math.random() * (base / 2));
}
