import type { Ack, MessageDto, WidgetClientToServer, WidgetSocketData } from '@leaddesk/shared';
import { describe, expectTypeOf, it } from 'vitest';
import type { WidgetNamespace, WidgetSocket } from './widget-namespace.js';

describe('typed /widget aliases', () => {
  it('binds the shared event maps and socket data to the namespace', () => {
    type Emit = Parameters<WidgetNamespace['emit']>;
    expectTypeOf<Emit[0]>().toEqualTypeOf<
      | 'session:ready'
      | 'message:created'
      | 'reply:started'
      | 'reply:delta'
      | 'reply:ended'
      | 'reply:aborted'
      | 'ai:status'
      | 'staff:typing'
      | 'staff:joined'
      | 'staff:left'
      | 'conversation:mode'
      | 'message:read'
      | 'error'
    >();
    expectTypeOf<WidgetSocket['data']>().toEqualTypeOf<WidgetSocketData>();
    type SendHandler = WidgetClientToServer['message:send'];
    expectTypeOf<Parameters<Parameters<SendHandler>[1]>[0]>().toEqualTypeOf<
      Ack<{ message: MessageDto; duplicate: boolean }>
    >();
  });
});
