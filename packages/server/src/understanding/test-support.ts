import type { UnderstandInput } from './types.js';
import { understand } from './understand.js';

/** A Wednesday morning in Madrid; every relative date in the tests resolves against it. */
export const NOW = new Date('2026-12-02T10:00:00Z');

export const SERVICES = {
  dental: ['Check-up and cleaning', 'Teeth whitening', 'Dental implants', 'Invisalign', 'Emergency care'],
  hotel: ['Rooms and suites', 'Airport transfer', 'Late checkout', 'Breakfast', 'Room upgrade', 'Events'],
  real_estate: ['Buying', 'Selling', 'Renting', 'Property valuation'],
} as const;

export function read(text: string, input: Partial<UnderstandInput> = {}) {
  const industry = (input.industry ?? 'dental') as keyof typeof SERVICES;
  return understand({
    text,
    now: NOW,
    timeZone: 'Europe/Madrid',
    region: 'ES',
    services: SERVICES[industry] ?? [],
    industry,
    ...input,
  });
}
