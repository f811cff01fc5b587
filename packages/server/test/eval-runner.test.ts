/**
 * `pnpm eval` itself: the runner drives a tiny labelled set through the real
 * server (socket in, REST out) and its report counts a deliberately wrong
 * label as a miss, so the scoring can fail; the pure scoring pieces are
 * checked on their own.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalItem, Expected } from '../eval/dataset.js';
import { computeMetrics } from '../eval/metrics.js';
import { judgeReplyLanguage } from '../eval/reply-language.js';
import { type EvalResult, runEval } from '../eval/run-eval.js';
import { canonicalBudget, canonicalTimeline, containsFact, type ItemScore, scoreItem } from '../eval/score.js';

const nothing: Expected = {
  intent: 'other',
  urgency: null,
  emergency: false,
  email: null,
  phone: null,
  date: null,
  budget: null,
  party: null,
  bedrooms: null,
  service: null,
};

const item = (id: string, text: string, expected: Partial<Expected>): EvalItem => ({
  id,
  vertical: 'dental',
  language: 'en',
  sentAt: '2026-12-14T10:00:00-05:00',
  text,
  expected: { ...nothing, ...expected },
});

describe('pnpm eval on a tiny set through the real server', () => {
  let dir: string;
  let result: EvalResult;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ld-eval-test-'));
    const set = path.join(dir, 'tiny.json');
    const items = [
      item('right', 'Please write to me at ana.lopez@example.com about an appointment', {
        intent: 'booking',
        email: 'ana.lopez@example.com',
      }),
      // The label names an address the message does not contain: the server cannot match it.
      item('wrong', 'You can reach me at bruno.costa@example.com, thanks', {
        intent: 'human_request',
        email: 'someone.else@example.com',
      }),
      item('hello', 'Hello', {}),
    ];
    await writeFile(set, JSON.stringify({ version: 1, items }));
    result = await runEval({ setFile: set });
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads every lead and reply back over REST and scores each item', () => {
    expect(result.metrics.items).toBe(3);
    expect(result.metrics.errors).toBe(0);
    expect(result.scores.map((s) => s.id)).toEqual(['right', 'wrong', 'hello']);
    for (const s of result.scores) {
      expect(s.replyText.length).toBeGreaterThan(0);
      expect(Object.keys(s.fields)).toEqual(
        expect.arrayContaining(['email', 'phone', 'date', 'budget', 'party', 'bedrooms', 'service', 'intent']),
      );
    }
    // What the server stored for the mislabelled message is the address it really contains.
    expect(result.scores[1]!.fields.email).toEqual({
      expected: 'someone.else@example.com',
      actual: 'bruno.costa@example.com',
      correct: false,
    });
  });

  it('counts the wrong label as a miss and fails the email target', () => {
    const email = result.metrics.fields.email;
    expect(email.labelled).toBe(2);
    expect(email.correct).toBeLessThanOrEqual(1);
    expect(email.nullLabelled).toBe(1);
    expect(result.metrics.misses.email.map((m) => m.id)).toContain('wrong');
    const target = result.metrics.targets.find((t) => t.name === 'email');
    expect(target?.pass).toBe(false);
    expect(result.metrics.passed).toBe(false);
    expect(result.report).toMatch(/FAIL {2}email +\s*\d/);
    expect(result.report).toContain('wrong    expected someone.else@example.com | got bruno.costa@example.com');
  });

  it('prints every target with PASS or FAIL', () => {
    for (const name of ['language', 'intent', 'urgency', 'date false positives', 'mixed-language replies']) {
      expect(result.report).toMatch(new RegExp(`(PASS|FAIL) {2}${name}`));
    }
    expect(JSON.parse(JSON.stringify(result.metrics)).targets.length).toBe(result.metrics.targets.length);
  });
});

describe('eval scoring', () => {
  it('reads stored timelines and budgets into comparable values', () => {
    expect(canonicalTimeline('2026-12-28 to 2027-01-03')).toBe('2026-12-28..2027-01-03');
    expect(canonicalTimeline('2026-12-28 to 2026-12-28')).toBe('2026-12-28');
    expect(canonicalTimeline('Friday morning')).toBe('Friday morning');
    expect(canonicalBudget('EUR 500000-600000', 'USD')).toBe('EUR 500000-600000');
    expect(canonicalBudget('1050', 'EUR')).toBe('EUR 1050');
    expect(canonicalTimeline(undefined)).toBeNull();
  });

  it('matches facts in any of their spellings, ignoring case and narrow spaces', () => {
    expect(containsFact('Abrimos los sábados de 9:00 a 14:00.', ['14:00', '2 pm'])).toBe(true);
    expect(containsFact('Invisalign starts at 4\u202f800 $', ['4,800', '4 800'])).toBe(true);
    expect(containsFact('A cleaning is $120.', '450')).toBe(false);
  });

  it('flags an English question inside a Spanish reply, not the business name', () => {
    const names = ['Brightside Dental Studio'];
    const pure = judgeReplyLanguage(
      'Hola, gracias por contactar con Brightside Dental Studio. ¿Qué tratamiento le interesa?',
      'es',
      names,
    );
    expect(pure.some((s) => s.foreign)).toBe(false);
    const mixed = judgeReplyLanguage('¡Gracias por escribirnos! Which treatment are you interested in?', 'es', names);
    expect(mixed.filter((s) => s.foreign).map((s) => s.detected)).toEqual(['en']);
  });

  it('counts a value given where the label is null as a false positive', () => {
    const base = item('x', 'How much is a cleaning?', { intent: 'pricing' });
    const lead = {
      qualification: { timeline: '2029-12-02', custom: { intent: 'pricing' } },
      language: 'en',
    } as unknown as NonNullable<Parameters<typeof scoreItem>[1]['lead']>;
    const score: ItemScore = scoreItem(
      base,
      { lead, replies: [], escalated: false, ms: 1 },
      { currency: 'USD', properNames: [] },
    );
    const metrics = computeMetrics([score]);
    expect(metrics.fields.date).toMatchObject({
      labelled: 0,
      nullLabelled: 1,
      falsePositives: 1,
      falsePositiveRate: 1,
    });
    expect(metrics.fields.intent).toMatchObject({ labelled: 1, correct: 1, accuracy: 1 });
    expect(metrics.targets.find((t) => t.name === 'date false positives')?.pass).toBe(false);
  });
});
