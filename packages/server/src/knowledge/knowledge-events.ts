import { EventEmitter } from 'node:events';
import type { KnowledgeEventMap } from '@leaddesk/shared';

/**
 * Ingestion progress as typed in-process events. The realtime layer (staff
 * dashboard) subscribes and forwards to the tenant's room; nothing here knows
 * about Socket.IO. A listener that throws never breaks an ingestion.
 */
export class KnowledgeEvents {
  private readonly emitter = new EventEmitter();

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {
    this.emitter.setMaxListeners(50);
  }

  on<K extends keyof KnowledgeEventMap>(event: K, listener: (payload: KnowledgeEventMap[K]) => void): () => void {
    const wrapped = (payload: KnowledgeEventMap[K]) => {
      try {
        listener(payload);
      } catch (err) {
        this.onListenerError(err);
      }
    };
    this.emitter.on(event, wrapped);
    return () => this.emitter.off(event, wrapped);
  }

  emit<K extends keyof KnowledgeEventMap>(event: K, payload: KnowledgeEventMap[K]): void {
    this.emitter.emit(event, payload);
  }
}
