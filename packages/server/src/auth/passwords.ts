import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';

/**
 * Passwords: argon2id (the @node-rs/argon2 default: 19 MiB, 2 passes, the
 * OWASP baseline) and a zxcvbn strength check that explains a refusal.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * A real argon2id hash of a random password: verifying against it for an
 * unknown email costs the same time as for a known one.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash(randomBytes(24).toString('base64url'));
  return dummyHash;
}

let zxcvbn: ZxcvbnFactory | undefined;
function estimator(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  return zxcvbn;
}

export type StrengthResult = { ok: true; score: number } | { ok: false; score: number; reason: string };

/** Refuses short, long or guessable passwords with a reason a person can act on. */
export function checkPasswordStrength(password: string, minScore: number, userInputs: string[] = []): StrengthResult {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return { ok: false, score: 0, reason: `password must be at least ${PASSWORD_MIN_LENGTH} characters` };
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return { ok: false, score: 0, reason: `password must be at most ${PASSWORD_MAX_LENGTH} characters` };
  }
  const inputs = userInputs.flatMap((s) => [s, ...s.split(/[@.\s_-]+/)]).filter((s) => s.length >= 3);
  const result = estimator().check(password, [...inputs, 'leaddesk', 'lead desk']);
  if (result.score >= minScore) return { ok: true, score: result.score };
  const hints = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
  return {
    ok: false,
    score: result.score,
    reason: `password is too easy to guess (strength ${result.score}/4, need ${minScore})${hints ? `: ${hints}` : ''}`,
  };
}
