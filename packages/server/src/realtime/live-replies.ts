import type { DomainEventBus } from '../conversation/domain-events.js';

export interface LiveReply {
  messageId: string;
  /** The deltas streamed so far, by their index. */
  parts: string[];
}

/**
 * The replies this process is streaming right now, so that a socket joining a
 * conversation mid-reply (a visitor reconnecting, a second tab) is sent the
 * text so far and then follows the live deltas. Stored messages are replayed
 * from the database; only the unfinished reply lives here, and only until it
 * ends. This replaces Socket.IO's connection-state recovery, which kept every
 * broadcast packet of every room in memory for the whole recovery window.
 */
export class LiveReplies {
  private readonly streams = new Map<string, LiveReply>();
  private readonly offs: Array<() => void>;

  constructor(bus: DomainEventBus) {
    const end = (e: { conversationId: string; messageId: string }) => {
      if (this.streams.get(e.conversationId)?.messageId === e.messageId) this.streams.delete(e.conversationId);
    };
    this.offs = [
      bus.on('reply.started', (e) => this.streams.set(e.conversationId, { messageId: e.messageId, parts: [] })),
      bus.on('reply.delta', (e) => {
        const live = this.streams.get(e.conversationId);
        if (live?.messageId === e.messageId) live.parts[e.index] = e.text;
      }),
      bus.on('reply.ended', end),
      bus.on('reply.aborted', end),
    ];
  }

  get(conversationId: string): LiveReply | undefined {
    return this.streams.get(conversationId);
  }

  close(): void {
    for (const off of this.offs) off();
    this.streams.clear();
  }
}
