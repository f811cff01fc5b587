import type { MessageDto } from '@leaddesk/shared';
import { describe, expectTypeOf, it } from 'vitest';
import type { IdentifyInput, LeadDeskApi, LeadDeskListener } from '../src/api.js';

describe('window.LeadDesk types', () => {
  it('types each event payload and the commands', () => {
    expectTypeOf<LeadDeskListener<'message'>>().parameter(0).toEqualTypeOf<MessageDto>();
    expectTypeOf<LeadDeskListener<'unread'>>().parameter(0).toEqualTypeOf<number>();
    expectTypeOf<LeadDeskApi['on']>().returns.toEqualTypeOf<() => void>();
    expectTypeOf<LeadDeskApi['identify']>().parameter(0).toEqualTypeOf<IdentifyInput>();
    expectTypeOf<LeadDeskApi['identify']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<Window['LeadDesk']>().toEqualTypeOf<LeadDeskApi | undefined>();
    // Compile-time only (never called): unknown events are refused.
    const subscribeToUnknown = (api: LeadDeskApi) =>
      // @ts-expect-error: 'nope' is not a LeadDesk event
      api.on('nope', () => {});
    expectTypeOf(subscribeToUnknown).toBeFunction();
  });
});
