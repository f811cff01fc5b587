import { describe, expect, it } from 'vitest';
import { guardedLookup, isPublicAddress } from './address-policy.js';
import { nextRetryAt } from './retry-schedule.js';

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '0.1.2.3',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    'not an address',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('guardedLookup', () => {
  const lookup = (allowPrivate: boolean, all: boolean) =>
    new Promise<{ err: Error | null; address: unknown }>((resolve) =>
      guardedLookup(allowPrivate)('localhost', { all }, (err, address) => resolve({ err, address })),
    );

  it('refuses a name that resolves to loopback, at lookup time (single and all answers)', async () => {
    for (const all of [false, true]) {
      const { err } = await lookup(false, all);
      expect(err?.name).toBe('RefusedAddressError');
      expect(err?.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), not a public address/);
    }
  });

  it('lets it through when private addresses are allowed', async () => {
    const single = await lookup(true, false);
    expect(single.err).toBeNull();
    expect(['127.0.0.1', '::1']).toContain(single.address);
    const all = await lookup(true, true);
    expect(Array.isArray(all.address)).toBe(true);
  });
});

describe('nextRetryAt', () => {
  const policy = { baseMs: 5000, maxMs: 7_200_000, windowMs: 86_400_000 };
  const first = new Date('2026-12-01T00:00:00Z');

  it('doubles from the base with jitter, capped, and stops at the window', () => {
    const at = (attempt: number, nowMs: number, r = 0.5) =>
      nextRetryAt(policy, attempt, first, new Date(first.getTime() + nowMs), () => r);
    expect(at(1, 0)?.getTime()).toBe(first.getTime() + 5000);
    expect(at(2, 0)?.getTime()).toBe(first.getTime() + 10_000);
    expect(at(1, 0, 0)?.getTime()).toBe(first.getTime() + 3750);
    expect(at(1, 0, 1)?.getTime()).toBe(first.getTime() + 6250);
    expect(at(20, 0)?.getTime()).toBe(first.getTime() + 7_200_000);
    // The last retry lands on the window's end, not after it; after the end, none.
    expect(at(20, 86_000_000)?.getTime()).toBe(first.getTime() + 86_400_000);
    expect(at(21, 86_400_000)).toBeNull();
  });

  it('spans about 24 hours in roughly twenty attempts with the default policy', () => {
    let now = first;
    let attempts = 1;
    for (;;) {
      const next = nextRetryAt(policy, attempts, first, now, () => 0.5);
      if (!next) break;
      now = next;
      attempts++;
    }
    expect(now.getTime() - first.getTime()).toBe(86_400_000);
    expect(attempts).toBeGreaterThan(15);
    expect(attempts).toBeLessThan(25);
  });
});
