import type { Logger } from '../../logger.js';

/**
 * How rules start and stop follow-up sequences. The follow-ups module
 * implements it and hands it to `attachAutomation`; rules only name the
 * conversation (and optionally which sequence).
 */
export interface SequenceControl {
  start(clientId: string, conversationId: string, key?: string): Promise<void>;
  stop(clientId: string, conversationId: string, reason: string): Promise<void>;
}

/** The default until follow-up sequences are wired: says so in the log and does nothing. */
export function unavailableSequences(logger: Logger): SequenceControl {
  return {
    async start(clientId, conversationId) {
      logger.warn({ clientId, conversationId }, 'sequences not available: start_sequence skipped');
    },
    async stop(clientId, conversationId) {
      logger.warn({ clientId, conversationId }, 'sequences not available: stop_sequence skipped');
    },
  };
}
