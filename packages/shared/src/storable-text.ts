/**
 * Text PostgreSQL cannot store. `text` refuses U+0000; `jsonb` refuses the
 * `\u0000` escape and unpaired UTF-16 surrogates (which JSON.stringify writes
 * as `\ud800`-style escapes), and a lone surrogate in a `text` column is
 * silently turned into U+FFFD by the UTF-8 encoder. JavaScript strings carry
 * all of these happily, so the check has to happen where input arrives.
 *
 * Design note: one walker, used at every edge. The server's one input parser
 * (`parseInput`, which HTTP routes and socket handlers share) refuses input
 * holding such text with a 400 naming the field; provider webhooks, which we
 * must accept once signed, strip it instead (`stripUnstorableText`). It walks
 * the raw input rather than living in each zod schema, so object keys, fields
 * a schema passes through (records, loose objects) and fields nobody annotated
 * are covered too. No zod here: the dashboard may use it without the bundle.
 */

/** U+0000, or a surrogate half without its partner. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what this looks for.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what this looks for.
const UNSTORABLE_ALL = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface UnstorableText {
  /** Dotted path of the field (`config.faqs.0.question`), `(root)` for the value itself. */
  path: string;
  /** What is wrong, for a message a person reads. */
  message: string;
}

/** Why `s` cannot be stored, or null when it can. */
export function unstorableReason(s: string): string | null {
  const m = UNSTORABLE.exec(s);
  if (!m) return null;
  return m[0] === '\u0000'
    ? 'contains the NUL character (U+0000), which cannot be stored'
    : 'contains an unpaired UTF-16 surrogate (invalid Unicode), which cannot be stored';
}

export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/**
 * The first string (value or object key) in `value` that cannot be stored,
 * with its path. Iterative, so a deeply nested body cannot overflow the stack;
 * cycles are not followed.
 */
export function findUnstorableText(value: unknown): UnstorableText | null {
  // Each entry links to its parent: paths are built only for the one bad field (a deep body stays linear).
  const stack: PathNode[] = [{ value, key: null, parent: null }];
  const seen = new Set<object>();
  while (stack.length) {
    const node = stack.pop() as PathNode;
    const v = node.value;
    if (typeof v === 'string') {
      const reason = unstorableReason(v);
      if (reason) return { path: pathOf(node), message: reason };
      continue;
    }
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: String(i), parent: node });
      continue;
    }
    // Buffers and typed arrays (uploaded files) are bytes, not text: the code reading them decides.
    if (ArrayBuffer.isView(v)) continue;
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      const reason = unstorableReason(key);
      if (reason) {
        return { path: pathOf({ value: null, key: printable(key), parent: node }), message: `field name ${reason}` };
      }
      stack.push({ value: (v as Record<string, unknown>)[key], key, parent: node });
    }
  }
  return null;
}

interface PathNode {
  value: unknown;
  key: string | null;
  parent: PathNode | null;
}

/** `s` with U+0000 removed and unpaired surrogates replaced by U+FFFD (as a UTF-8 encoder would). */
export function stripUnstorableString(s: string): string {
  if (!UNSTORABLE.test(s)) return s;
  return s.replace(UNSTORABLE_ALL, (c) => (c === '\u0000' ? '' : '\uFFFD'));
}

/**
 * A copy of `value` whose strings and keys can all be stored. For data we must
 * accept (signed provider webhooks): dropping one character beats losing the
 * message. Plain objects and arrays are copied; other objects (dates) are kept.
 */
export function stripUnstorableText<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return stripUnstorableString(value) as T;
  if (!value || typeof value !== 'object' || depth > 100) return value;
  if (Array.isArray(value)) return value.map((v) => stripUnstorableText(v, depth + 1)) as T;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[stripUnstorableString(k)] = stripUnstorableText(v, depth + 1);
  return out as T;
}

function pathOf(node: PathNode): string {
  const keys: string[] = [];
  let length = 0;
  // A path through a deeply nested body would make an unreadable message: its last 200 characters.
  for (let n: PathNode | null = node; n?.key != null && length <= 200; n = n.parent) {
    keys.push(n.key);
    length += n.key.length + 1;
  }
  if (!keys.length) return '(root)';
  const text = keys.reverse().join('.');
  return length > 200 ? `…${text.slice(-200)}` : text;
}

function printable(key: string): string {
  return stripUnstorableString(key).slice(0, 60) || '(empty)';
}
