import { z } from 'zod';
import { CLIENT_STATUSES, PLANS } from '../enums.js';

/**
 * Agencies (issue 18, docs/agencies.md): a reseller that owns many clients and
 * has its own staff. Super admins create and rename them under
 * `/admin/agencies`; agency staff read and run their own under `/agency`.
 */
const slug = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase letters, digits and single hyphens');

/** `POST /admin/agencies`. */
export const createAgencySchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** From the name when left out; a slug given and taken is a 409. */
  slug: slug.optional(),
});
export type CreateAgencyInput = z.infer<typeof createAgencySchema>;

/** What a super admin manages of an agency, whole; `PATCH /admin/agencies/:id` is a merge patch of it. */
export const managedAgencySchema = z.object({ name: z.string().trim().min(1).max(200), slug });

export const agencySchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  clients: z.number().int(),
  staff: z.number().int(),
  createdAt: z.string(),
});
export type AgencyDto = z.infer<typeof agencySchema>;

/** One client in an agency's list (the dashboard's client switcher). */
export const agencyClientSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  industry: z.string(),
  plan: z.enum(PLANS),
  status: z.enum(CLIENT_STATUSES),
  createdAt: z.string(),
});
export type AgencyClientDto = z.infer<typeof agencyClientSchema>;

export const agencyClientsQuerySchema = z.object({
  status: z.enum(CLIENT_STATUSES).optional(),
  q: z.string().max(100).optional(),
});

/**
 * `GET /agency/audit`: the agency's own audit entries (agency-level actions, which belong to no client), newest
 * first, a page at a time. `cursor` is the previous page's `nextCursor` (opaque); the filters are the client
 * audit log's (`action`, `userId`).
 */
export const agencyAuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  userId: z.string().uuid().optional(),
});
export type AgencyAuditQuery = z.infer<typeof agencyAuditQuerySchema>;

export const auditEntrySchema = z.object({
  id: z.string(),
  actor: z.string(),
  userId: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const agencyAuditPageSchema = z.object({
  data: z.array(auditEntrySchema),
  /** Null on the last page. */
  nextCursor: z.string().nullable(),
});
