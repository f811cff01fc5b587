/**
 * A small seeded generator of malformed input for the fuzz suite: the same
 * seed gives the same payloads, so a failure found once is found again.
 *
 * Every payload is malformed by construction: it holds text PostgreSQL cannot
 * store, or is not a JSON object, or breaks a field with a wrong type, an
 * invalid id or a size no schema allows. (A pollution key alone would not be
 * malformed, so it always comes with one of those.)
 */

/** mulberry32: tiny, fast and good enough to pick cases. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(next() * items.length)] as T;
    },
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof seededRandom>;

/** Strings PostgreSQL cannot store. */
export const UNSTORABLE_STRINGS = [
  '\u0000',
  'Ana\u0000Lopez',
  'x\ud800',
  '\udfffy',
  'ok\u0000\ud83d',
  'a\\u0000\u0000',
];

/** Malformed scalar values: wrong types, invalid ids, numbers as strings, odd numbers. */
const WRONG_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  Number.POSITIVE_INFINITY /* JSON writes null */,
  2 ** 53 + 1,
  -0.5,
  '12',
  '1e309',
  'NaN',
  '-1',
  '',
  ' ',
  [],
  [null],
  {},
  { $ne: null },
  { $gt: '' },
  'not-a-uuid',
  '00000000-0000-0000-0000-00000000000g',
  "'; drop table leads; --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '\u202e\u200b',
  '🙂'.repeat(3000),
];

/** Field names the routes and events read, so a mutation often hits a real field. */
export const KNOWN_FIELDS = [
  'name',
  'email',
  'phone',
  'message',
  'content',
  'status',
  'note',
  'code',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'mfaToken',
  'refreshToken',
  'config',
  'description',
  'category',
  'question',
  'answer',
  'entries',
  'questionIds',
  'resolution',
  'role',
  'siteKey',
  'conversationId',
  'clientMessageId',
  'assigneeId',
  'suggestionId',
  'typing',
  'upToSeq',
  'afterSeq',
  'identityToken',
  'accessToken',
  'phoneNumberId',
  'accountSid',
  'authToken',
  'phoneNumber',
  'signingSecret',
  'alertRecipients',
  'plan',
  'industry',
  'sourceId',
  'callId',
  'from',
  'to',
] as const;

const NUMERIC_FIELDS = new Set<string>(['upToSeq', 'afterSeq']);
const UUID_FIELDS = new Set<string>(['conversationId', 'assigneeId', 'suggestionId']);
const NON_STRINGS: unknown[] = [null, 0, -1, 2 ** 53 + 1, -0.5, [], [null], {}, { $ne: null }, { $gt: '' }, [[[[[]]]]]];

/** A value of the wrong type for `field`: never a string where text is read, numbers as strings where numbers are. */
function wrongTypeFor(r: Random, field: string): unknown {
  if (NUMERIC_FIELDS.has(field)) return r.pick<unknown>(['12', '1e309', 'NaN', -1, null, 0.5]);
  if (field === 'typing') return r.pick<unknown>(['true', 1, null]);
  if (UUID_FIELDS.has(field)) return r.pick<unknown>(['not-a-uuid', '00000000-0000-0000-0000-00000000000g', 12, null]);
  return r.pick(NON_STRINGS);
}

function deep(depth: number, leaf: unknown, asObject: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asObject ? { a: v } : [v];
  return v;
}

/** A valid-looking object for routes and events (most fields right), to be broken by `mutate`. */
export function plausibleObject(r: Random): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = 1 + r.int(5);
  for (let i = 0; i < n; i++) {
    const field = r.pick(KNOWN_FIELDS);
    out[field] = r.pick<unknown>([
      'Ana Lopez',
      'ana@example.com',
      '+14155550101',
      'I would like a cleaning next week',
      '00000000-0000-4000-8000-000000000000',
      12,
      true,
      ['a'],
      { faqs: [{ question: 'Q?', answer: 'A' }] },
      'cm_0123456789',
    ]);
  }
  return out;
}

