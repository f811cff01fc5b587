import { ROLES } from '@leaddesk/shared';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Agency } from './agency.js';
import { Client } from './client.js';

/**
 * A staff member. super_admin users have no client and act across clients; agency staff have an agency
 * instead of a client and act, with their role, for the client of that agency they select.
 */
export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).nullable().deleteRule('cascade').index(),
    agency: p.manyToOne(Agency).nullable().deleteRule('cascade').index(),
    email: p.string().length(254).unique(),
    name: p.string().length(200),
    role: p.enum([...ROLES]).default('agent'),
    passwordHash: p.string().length(255).nullable(),
    emailVerifiedAt: p.datetime().nullable(),
    totpSecret: p.string().length(255).nullable(),
    totpEnabled: p.boolean().default(false),
    backupCodeHashes: p.json<string[]>(),
    /** Last accepted TOTP time step: a code is accepted at most once. */
    totpLastStep: p.bigint('number').nullable(),
    failedLoginCount: p.integer().default(0),
    lockedUntil: p.datetime().nullable(),
    lastLoginAt: p.datetime().nullable(),
    disabledAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IUser = InferEntity<typeof User>;
