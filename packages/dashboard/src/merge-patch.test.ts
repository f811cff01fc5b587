import { describe, expect, it } from 'vitest';
import { createMergePatch } from './merge-patch.js';

describe('createMergePatch', () => {
  const before = {
    name: 'Casa Sol',
    config: {
      faqs: [{ question: 'Parking?', answer: 'Yes.' }],
      widget: { greeting: 'Hi', primaryColor: '#112233', logoUrl: 'https://x.example/logo.png' },
      customPersonality: 'Warm',
      services: ['Rooms'],
    },
  };

  it('sends only what changed, objects member by member and arrays whole', () => {
    const after = structuredClone(before);
    after.config.widget.greeting = 'Hello';
    after.config.services = ['Rooms', 'Spa'];
    expect(createMergePatch(before, after)).toEqual({
      config: { widget: { greeting: 'Hello' }, services: ['Rooms', 'Spa'] },
    });
  });

  it('sends null for a member that was removed or set to undefined', () => {
    const after = structuredClone(before) as { config: Record<string, unknown> & { widget: Record<string, unknown> } };
    delete after.config.customPersonality;
    after.config.widget.logoUrl = undefined;
    expect(createMergePatch(before, after)).toEqual({ config: { customPersonality: null, widget: { logoUrl: null } } });
  });

  it('is nothing when nothing changed', () => {
    expect(createMergePatch(before, structuredClone(before))).toBeUndefined();
  });
});
