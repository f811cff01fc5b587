/**
 * How rules start and stop follow-up sequences. The follow-ups module
 * implements it and hands it to `attachAutomation`; rules only name the
 * conversation (and optionally which sequence).
 */
export interface SequenceControl {
  start(clientId: string, conversationId: string, key?: string): Promise<void>;
  stop(clientId: string, conversationId: string, reason: string): Promise<void>;
}
