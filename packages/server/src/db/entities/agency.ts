import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * A reseller (issue 18): owns many clients, has its own staff and its own branding. The branding JSON is read
 * and written by `branding/` (validated there); the entity only carries it.
 */
export const Agency = defineEntity({
  name: 'Agency',
  tableName: 'agencies',
  properties: {
    id: p.uuid().primary(),
    slug: p.string().length(80).unique(),
    name: p.string().length(200),
    branding: p.json<Record<string, unknown>>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IAgency = InferEntity<typeof Agency>;
