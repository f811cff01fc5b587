import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from './client.js';

/** A scoring rule: when a qualification field matches, add points (with a label as evidence). */
export const QualificationRule = defineEntity({
  name: 'QualificationRule',
  tableName: 'qualification_rules',
  properties: {
    id: p.uuid().primary(),
    client: p.manyToOne(Client).deleteRule('cascade').index(),
    field: p.string().length(64),
    operator: p.enum(['equals', 'contains', 'exists', 'gte', 'lte', 'in']),
    value: p.json<unknown>().nullable(),
    points: p.smallint(),
    label: p.string().length(200),
    position: p.integer().default(0),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IQualificationRule = InferEntity<typeof QualificationRule>;
