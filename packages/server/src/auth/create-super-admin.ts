import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type IUser, User } from '../db/entities/index.js';
import { AppError } from '../errors/app-error.js';
import { normaliseEmail } from './auth-service.js';
import { checkPasswordStrength, hashPassword } from './passwords.js';

export interface CreateSuperAdminOptions {
  email: string;
  password: string;
  name?: string;
  /** Minimum zxcvbn score. @default 3 */
  minScore?: number;
}

/** The normalised address, or a validation error naming it. */
export function assertValidEmail(raw: string): string {
  const email = normaliseEmail(raw);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
    throw new AppError('validation_failed', `"${raw}" is not an email address`);
  }
  return email;
}

/** The bootstrap account: a super admin belongs to no client and acts across all of them. */
export async function createSuperAdmin(em: EntityManager, options: CreateSuperAdminOptions): Promise<IUser> {
  const email = assertValidEmail(options.email);
  const name = options.name?.trim() || email.split('@')[0]!;
  const strength = checkPasswordStrength(options.password, options.minScore ?? 3, [email, name]);
  if (!strength.ok) throw new AppError('validation_failed', strength.reason);
  if (await em.count(User, { email })) throw new AppError('conflict', `a user with the email ${email} already exists`);
  const user = em.create(User, {
    id: randomUUID(),
    client: null,
    email,
    name,
    role: 'super_admin',
    passwordHash: await hashPassword(options.password),
    backupCodeHashes: [],
  });
  await em.flush();
  return user;
}
