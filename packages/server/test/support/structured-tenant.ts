import type { IngestionDto, LeadDto, MessageDto } from '@leaddesk/shared';
import { createClient } from '../../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './test-server.js';
import { connectVisitor, nextAiReply, type Visitor } from './widget-client.js';

/**
 * A structured-mode tenant (no AI key) on a real server, for end-to-end tests
 * of the receptionist: the server (PostgreSQL, no streaming delay, optionally
 * a clock that starts at a fixed moment and runs on), one client from an
 * industry template, its knowledge documents uploaded over the REST API and
 * ingested, and widget visitors that talk to it over Socket.IO.
 */
export interface KnowledgeDocument {
  /** The knowledge base it goes into (one per document). */
  knowledgeBase: string;
  /** The base's text-search language ("english", "spanish", …). */
  language: string;
  fileName: string;
  content: string;
  /** @default "text/plain" */
  type?: string;
}

export interface StructuredTenantOptions {
  name: string;
  industry: Parameters<typeof createClient>[1]['industry'];
  documents?: KnowledgeDocument[];
  /** Remove the template's sample FAQs, so only the documents answer. @default false */
  withoutSampleFaqs?: boolean;
  /** The server's clock starts here and runs on (relative dates in messages resolve against it). */
  clockStart?: string;
}

export interface VisitorReply {
  message: MessageDto;
  quickReplies: { id: string; label: string }[];
}

export interface StructuredTenant {
  server: TestServer;
  tenant: Awaited<ReturnType<typeof createClient>>;
  /** The tenant's REST API with its API key. */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** A new visitor; `say` sends a message and resolves with the stored reply once every reply is done. */
  visitor(): { v: Visitor; say(text: string, quickReplyId?: string): Promise<VisitorReply> };
  /** One message from a new visitor: the reply's text. */
  ask(text: string): Promise<string>;
  leadOf(conversationId: string): Promise<LeadDto>;
  storedAi(messageId: string): Promise<{ intent?: string; entities?: Record<string, unknown> } | null>;
  escalationsOf(conversationId: string): Promise<Array<{ reason: string; priority: string }>>;
  dispose(): Promise<void>;
}

export async function startStructuredTenant(options: StructuredTenantOptions): Promise<StructuredTenant> {
  const startedAt = Date.now();
  const clockStart = options.clockStart ? Date.parse(options.clockStart) : undefined;
  const server = await startTestServer({
    db: 'postgres',
    env: { STRUCTURED_CHUNK_DELAY_MS: '0' },
    ...(clockStart !== undefined ? { clock: () => new Date(clockStart + (Date.now() - startedAt)) } : {}),
  });
  const open: Visitor[] = [];
  try {
    const tenant = await createClient(server.db.orm.em.fork(), {
      name: options.name,
      industry: options.industry,
      allowedOrigins: ['*'],
    });
    const api = (path: string, init: RequestInit & { json?: unknown } = {}) =>
      fetch(`${server.url}/api/v1${path}`, {
        ...init,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
        headers: {
          authorization: `Bearer ${tenant.apiKey}`,
          ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
        },
      });
    if (options.withoutSampleFaqs) {
      const res = await api('/client', { method: 'PATCH', json: { config: { faqs: [] } } });
      if (res.status !== 200) throw new Error(`emptying the FAQs: ${res.status} ${await res.text()}`);
    }
    for (const doc of options.documents ?? []) await upload(api, doc);

    const sql = () => server.db.orm.em.getConnection();
    const visitor = () => {
      const v = connectVisitor(server.url, { siteKey: tenant.client.siteKey, origin: 'https://x.example' });
      open.push(v);
      let lastSeq = 0;
      const ready = v.waitFor('session:ready');
      const say = async (text: string, quickReplyId?: string): Promise<VisitorReply> => {
        await ready;
        const ack = await v.send(text, undefined, quickReplyId);
        if (!ack.ok) throw new Error(ack.error.message);
        const reply = await nextAiReply(v, Math.max(ack.data.message.seq, lastSeq), 30_000);
        lastSeq = reply.message.seq;
        await server.app.conversation.orchestrator.idle();
        return reply;
      };
      return { v, say };
    };
    return {
      server,
      tenant,
      api,
      visitor,
      async ask(text) {
        return (await visitor().say(text)).message.content;
      },
      async leadOf(conversationId) {
        const rows = await sql().execute<{ lead_id: string }[]>('select lead_id from conversations where id = ?', [
          conversationId,
        ]);
        const res = await api(`/leads/${rows[0]!.lead_id}`);
        if (res.status !== 200) throw new Error(`GET /leads: ${res.status}`);
        return (await res.json()) as LeadDto;
      },
      async storedAi(messageId) {
        const rows = await sql().execute<{ ai: { intent?: string; entities?: Record<string, unknown> } | null }[]>(
          'select ai from messages where id = ?',
          [messageId],
        );
        return rows[0]?.ai ?? null;
      },
      escalationsOf(conversationId) {
        return sql().execute<{ reason: string; priority: string }[]>(
          'select reason, priority from escalations where conversation_id = ? order by created_at',
          [conversationId],
        );
      },
      async dispose() {
        for (const v of open) v.close();
        await server.dispose();
      },
    };
  } catch (err) {
    for (const v of open) v.close();
    await server.dispose();
    throw err;
  }
}

/** Uploads a document into a new knowledge base and waits until its ingestion has completed. */
async function upload(
  api: (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>,
  doc: KnowledgeDocument,
): Promise<void> {
  const created = await api('/knowledge-bases', {
    method: 'POST',
    json: { name: doc.knowledgeBase, language: doc.language },
  });
  if (created.status !== 201 && created.status !== 200) throw new Error(`creating a knowledge base: ${created.status}`);
  const kb = (await created.json()) as { id: string };
  const form = new FormData();
  form.append('file', new Blob([doc.content], { type: doc.type ?? 'text/plain' }), doc.fileName);
  const res = await api(`/knowledge-bases/${kb.id}/documents`, { method: 'POST', body: form });
  const queued = (await res.json()) as IngestionDto;
  if (res.status !== 202) throw new Error(`uploading ${doc.fileName}: ${res.status} ${JSON.stringify(queued)}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = (await (await api(`/knowledge-bases/${kb.id}/ingestions/${queued.id}`)).json()) as IngestionDto;
    if (state.status === 'completed') return;
    if (state.status === 'failed' || Date.now() > deadline) {
      throw new Error(`ingestion of ${doc.fileName} ${state.status}: ${state.error}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
