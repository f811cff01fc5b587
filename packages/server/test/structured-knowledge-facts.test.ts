import type { IngestionDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { connectVisitor, nextAiReply, type Visitor } from './support/widget-client.js';

/**
 * Knowledge answers restated as facts, end to end: a Spanish policy document
 * answers French, German and English visitors with its opening hours, address
 * and fees said in their own words (weekday names, times), never its Spanish
 * sentences; a message with two questions gets both answers; a cancellation
 * that asks about the fee gets the policy before the hand-over.
 */
const POLICY = [
  '# Clínica Sol: horario y normas',
  '',
  '## Horario',
  '',
  'De lunes a jueves, de 8:30 a 18:00. Viernes, de 8:30 a 15:00. Sábados y domingos cerrado.',
  '',
  '## Dirección',
  '',
  'Calle Mayor 21, 3.º piso, Valencia, al lado del mercado central.',
  '',
  '## Aparcamiento',
  '',
  'El aparcamiento del mercado cuesta 3 € la hora.',
  '',
  '## Cancelaciones',
  '',
  'Si cancela con menos de 48 horas de antelación, cobramos 30 €.',
].join('\n');

/** Spanish words that must not leak into a reply to a French, German or English visitor. */
const SPANISH = /\b(de lunes|cerrado|sábados|calle mayor 21, 3\.º piso, valencia|al lado|cobramos|antelación)\b/i;

describe('structured mode: facts from a document in another language (PostgreSQL)', () => {
  let server: TestServer;
  let tenant: Awaited<ReturnType<typeof createClient>>;
  const open: Visitor[] = [];

  const api = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      ...init,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      headers: {
        authorization: `Bearer ${tenant.apiKey}`,
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
    });

  beforeAll(async () => {
    server = await startTestServer({ db: 'postgres', env: { STRUCTURED_CHUNK_DELAY_MS: '0' } });
    tenant = await createClient(server.db.orm.em.fork(), {
      name: 'Clínica Sol',
      industry: 'dental',
      allowedOrigins: ['*'],
    });
    // Only the document answers: the template's sample FAQs go.
    expect((await api('/client', { method: 'PATCH', json: { config: { faqs: [] } } })).status).toBe(200);
    const kb = (await (
      await api('/knowledge-bases', { method: 'POST', json: { name: 'Normas', language: 'spanish' } })
    ).json()) as { id: string };
    const form = new FormData();
    form.append('file', new Blob([POLICY], { type: 'text/markdown' }), 'normas.md');
    const res = await api(`/knowledge-bases/${kb.id}/documents`, { method: 'POST', body: form });
    const queued = (await res.json()) as IngestionDto;
    expect(res.status, JSON.stringify(queued)).toBe(202);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const state = (await (await api(`/knowledge-bases/${kb.id}/ingestions/${queued.id}`)).json()) as IngestionDto;
      if (state.status === 'completed') break;
      if (state.status === 'failed' || Date.now() > deadline)
        throw new Error(`ingestion ${state.status}: ${state.error}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }, 180_000);
  afterAll(async () => {
    for (const v of open) v.close();
    await server?.dispose();
  });

  async function ask(text: string) {
    const v = connectVisitor(server.url, { siteKey: tenant.client.siteKey, origin: 'https://x.example' });
    open.push(v);
    await v.waitFor('session:ready');
    const ack = await v.send(text);
    if (!ack.ok) throw new Error(ack.error.message);
    const reply = await nextAiReply(v, ack.data.message.seq);
    await server.app.conversation.orchestrator.idle();
    return reply.message.content;
  }

  it('gives a French visitor the Friday hours in French', async () => {
    const text = await ask('Bonjour, quels sont vos horaires le vendredi ?');
    expect(text).toContain('Vendredi: 8:30–15:00.');
    expect(text).not.toMatch(SPANISH);
  });

  it('answers both questions of an English message: Saturday hours and the parking price', async () => {
    const text = await ask('Are you open on Saturdays? And how much is parking?');
    expect(text).toContain('Saturday: closed.');
    expect(text).toContain('3 €');
    expect(text).not.toMatch(SPANISH);
  });

  it('gives a German visitor the address as street and number, without the Spanish around it', async () => {
    const text = await ask('Wie ist Ihre Adresse?');
    expect(text).toContain('Calle Mayor 21');
    expect(text).not.toMatch(/al lado|mercado central/);
  });

  it('answers the fee of a cancellation before handing it over', async () => {
    const text = await ask('I need to cancel my appointment. Is there a cancellation fee?');
    expect(text).toContain('30 €');
    expect(text).not.toMatch(SPANISH);
  });
});
