import { afterAll, describe, expect, it } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { type FakeEmbeddingsServer, startFakeEmbeddingsServer } from './support/fake-openai-embeddings.js';
import { startTestServer, type TestServer } from './support/test-server.js';

/**
 * Embedded PGlite has pgvector, but without an embeddings key the server
 * searches by full text. Configuring a key later embeds what was stored
 * before (knowledge.embed-missing) and turns the vector leg on.
 */
describe('knowledge search without, then with, an embeddings provider (embedded)', () => {
  let fake: FakeEmbeddingsServer | undefined;
  let server: TestServer | undefined;
  let dataDir: string | undefined;

  afterAll(async () => {
    await server?.dispose();
    await fake?.close();
    if (dataDir) await import('node:fs/promises').then((fs) => fs.rm(dataDir!, { recursive: true, force: true }));
  });

  it('falls back to full text, then embeds the stored chunks once a key is configured', async () => {
    server = await startTestServer({ db: 'embedded' });
    dataDir = server.config.dataDir;
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as {
      checks: { knowledge: { search: string; reason: string } };
    };
    expect(ready.checks.knowledge).toEqual({
      search: 'full_text',
      reason: 'no embeddings provider configured (OPENAI_API_KEY)',
    });

    const { apiKey, client } = await createClient(server.db.orm.em.fork(), { name: 'Harbor', industry: 'hotel' });
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${server!.url}/api/v1${path}`, {
        ...init,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      });
    const kb = (await (
      await api('/knowledge-bases', { method: 'POST', body: JSON.stringify({ name: 'Hotel' }) })
    ).json()) as { id: string };
    const faq = await api(`/knowledge-bases/${kb.id}/faqs`, {
      method: 'POST',
      body: JSON.stringify({
        question: 'Are four-legged companions welcome?',
        answer: 'Yes, in garden rooms, for 30 EUR a night.',
      }),
    });
    expect(faq.status).toBe(201);
    const question = encodeURIComponent('Can I bring my dog?');
    const before = (await (await api(`/knowledge/search?q=${question}`)).json()) as { mode: string; hits: unknown[] };
    expect(before).toEqual({ mode: 'full_text', hits: [] });

    // Same data, now with an embeddings provider.
    await server.stop();
    fake = await startFakeEmbeddingsServer([['dog', 'four-legged', 'companion']]);
    server = await startTestServer({
      db: 'embedded',
      reuse: { dataDir },
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.baseURL },
    });
    const deadline = Date.now() + 15_000;
    let embedded = false;
    while (!embedded && Date.now() < deadline) {
      const chunks = (await (await api(`/knowledge-bases/${kb.id}/chunks`)).json()) as {
        data: Array<{ embedded: boolean }>;
      };
      embedded = chunks.data.length === 1 && chunks.data[0]!.embedded;
      if (!embedded) await new Promise((r) => setTimeout(r, 100));
    }
    expect(embedded).toBe(true);
    const after = (await (await api(`/knowledge/search?q=${question}`)).json()) as {
      mode: string;
      hits: Array<{ content: string; legs: { fullText: unknown; vector: { rank: number } | null } }>;
    };
    expect(after.mode).toBe('hybrid');
    expect(after.hits[0]?.content).toContain('four-legged companions');
    expect(after.hits[0]?.legs.fullText).toBeNull();
    expect(after.hits[0]?.legs.vector?.rank).toBe(1);
    expect(client.id).toMatch(/^[0-9a-f-]{36}$/);

    const bad = await api('/knowledge/search');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/q/);
    // Two embedded servers start (and migrate) in this test: 107 s once on a machine at load 25.
  }, 300_000);
});
