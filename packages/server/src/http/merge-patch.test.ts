import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { applyMergePatch, mergePatch, mergePatchJsonSchema } from './merge-patch.js';

describe('applyMergePatch', () => {
  // RFC 7396, Appendix A: every example, verbatim.
  const examples: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(examples)('%j patched with %j is %j', (target, patch, expected) => {
    const before = JSON.stringify(target);
    expect(applyMergePatch(target, patch)).toEqual(expected);
    expect(JSON.stringify(target)).toBe(before);
  });

  it('never writes through __proto__', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const result = applyMergePatch({}, patch) as Record<string, unknown>;
    expect(result).toEqual({ a: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('mergePatch', () => {
  const schema = z.object({
    name: z.string().min(1),
    tags: z.array(z.string()).default([]),
    note: z.string().optional(),
  });

  it('validates the merged result, so defaults never fill fields that were stored', () => {
    expect(mergePatch(schema, { name: 'a', tags: ['x'], note: 'n' }, { note: null })).toEqual({
      name: 'a',
      tags: ['x'],
    });
  });

  it('refuses an invalid merged result with a 400 naming the field', () => {
    expect(() => mergePatch(schema, { name: 'a', tags: [] }, { name: null })).toThrow(/name/);
    expect(() => mergePatch(schema, { name: 'a', tags: [] }, { tags: [1] })).toThrow(
      expect.objectContaining({ code: 'validation_failed', message: expect.stringContaining('tags.0') }),
    );
    expect(() => mergePatch(schema, { name: 'a' }, 'not an object')).toThrow(AppError);
  });

  it('passes write-only members through unmerged, null included', () => {
    const secrets = z.object({ id: z.string(), token: z.string().nullable().optional() });
    expect(mergePatch(secrets, { id: '1' }, { token: null }, { writeOnly: ['token'] })).toEqual({
      id: '1',
      token: null,
    });
  });
});

describe('mergePatchJsonSchema', () => {
  it('requires nothing, drops defaults and lets removable members be null', () => {
    const doc = mergePatchJsonSchema({
      type: 'object',
      properties: {
        name: { type: 'string' },
        inner: { type: 'object', properties: { n: { type: 'number', default: 1 } }, required: ['n'] },
      },
      required: ['name'],
    });
    expect(doc).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string' },
        inner: { anyOf: [{ type: 'object', properties: { n: { type: 'number' } } }, { type: 'null' }] },
      },
    });
  });
});
