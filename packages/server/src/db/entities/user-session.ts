import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.js';

/**
 * A refresh-token session. Rotation keeps the familyId; reusing a rotated token
 * revokes every session of the family.
 */
export const UserSession = defineEntity({
  name: 'UserSession',
  tableName: 'user_sessions',
  properties: {
    id: p.uuid().primary(),
    user: p.manyToOne(User).deleteRule('cascade').index(),
    familyId: p.uuid().index(),
    refreshTokenHash: p.string().length(64).unique(),
    device: p.string().length(200).nullable(),
    ip: p.string().length(64).nullable(),
    userAgent: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    expiresAt: p.datetime(),
    rotatedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});
export type IUserSession = InferEntity<typeof UserSession>;
