import type { MessageDto } from '@leaddesk/shared';
import { describe, expectTypeOf, it } from 'vitest';
import type { ChatWidgetApi, ChatWidgetListener, IdentifyInput, LeadDeskApi } from '../src/api.js';

describe('window.ChatWidget types', () => {
  it('types each event payload and the commands', () => {
    expectTypeOf<ChatWidgetListener<'message'>>().parameter(0).toEqualTypeOf<MessageDto>();
    expectTypeOf<ChatWidgetListener<'unread'>>().parameter(0).toEqualTypeOf<number>();
    expectTypeOf<ChatWidgetApi['on']>().returns.toEqualTypeOf<() => void>();
    expectTypeOf<ChatWidgetApi['identify']>().parameter(0).toEqualTypeOf<IdentifyInput>();
    expectTypeOf<ChatWidgetApi['identify']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<Window['ChatWidget']>().toEqualTypeOf<ChatWidgetApi | undefined>();
    // The deprecated names are the same types (old TypeScript embeds still compile).
    expectTypeOf<Window['LeadDesk']>().toEqualTypeOf<ChatWidgetApi | undefined>();
    expectTypeOf<LeadDeskApi>().toEqualTypeOf<ChatWidgetApi>();
    // Compile-time only (never called): unknown events are refused.
    const subscribeToUnknown = (api: ChatWidgetApi) =>
      // @ts-expect-error: 'nope' is not a ChatWidget event
      api.on('nope', () => {});
    expectTypeOf(subscribeToUnknown).toBeFunction();
  });
});
