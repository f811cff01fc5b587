/**
 * One lead, one first message: a new widget visitor over Socket.IO (socket
 * in), then the conversation, its lead and the replies read back over REST
 * with the tenant's API key (REST out), as an integration would see them.
 */
import { randomUUID } from 'node:crypto';
import type {
  ConversationDto,
  LeadDto,
  MessageDto,
  WidgetClientToServer,
  WidgetServerToClient,
} from '@leaddesk/shared';
import { io, type Socket } from 'socket.io-client';
import type { EvalItem } from './dataset.js';
import type { EvalServer } from './eval-server.js';
import type { EvalTenant } from './eval-tenants.js';

export interface Observation {
  id: string;
  conversationId: string | null;
  lead: LeadDto | null;
  /** What the visitor saw in answer (ai and system messages after theirs), in order. */
  replies: MessageDto[];
  /** Filled once every message has run (escalations may be created after the reply). */
  escalated: boolean;
  ms: number;
  error?: string;
}

/** How long a reply may take before the item is scored without one. */
const REPLY_TIMEOUT_MS = 15_000;

export async function sendFirstMessage(env: EvalServer, tenant: EvalTenant, item: EvalItem): Promise<Observation> {
  const started = Date.now();
  const observation: Observation = {
    id: item.id,
    conversationId: null,
    lead: null,
    replies: [],
    escalated: false,
    ms: 0,
  };
  const socket: Socket<WidgetServerToClient, WidgetClientToServer> = io(`http://127.0.0.1:${env.server.port}/widget`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { siteKey: tenant.siteKey },
    extraHeaders: { origin: 'https://eval.example' },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no session:ready')), REPLY_TIMEOUT_MS);
      socket.once('session:ready', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('connect_error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    // The server's "now" is the lead's sentAt while this message is received and answered.
    env.clock.travelTo(new Date(item.sentAt));
    let sentSeq = Number.POSITIVE_INFINITY;
    const answered = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, REPLY_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      socket.on('reply:ended', (p) => p.message.seq > sentSeq && done());
      socket.on('reply:aborted', done);
      socket.on('message:created', (p) => p.message.seq > sentSeq && p.message.role !== 'visitor' && done());
    });
    const ack = await socket
      .timeout(REPLY_TIMEOUT_MS)
      .emitWithAck('message:send', { clientMessageId: `eval_${randomUUID()}`, content: item.text });
    if (!ack.ok) throw new Error(`message:send refused: ${ack.error.code} ${ack.error.message}`);
    sentSeq = ack.data.message.seq;
    observation.conversationId = ack.data.message.conversationId;
    await answered;
    await env.idle();
  } catch (err) {
    observation.error = err instanceof Error ? err.message : String(err);
  } finally {
    env.clock.reset();
    socket.disconnect();
  }

  if (observation.conversationId) {
    const key = tenant.apiKey;
    const conversation = await env.rest.json<ConversationDto>(
      'GET',
      `/conversations/${observation.conversationId}`,
      key,
    );
    if (conversation.leadId)
      observation.lead = await env.rest.json<LeadDto>('GET', `/leads/${conversation.leadId}`, key);
    const messages = await env.rest.json<{ data: MessageDto[] }>(
      'GET',
      `/conversations/${observation.conversationId}/messages?limit=50`,
      key,
    );
    const visitorSeq = messages.data.find((m) => m.role === 'visitor')?.seq ?? 0;
    observation.replies = messages.data.filter((m) => m.seq > visitorSeq && (m.role === 'ai' || m.role === 'system'));
    if (!observation.replies.length && !observation.error) observation.error = 'no reply';
  }
  observation.ms = Date.now() - started;
  return observation;
}

/** Marks the observations whose conversation has an escalation (read over REST, every page). */
export async function markEscalations(env: EvalServer, tenant: EvalTenant, observations: Observation[]) {
  const escalated = new Set<string>();
  for (let page = 1; ; page++) {
    const body = await env.rest.json<{ data: { conversationId: string }[]; total: number }>(
      'GET',
      `/escalations?page=${page}&pageSize=100`,
      tenant.apiKey,
    );
    for (const e of body.data) escalated.add(e.conversationId);
    if (page * 100 >= body.total || !body.data.length) break;
  }
  for (const o of observations) o.escalated = o.conversationId !== null && escalated.has(o.conversationId);
}
