/**
 * The JSON Merge Patch (RFC 7396) that turns `before` into `after`: only what
 * the user changed. The server merges it into what is stored now, so a save
 * never writes back stale copies of fields someone else changed meanwhile.
 * Objects are diffed member by member, arrays and scalars are sent whole when
 * they differ, and a member that disappeared is sent as null (removed).
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function createMergePatch(before: unknown, after: unknown): Json | undefined {
  if (!isObject(before) || !isObject(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? undefined : ((after ?? null) as Json);
  }
  const patch: Record<string, Json> = {};
  for (const key of Object.keys(before)) {
    if (before[key] !== undefined && after[key] === undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const change = createMergePatch(before[key], value);
    if (change !== undefined) patch[key] = change;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** What a merge patch of a `T` may hold: any subset, nested objects partial, null to remove. */
export type MergePatchOf<T> = T extends unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: MergePatchOf<T[K]> | null }
    : T;