/** One breaking change to `base`: the returned value is malformed whatever the schema. */
export function mutate(r: Random, base: Record<string, unknown>): unknown {
  const field = r.pick(KNOWN_FIELDS);
  const withPollution = (v: Record<string, unknown>) =>
    // Own `__proto__` / `constructor` keys, as JSON.parse would create them from a body.
    r.chance(0.3) ? { ...JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}'), ...v } : v;
  switch (r.int(8)) {
    case 0:
      return withPollution({ ...base, [field]: r.pick(UNSTORABLE_STRINGS) });
    case 1:
      return withPollution({ ...base, [`${field}\u0000`]: 'x' });
    case 2:
      return withPollution({ ...base, nested: { list: [1, { deeper: r.pick(UNSTORABLE_STRINGS) }] } });
    case 3:
      return r.pick<unknown>([null, 42, 'just a string', [base], true, [], '\u0000']);
    case 4:
      // Deep nesting that also holds a NUL at the bottom.
      return withPollution({ ...base, [field]: deep(200 + r.int(3000), '\u0000', r.chance(0.5)) });
    case 5:
      // Huge text with one unstorable character at the end.
      return { ...base, [field]: `${'x'.repeat(5_000 + r.int(60_000))}${r.pick(UNSTORABLE_STRINGS)}` };
    case 6:
      // A wrong type for every known field at once, with no unstorable text: the schemas must refuse it.
      return withPollution(Object.fromEntries(KNOWN_FIELDS.map((f) => [f, wrongTypeFor(r, f)])));
    default:
      return withPollution({ ...base, [field]: r.pick(WRONG_VALUES), extra: r.pick(UNSTORABLE_STRINGS) });
  }
}

export interface RawBody {
  contentType: string | undefined;
  body: string | Buffer | undefined;
  kind: string;
}

/** A malformed HTTP body: JSON from `mutate`, or broken JSON, wrong content types, empty and oversized bodies. */
export function malformedBody(r: Random): RawBody {
  const roll = r.int(40);
  if (roll >= 20)
    return { contentType: 'application/json', body: JSON.stringify(mutate(r, plausibleObject(r))), kind: 'json' };
  if (roll < 11)
    return { contentType: 'application/json', body: JSON.stringify(mutate(r, plausibleObject(r))), kind: 'json' };
  switch (roll) {
    case 11:
      return {
        contentType: 'application/json',
        body: r.pick(['{', '[1,]', "{'a':1}", '{"a":1}}', 'nul']),
        kind: 'broken-json',
      };
    case 12:
      return { contentType: 'application/json', body: '', kind: 'empty' };
    case 13:
      return { contentType: undefined, body: undefined, kind: 'none' };
    case 14:
      return { contentType: 'text/plain', body: '{"name":"\u0000"}', kind: 'text-plain' };
    case 15:
      return { contentType: 'application/xml', body: '<a>\u0000</a>', kind: 'xml' };
    case 16:
      return { contentType: 'multipart/form-data', body: 'no boundary', kind: 'multipart-no-boundary' };
    case 17:
      return { contentType: 'application/json; charset=latin1', body: '{"a":"\u00e9"}', kind: 'bad-charset' };
    case 18:
      return {
        contentType: 'application/x-www-form-urlencoded',
        body: 'name=%00&email=%ED%A0%80&content=%00&__proto__[x]=1',
        kind: 'form',
      };
    default:
      // Over the 1 MB body limit.
      return { contentType: 'application/json', body: `{"a":"${'x'.repeat(1_100_000)}"}`, kind: 'oversized' };
  }
}

/** A malformed path parameter, URL-encoded. */
export function malformedParam(r: Random): string {
  return r.pick([
    '%00',
    'not-a-uuid',
    '00000000-0000-0000-0000-00000000000g',
    `${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(11)}%00`,
    '%ED%A0%80',
    '%E0%A4%A',
    encodeURIComponent("'; drop table leads; --"),
    'x'.repeat(2000),
    '-1',
    '1e309',
    '%2e%2e%2f%2e%2e%2fetc',
    '__proto__',
    'constructor',
  ]);
}

/** A malformed query string. */
export function malformedQuery(r: Random): string {
  const parts = [
    'q=%00',
    'q=%ED%A0%80',
    'page=-1',
    'page=abc',
    'pageSize=1e309',
    'pageSize=100000',
    'status=%00',
    'from=2026-13-45',
    'to=%00',
    'minScore=NaN',
    'month=2026-00',
    'days=0',
    'k=-5',
    'knowledgeBaseId=not-a-uuid',
    'leadId=%00',
    'afterSeq=-1',
    'limit=99999999999',
    'client=%00',
    'siteKey=%00',
    '__proto__[x]=1',
    'q[]=a&q[]=b',
    'q=a&q=b',
  ];
  const n = 1 + r.int(3);
  return Array.from({ length: n }, () => r.pick(parts)).join('&');
}
