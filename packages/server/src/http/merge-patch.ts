import type { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { parseInput } from '../errors/validate.js';

/**
 * Partial updates are JSON Merge Patch (RFC 7396): a PATCH body names only
 * what changes. Objects merge recursively, arrays and scalars replace the
 * stored value whole, `null` removes a member. The merged document is then
 * validated against the resource's FULL schema, so a default can only ever
 * fill a field the caller removed, never one it did not send (zod's
 * `.partial()` fills defaults, which is how a PATCH of one field used to wipe
 * the FAQs). Every PATCH route (and the channel PUTs, which were always
 * partial) goes through `mergePatch()`.
 */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys that would reach an object's prototype when assigned; never merged. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** RFC 7396 section 2, without mutating either argument. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (UNSAFE_KEYS.has(key)) continue;
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

export interface PatchBodyOptions {
  /** Names the body in error messages. @default 'body' */
  what?: string;
  /** When set, an empty patch is refused with this message (routes where `{}` is surely a mistake). */
  emptyMessage?: string;
}

export interface MergePatchOptions extends PatchBodyOptions {
  /**
   * Write-only members (secrets): never part of `current`, passed to the
   * schema exactly as sent (absent: keep the stored one; null: clear it), so
   * the caller can tell the three apart.
   */
  writeOnly?: readonly string[];
}

/** The body of a merge patch must be an object (a bare value would replace the whole resource). */
export function requirePatchObject(body: unknown, options: PatchBodyOptions = {}): JsonObject {
  const what = options.what ?? 'body';
  if (!isJsonObject(body)) {
    throw new AppError('validation_failed', `invalid ${what}: expected a JSON object with the fields to change`);
  }
  if (options.emptyMessage && Object.keys(body).length === 0) {
    throw new AppError('validation_failed', `invalid ${what}: ${options.emptyMessage}`);
  }
  return body;
}

/**
 * Applies `patch` to `current` and validates the result against the full
 * `schema`: a 400 naming each bad field when the merged result is invalid,
 * in which case the caller stores nothing.
 */
export function mergePatch<S extends z.ZodType>(
  schema: S,
  current: JsonObject,
  patch: unknown,
  options: MergePatchOptions = {},
): z.output<S> {
  const body = requirePatchObject(patch, options);
  const sent: JsonObject = {};
  const merging: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    if (UNSAFE_KEYS.has(key)) continue;
    if (options.writeOnly?.includes(key)) sent[key] = value;
    else merging[key] = value;
  }
  const merged = applyMergePatch(current, merging) as JsonObject;
  return parseInput(schema, { ...merged, ...sent }, options.what ?? 'body');
}

/**
 * The JSON Schema of a merge-patch body, from the JSON Schema of the full
 * resource: nothing is required, no default applies, and a member the
 * resource may lack (optional or defaulted) may be sent as `null` to remove it.
 */
export function mergePatchJsonSchema(full: unknown): unknown {
  if (!isJsonObject(full)) return full;
  if (full.type !== 'object' || !isJsonObject(full.properties)) return full;
  const required = new Set(Array.isArray(full.required) ? (full.required as string[]) : []);
  const properties: JsonObject = {};
  for (const [name, prop] of Object.entries(full.properties)) {
    const { default: _default, ...rest } = (isJsonObject(prop) ? prop : {}) as JsonObject;
    const patched = mergePatchJsonSchema(rest);
    properties[name] = required.has(name) ? patched : { anyOf: [patched, { type: 'null' }] };
  }
  const { required: _required, ...object } = full;
  return { ...object, properties };
}
