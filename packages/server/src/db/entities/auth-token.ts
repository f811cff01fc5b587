import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.js';

export const AUTH_TOKEN_PURPOSES = ['invite', 'verify_email', 'reset_password'] as const;
export type AuthTokenPurpose = (typeof AUTH_TOKEN_PURPOSES)[number];

/**
 * A single-use, expiring token mailed to a staff member (invitation, email
 * verification, password reset). Only its SHA-256 is stored.
 */
export const AuthToken = defineEntity({
  name: 'AuthToken',
  tableName: 'auth_tokens',
  indexes: [{ properties: ['user', 'purpose'] }],
  properties: {
    id: p.uuid().primary(),
    user: p.manyToOne(User).deleteRule('cascade'),
    purpose: p.enum([...AUTH_TOKEN_PURPOSES]),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdBy: p.manyToOne(User).nullable().deleteRule('set null'),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAuthToken = InferEntity<typeof AuthToken>;
