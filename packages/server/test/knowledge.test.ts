import type { IngestionDto, KnowledgeEventMap, KnowledgeHitDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from '../src/tenants/tenant-service.js';
import { DB_KINDS } from './support/databases.js';
import { type FakeEmbeddingsServer, startFakeEmbeddingsServer } from './support/fake-openai-embeddings.js';
import { fixture, makeDocx, makePdf } from './support/knowledge-documents.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// Ingestion runs through the job queue; on a loaded CI machine that takes longer than a unit test.
vi.setConfig({ testTimeout: 90_000 });

/** The fake embedder's one "semantic" concept: pets, however they are called. */
const CONCEPTS = [['dog', 'cat', 'pet', 'puppy', 'four-legged', 'companion']];

type Tenant = Awaited<ReturnType<typeof createClient>>;
interface SearchBody {
  mode: 'hybrid' | 'full_text';
  hits: KnowledgeHitDto[];
}

describe.each(DB_KINDS)('knowledge bases on %s', (kind) => {
  // Embedded PGlite has pgvector: hybrid search. The real server here has none: full text.
  const hybrid = kind === 'embedded';
  let fake: FakeEmbeddingsServer;
  let server: TestServer;
  let dental: Tenant;
  let hotel: Tenant;
  let dentalKb: string;
  let hotelKb: string;
  const events: Array<{ name: keyof KnowledgeEventMap; ingestion: IngestionDto }> = [];

  const api = (path: string, key: string, init: RequestInit & { json?: unknown } = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      ...init,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      headers: {
        authorization: `Bearer ${key}`,
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
    });

  async function upload(kb: string, key: string, name: string, bytes: Buffer, sourceId?: string) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    if (sourceId) form.append('sourceId', sourceId);
    return api(`/knowledge-bases/${kb}/documents`, key, { method: 'POST', body: form });
  }

  async function waitFor(kb: string, key: string, id: string): Promise<IngestionDto> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await api(`/knowledge-bases/${kb}/ingestions/${id}`, key);
      const body = (await res.json()) as IngestionDto;
      if (body.status === 'completed' || body.status === 'failed') return body;
      if (Date.now() > deadline) throw new Error(`ingestion ${id} still ${body.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function ingest(kb: string, key: string, name: string, bytes: Buffer, sourceId?: string) {
    const res = await upload(kb, key, name, bytes, sourceId);
    const body = (await res.json()) as IngestionDto;
    expect(res.status, JSON.stringify(body)).toBe(202);
    const done = await waitFor(kb, key, body.id);
    expect(done.status, done.error ?? '').toBe('completed');
    return done;
  }

  async function search(key: string, q: string, k = 5): Promise<SearchBody> {
    const res = await api(`/knowledge/search?${new URLSearchParams({ q, k: String(k) })}`, key);
    expect(res.status).toBe(200);
    return (await res.json()) as SearchBody;
  }

  async function chunkTotal(kb: string, key: string): Promise<number> {
    return ((await (await api(`/knowledge-bases/${kb}/chunks?pageSize=1`, key)).json()) as { total: number }).total;
  }

  async function ingestionTotal(kb: string, key: string): Promise<number> {
    return ((await (await api(`/knowledge-bases/${kb}/ingestions?pageSize=1`, key)).json()) as { total: number }).total;
  }

  beforeAll(async () => {
    fake = await startFakeEmbeddingsServer(CONCEPTS);
    server = await startTestServer({
      db: kind,
      env: {
        OPENAI_API_KEY: 'sk-test-knowledge',
        OPENAI_BASE_URL: fake.baseURL,
        KNOWLEDGE_EMBEDDING_BATCH_SIZE: '4',
        KNOWLEDGE_MAX_UPLOAD_BYTES: String(512 * 1024),
      },
    });
    for (const name of ['ingestion:progressed', 'ingestion:completed', 'ingestion:failed'] as const) {
      server.ctx.knowledge!.events.on(name, (p) => events.push({ name, ingestion: p.ingestion }));
    }
    dental = await createClient(server.db.orm.em.fork(), { name: 'Sunset Dental', industry: 'dental' });
    hotel = await createClient(server.db.orm.em.fork(), { name: 'Harbor House Hotel', industry: 'hotel' });

    const created = await api('/knowledge-bases', dental.apiKey, {
      method: 'POST',
      json: { name: 'Clinic', description: 'Prices, policies and FAQs', category: 'general' },
    });
    expect(created.status).toBe(201);
    dentalKb = ((await created.json()) as { id: string }).id;
    hotelKb = (
      (await (
        await api('/knowledge-bases', hotel.apiKey, { method: 'POST', json: { name: 'Hotel', language: 'english' } })
      ).json()) as { id: string }
    ).id;

    await ingest(dentalKb, dental.apiKey, 'faq.csv', fixture('sunset-dental/faq.csv'));
    await ingest(dentalKb, dental.apiKey, 'price-list.md', fixture('sunset-dental/price-list.md'));
    await ingest(dentalKb, dental.apiKey, 'policies.html', fixture('sunset-dental/policies.html'));
    await ingest(
      dentalKb,
      dental.apiKey,
      'new-patient-guide.docx',
      await makeDocx(fixture('sunset-dental/new-patient-guide.docx.md').toString('utf8')),
    );
    await ingest(hotelKb, hotel.apiKey, 'foire-aux-questions-été.md', fixture('harbor-hotel/faq.md'), 'faq.md');
    await ingest(hotelKb, hotel.apiKey, 'room-rates.txt', fixture('harbor-hotel/room-rates.txt'));
    await ingest(hotelKb, hotel.apiKey, 'house-rules.html', fixture('harbor-hotel/house-rules.html'));
    await ingest(
      hotelKb,
      hotel.apiKey,
      'spa-menu.pdf',
      await makePdf(fixture('harbor-hotel/spa-menu.pdf.txt').toString('utf8')),
    );
  }, 180_000);

  afterAll(async () => {
    await server?.dispose();
    await fake?.close();
  });

  it('reports the search mode in /readyz', async () => {
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as {
      checks: { knowledge: { search: string; reason?: string; embeddingModel?: string } };
    };
    if (hybrid) {
      expect(ready.checks.knowledge).toEqual({ search: 'hybrid', embeddingModel: 'text-embedding-3-small' });
    } else {
      expect(ready.checks.knowledge.search).toBe('full_text');
      expect(ready.checks.knowledge.reason).toMatch(/pgvector/);
    }
  });

  it('ingests CSV, Markdown, HTML, DOCX, text and PDF into chunks along headings', async () => {
    const res = await api(`/knowledge-bases/${dentalKb}/chunks?pageSize=100`, dental.apiKey);
    const page = (await res.json()) as {
      total: number;
      data: Array<{
        sourceType: string;
        heading: string | null;
        content: string;
        embedded: boolean;
        tokenCount: number;
      }>;
    };
    expect(new Set(page.data.map((c) => c.sourceType))).toEqual(new Set(['csv', 'markdown', 'html', 'docx']));
    expect(page.data.filter((c) => c.sourceType === 'csv')).toHaveLength(5);
    const whitening = page.data.find((c) => c.content.includes('Zoom'));
    expect(whitening?.heading).toBe('Sunset Dental price list › Cosmetic dentistry');
    expect(whitening?.content).toContain('Treatment: In-office teeth whitening (Zoom, one session); Price: $450');
    // Scripts and navigation are not knowledge.
    expect(page.data.some((c) => c.content.includes('analytics'))).toBe(false);
    expect(page.data.find((c) => c.content.includes('gauze'))?.heading).toBe(
      'New patient guide › After a tooth extraction',
    );
    expect(page.data.every((c) => c.embedded === hybrid)).toBe(true);
    expect(page.data.every((c) => c.tokenCount > 0 && c.tokenCount <= 520)).toBe(true);

    const hotelChunks = (await (await api(`/knowledge-bases/${hotelKb}/chunks?pageSize=100`, hotel.apiKey)).json()) as {
      data: Array<{ sourceType: string; content: string }>;
    };
    expect(hotelChunks.data.find((c) => c.sourceType === 'pdf')?.content).toContain(
      'Hot stone massage, 60 minutes: 95 EUR',
    );
    expect(hotelChunks.data.some((c) => c.sourceType === 'text' && c.content.includes('Junior suite'))).toBe(true);
  });

  it('reports ingestion progress as events and on the ingestion record', async () => {
    const completed = events.filter((e) => e.name === 'ingestion:completed').map((e) => e.ingestion);
    expect(completed.length).toBeGreaterThanOrEqual(8);
    expect(completed.every((i) => i.progress === 1 && i.stage === 'done')).toBe(true);
    const csv = completed.find((i) => i.sourceName === 'faq.csv')!;
    expect(csv.totalChunks).toBe(5);
    expect(csv.storedChunks).toBe(5);
    const progressed = events.filter((e) => e.name === 'ingestion:progressed' && e.ingestion.id === csv.id);
    if (hybrid) {
      // Batches of 4 → 4 then 5 embedded, in order, through the real SDK asking for base64.
      expect(
        progressed.filter((e) => e.ingestion.stage === 'embedding').map((e) => e.ingestion.embeddedChunks),
      ).toEqual([0, 4, 5]);
      expect(progressed.at(-1)?.ingestion.stage).toBe('storing');
      expect(fake.requests.every((r) => r.encodingFormat === 'base64' && r.inputs.length <= 4)).toBe(true);
      expect(fake.requests[0]?.authorization).toBe('Bearer sk-test-knowledge');
    } else {
      expect(progressed.map((e) => e.ingestion.stage)).toContain('storing');
      expect(fake.requests).toHaveLength(0);
    }
  });

  const EXPECTED: Array<{ tenant: 'dental' | 'hotel'; q: string; source: string; contains: string }> = [
    { tenant: 'dental', q: 'How much does teeth whitening cost?', source: 'price-list.md', contains: 'whitening' },
    { tenant: 'dental', q: 'Do you accept insurance?', source: 'policies.html', contains: 'PPO' },
    { tenant: 'dental', q: 'What is your cancellation policy?', source: 'policies.html', contains: '24 hours' },
    { tenant: 'dental', q: 'Are you open on Saturday?', source: 'faq.csv', contains: 'Saturdays' },
    { tenant: 'dental', q: 'price of a dental implant', source: 'price-list.md', contains: 'implant' },
    { tenant: 'dental', q: 'What do I do after an extraction?', source: 'new-patient-guide.docx', contains: 'gauze' },
    { tenant: 'hotel', q: 'What time is check-out?', source: 'foire-aux-questions-été.md', contains: '11:00' },
    {
      tenant: 'hotel',
      q: 'Is breakfast included?',
      source: 'foire-aux-questions-été.md',
      contains: 'Breakfast is included',
    },
    {
      tenant: 'hotel',
      q: 'How much is a deluxe sea-view room?',
      source: 'room-rates.txt',
      contains: 'Deluxe sea-view',
    },
    { tenant: 'hotel', q: 'price of a hot stone massage', source: 'spa-menu.pdf', contains: 'Hot stone' },
    { tenant: 'hotel', q: 'airport transfer', source: 'foire-aux-questions-été.md', contains: 'airport transfer' },
  ];

  it.each(EXPECTED)('finds "$q" in $source', async ({ tenant, q, source, contains }) => {
    const body = await search(tenant === 'dental' ? dental.apiKey : hotel.apiKey, q);
    expect(body.mode).toBe(hybrid ? 'hybrid' : 'full_text');
    const top = body.hits[0];
    expect(top?.source.name, JSON.stringify(body.hits.map((h) => h.content.slice(0, 60)))).toBe(source);
    expect(top?.content).toContain(contains);
    expect(top?.legs.fullText).not.toBeNull();
    if (hybrid) expect(top?.legs.vector).not.toBeNull();
    else expect(top?.legs.vector).toBeNull();
  });

  it('finds a chunk sharing no word with the question only through the vector leg', async () => {
    const body = await search(hotel.apiKey, 'Can I bring my dog?');
    const pets = body.hits.find((h) => h.content.includes('four-legged companions'));
    if (hybrid) {
      expect(body.hits[0]?.content).toContain('four-legged companions');
      expect(pets?.legs.fullText).toBeNull();
      expect(pets?.legs.vector?.rank).toBe(1);
      expect(pets?.legs.vector?.score).toBeGreaterThan(0.5);
    } else {
      expect(pets).toBeUndefined();
    }
  });

  it('fuses both legs with Reciprocal Rank Fusion', async () => {
    const body = await search(hotel.apiKey, 'pet supplement per night', 8);
    // Every fused score is the sum of 1/(60 + rank) over the legs that found the chunk.
    for (const hit of body.hits) {
      const expected = [hit.legs.fullText, hit.legs.vector].reduce(
        (sum, leg) => sum + (leg ? 1 / (60 + leg.rank) : 0),
        0,
      );
      expect(hit.score).toBeCloseTo(expected, 5);
    }
    const scores = body.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const pets = body.hits.find((h) => h.content.includes('four-legged companions'))!;
    // Full text alone ranks it below the room rates ("per night" everywhere)…
    expect(pets.legs.fullText!.rank).toBeGreaterThan(1);
    if (hybrid) {
      // …the vector leg ranks it first, and fusion lifts it to the top score.
      expect(pets.legs.vector?.rank).toBe(1);
      expect(pets.score).toBe(Math.max(...scores));
      expect(body.hits.filter((h) => !h.legs.fullText || !h.legs.vector).every((h) => h.score < pets.score)).toBe(true);
    } else {
      expect(body.hits.every((h) => h.legs.vector === null)).toBe(true);
      expect(body.hits[0]?.chunkId).not.toBe(pets.chunkId);
    }
  });

  it('never returns another tenant’s chunks', async () => {
    const body = await search(hotel.apiKey, 'teeth whitening implant insurance cancellation');
    expect(body.hits.every((h) => h.knowledgeBaseId === hotelKb)).toBe(true);
    const scoped = await api(`/knowledge/search?q=whitening&knowledgeBaseId=${dentalKb}`, hotel.apiKey);
    expect(((await scoped.json()) as SearchBody).hits).toEqual([]);
    expect((await api(`/knowledge-bases/${dentalKb}`, hotel.apiKey)).status).toBe(404);
    expect((await api(`/knowledge-bases/${dentalKb}/chunks`, hotel.apiKey)).status).toBe(404);
    expect((await upload(dentalKb, hotel.apiKey, 'x.txt', Buffer.from('hello there'))).status).toBe(404);
    const retrieved = await server.ctx.knowledge!.retriever.retrieveForConversation({
      clientId: hotel.client.id,
      recentVisitorMessages: ['how much is teeth whitening?'],
      recordUnanswered: false,
    });
    expect(retrieved.chunks.every((c) => c.knowledgeBaseId === hotelKb)).toBe(true);
  });

  it('refuses corrupt, disguised and unsupported files and changes nothing', async () => {
    const chunksBefore = await chunkTotal(dentalKb, dental.apiKey);
    const runsBefore = await ingestionTotal(dentalKb, dental.apiKey);
    const pdf = await makePdf('A perfectly fine PDF that will be cut in half.');

    const truncated = await upload(
      dentalKb,
      dental.apiKey,
      'brochure.pdf',
      pdf.subarray(0, Math.floor(pdf.length / 2)),
    );
    expect(truncated.status).toBe(400);
    expect(((await truncated.json()) as { error: { message: string } }).error.message).toMatch(
      /could not read the PDF/,
    );

    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const fakeDocx = await upload(dentalKb, dental.apiKey, 'guide.docx', random);
    expect(fakeDocx.status).toBe(415);
    expect(((await fakeDocx.json()) as { error: { message: string } }).error.message).toMatch(/not a DOCX document/);

    const zipNotDocx = await upload(dentalKb, dental.apiKey, 'guide.docx', Buffer.from('PK\u0003\u0004broken zip'));
    expect([400, 415]).toContain(zipNotDocx.status);

    const wrongCsv = await upload(dentalKb, dental.apiKey, 'faq.csv', Buffer.from('title,body\nHours,9 to 5\n'));
    expect(wrongCsv.status).toBe(400);
    expect(((await wrongCsv.json()) as { error: { message: string } }).error.message).toMatch(
      /"question" and an "answer" column; found: "title", "body"/,
    );

    const pdfAsText = await upload(dentalKb, dental.apiKey, 'notes.txt', pdf);
    expect(pdfAsText.status).toBe(415);
    expect((await upload(dentalKb, dental.apiKey, 'virus.exe', Buffer.from('MZ...'))).status).toBe(415);

    const notMultipart = await api(`/knowledge-bases/${dentalKb}/documents`, dental.apiKey, {
      method: 'POST',
      json: { file: 'x' },
    });
    expect(notMultipart.status).toBe(415);

    expect(await chunkTotal(dentalKb, dental.apiKey)).toBe(chunksBefore);
    expect(await ingestionTotal(dentalKb, dental.apiKey)).toBe(runsBefore);
  });

  it('answers 413 to an upload over the size limit', async () => {
    const res = await upload(dentalKb, dental.apiKey, 'huge.txt', Buffer.alloc(600 * 1024, 'a'));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('replaces a document’s chunks when it is ingested again', async () => {
    const before = await search(hotel.apiKey, 'classic double room price');
    expect(before.hits[0]?.content).toContain('180 EUR');
    const text = fixture('harbor-hotel/room-rates.txt').toString('utf8').replace('180 EUR', '199 EUR');
    await ingest(hotelKb, hotel.apiKey, 'room-rates.txt', Buffer.from(text));
    const list = (await (
      await api(`/knowledge-bases/${hotelKb}/chunks?sourceId=room-rates.txt`, hotel.apiKey)
    ).json()) as {
      data: Array<{ content: string }>;
    };
    expect(list.data.length).toBeGreaterThan(0);
    expect(list.data.some((c) => c.content.includes('199 EUR'))).toBe(true);
    expect(list.data.some((c) => c.content.includes('180 EUR'))).toBe(false);
    const after = await search(hotel.apiKey, 'classic double room price');
    expect(after.hits[0]?.content).toContain('199 EUR');
  });

  it('adds FAQ entries singly and in bulk, deduplicating identical chunks by SHA-256', async () => {
    const entry = {
      question: 'Do you have electric bikes for rent?',
      answer: 'Yes: e-bikes cost 25 EUR per day at the reception.',
    };
    // The provider rate-limits the first request: the SDK waits `retry-after-ms` and retries.
    if (hybrid) fake.rateLimitNext = 1;
    const requestsBefore = fake.requests.length;
    const single = await api(`/knowledge-bases/${hotelKb}/faqs`, hotel.apiKey, { method: 'POST', json: entry });
    if (hybrid) {
      expect(fake.rateLimited).toBe(1);
      expect(fake.requests.slice(requestsBefore).map((r) => r.inputs)).toEqual([
        [expect.stringContaining('electric bikes')],
        [expect.stringContaining('electric bikes')],
      ]);
    }
    const one = (await single.json()) as IngestionDto;
    expect(single.status).toBe(201);
    expect(one).toMatchObject({ status: 'completed', storedChunks: 1, duplicateChunks: 0, sourceType: 'faq' });
    expect((await search(hotel.apiKey, 'rent an e-bike')).hits[0]?.content).toContain('25 EUR per day');

    const bulk = await api(`/knowledge-bases/${hotelKb}/faqs/bulk`, hotel.apiKey, {
      method: 'POST',
      json: {
        sourceId: 'concierge-faq',
        entries: [
          entry,
          {
            question: 'Can you book restaurant tables?',
            answer: 'Our concierge books tables in the old town for you.',
          },
        ],
      },
    });
    expect(bulk.status).toBe(202);
    const done = await waitFor(hotelKb, hotel.apiKey, ((await bulk.json()) as IngestionDto).id);
    expect(done).toMatchObject({ status: 'completed', totalChunks: 2, storedChunks: 1, duplicateChunks: 1 });

    const invalid = await api(`/knowledge-bases/${hotelKb}/faqs`, hotel.apiKey, {
      method: 'POST',
      json: { question: 'x' },
    });
    expect(invalid.status).toBe(400);
  });

  it('searches each knowledge base with its own language’s stemming', async () => {
    const created = await api('/knowledge-bases', dental.apiKey, {
      method: 'POST',
      json: { name: 'Clínica (español)', language: 'spanish' },
    });
    const es = (await created.json()) as { id: string; language: string };
    expect(es.language).toBe('spanish');
    const faq = await api(`/knowledge-bases/${es.id}/faqs`, dental.apiKey, {
      method: 'POST',
      json: {
        question: '¿Hacen blanqueamiento dental?',
        answer: 'Sí. El blanqueamiento en consulta cuesta 450 USD por sesión.',
      },
    });
    expect(faq.status).toBe(201);
    // "cuestan"/"blanqueamientos" reach "cuesta"/"blanqueamiento" only through the Spanish stemmer.
    const body = await search(dental.apiKey, 'cuánto cuestan los blanqueamientos');
    expect(body.hits[0]?.knowledgeBaseId).toBe(es.id);
    // cuest + blanqueamient of cuant, cuest, blanqueamient ("los" is a Spanish stop word).
    expect(body.hits[0]?.legs.fullText?.coverage).toBeCloseTo(2 / 3, 5);
    // The English knowledge base is still searched with English stemming in the same query.
    const english = await search(dental.apiKey, 'whitening trays');
    expect(english.hits[0]?.content).toContain('Take-home whitening trays');
    expect((await api(`/knowledge-bases/${es.id}`, dental.apiKey, { method: 'DELETE' })).status).toBe(204);
  });

  it.runIf(hybrid)('keeps the knowledge base unchanged when embedding fails, and retries on request', async () => {
    const v2 = fixture('harbor-hotel/spa-menu.pdf.txt').toString('utf8').replace('95 EUR', '105 EUR');
    fake.mode = 'unauthorized';
    const res = await upload(hotelKb, hotel.apiKey, 'spa-menu.pdf', await makePdf(v2));
    const failed = await waitFor(hotelKb, hotel.apiKey, ((await res.json()) as IngestionDto).id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/refused the key \(401\)/);
    expect(events.some((e) => e.name === 'ingestion:failed' && e.ingestion.id === failed.id)).toBe(true);
    expect((await search(hotel.apiKey, 'hot stone massage')).hits[0]?.content).toContain('95 EUR');

    fake.mode = 'ok';
    const retry = await api(`/knowledge-bases/${hotelKb}/ingestions/${failed.id}/retry`, hotel.apiKey, {
      method: 'POST',
    });
    expect(retry.status).toBe(202);
    const done = await waitFor(hotelKb, hotel.apiKey, failed.id);
    expect(done).toMatchObject({ status: 'completed', attempts: 2, error: null });
    expect((await search(hotel.apiKey, 'hot stone massage')).hits[0]?.content).toContain('105 EUR');
    const again = await api(`/knowledge-bases/${hotelKb}/ingestions/${failed.id}/retry`, hotel.apiKey, {
      method: 'POST',
    });
    expect(again.status).toBe(409);
  });

  it('retrieves cited chunks for a conversation and groups unanswered questions', async () => {
    const retriever = server.ctx.knowledge!.retriever;
    const answered = await retriever.retrieveForConversation({
      clientId: hotel.client.id,
      recentVisitorMessages: ['Hi, we arrive on Friday.', 'What time is check-out?'],
      k: 3,
    });
    expect(answered.answered).toBe(true);
    expect(answered.unansweredQuestionId).toBeNull();
    expect(answered.query).toBe('What time is check-out?');
    expect(answered.chunks[0]?.source.id).toBe('faq.md');
    expect(answered.chunks[0]?.citation).toBe(
      'foire-aux-questions-été.md › Harbor House Hotel — frequently asked questions › What time are check-in and check-out?',
    );
    expect(answered.chunks.length).toBeLessThanOrEqual(3);

    // A short follow-up is searched with the message before it.
    const followUp = await retriever.retrieveForConversation({
      clientId: hotel.client.id,
      recentVisitorMessages: ['How much is the deluxe sea-view room?', 'and the junior suite?'],
    });
    expect(followUp.query).toBe('How much is the deluxe sea-view room? and the junior suite?');
    expect(followUp.chunks[0]?.content).toContain('Junior suite: 420 EUR');
    expect(followUp.answered).toBe(true);
    expect(followUp.chunks[0]?.faq).toBeNull();

    // An FAQ hit carries its answer alone, for the structured mode.
    const bikes = await retriever.retrieveForConversation({
      clientId: hotel.client.id,
      recentVisitorMessages: ['Can I rent electric bikes?'],
    });
    expect(bikes.chunks[0]?.faq).toEqual({
      question: 'Do you have electric bikes for rent?',
      answer: 'Yes: e-bikes cost 25 EUR per day at the reception.',
    });

    for (const question of [
      'Is there parking for my car?',
      'Where can I park my car?',
      'Is there a gym with weights?',
    ]) {
      const result = await retriever.retrieveForConversation({
        clientId: hotel.client.id,
        recentVisitorMessages: [question],
      });
      expect(result.answered, `${question}: ${JSON.stringify(result.chunks[0]?.legs)}`).toBe(false);
      expect(result.unansweredQuestionId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const res = await api('/knowledge/suggestions', hotel.apiKey);
    const suggestions = (
      (await res.json()) as {
        data: Array<{ question: string; count: number; questionIds: string[]; examples: string[] }>;
      }
    ).data;
    expect(suggestions.map((s) => s.count)).toEqual([2, 1]);
    expect(suggestions[0]?.examples.sort()).toEqual(['Is there parking for my car?', 'Where can I park my car?']);
    // The other tenant sees none of them.
    expect(((await (await api('/knowledge/suggestions', dental.apiKey)).json()) as { data: unknown[] }).data).toEqual(
      [],
    );

    const resolved = await api('/knowledge/suggestions/resolve', hotel.apiKey, {
      method: 'POST',
      json: { questionIds: suggestions[0]!.questionIds },
    });
    expect(((await resolved.json()) as { resolved: number }).resolved).toBe(2);
    const left = (
      (await (await api('/knowledge/suggestions', hotel.apiKey)).json()) as { data: Array<{ count: number }> }
    ).data;
    expect(left.map((s) => s.count)).toEqual([1]);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/knowledge-bases',
        '/knowledge-bases/{id}/documents',
        '/knowledge/search',
        '/knowledge/suggestions',
      ]),
    );
  });

  it('lists, renames and validates knowledge bases per tenant', async () => {
    const list = (await (await api('/knowledge-bases', hotel.apiKey)).json()) as {
      total: number;
      data: Array<{ id: string; chunkCount: number; language: string }>;
    };
    expect(list.total).toBe(1);
    expect(list.data[0]).toMatchObject({ id: hotelKb, language: 'english' });
    expect(list.data[0]!.chunkCount).toBe(await chunkTotal(hotelKb, hotel.apiKey));
    const renamed = await api(`/knowledge-bases/${hotelKb}`, hotel.apiKey, {
      method: 'PATCH',
      json: { name: 'Harbor House', category: 'hotel' },
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: 'Harbor House', category: 'hotel' });
    expect((await api(`/knowledge-bases/${hotelKb}`, hotel.apiKey, { method: 'PATCH', json: {} })).status).toBe(400);
    expect(
      (await api(`/knowledge-bases/${hotelKb}`, dental.apiKey, { method: 'PATCH', json: { name: 'x' } })).status,
    ).toBe(404);
    const badLanguage = await api('/knowledge-bases', hotel.apiKey, {
      method: 'POST',
      json: { name: 'X', language: 'klingon' },
    });
    expect(badLanguage.status).toBe(400);
  });

  it('deletes a document, clears and deletes a knowledge base', async () => {
    const removed = await api(`/knowledge-bases/${dentalKb}/documents/faq.csv`, dental.apiKey, { method: 'DELETE' });
    expect(((await removed.json()) as { deleted: number }).deleted).toBe(5);
    expect((await search(dental.apiKey, 'opening hours Saturdays')).hits.some((h) => h.source.name === 'faq.csv')).toBe(
      false,
    );
    const cleared = await api(`/knowledge-bases/${dentalKb}/chunks`, dental.apiKey, { method: 'DELETE' });
    expect(((await cleared.json()) as { deleted: number }).deleted).toBeGreaterThan(0);
    expect(await chunkTotal(dentalKb, dental.apiKey)).toBe(0);
    expect((await api(`/knowledge-bases/${dentalKb}`, dental.apiKey, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/knowledge-bases/${dentalKb}`, dental.apiKey)).status).toBe(404);
    // The hotel's knowledge is untouched.
    expect(await chunkTotal(hotelKb, hotel.apiKey)).toBeGreaterThan(5);
  });
});
