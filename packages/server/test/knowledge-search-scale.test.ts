import type { KnowledgeHitDto } from '@leaddesk/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Sql, sqlOf } from '../src/db/sql.js';
import { type ChunkDraft, contentHash } from '../src/knowledge/chunk/chunk-sections.js';
import { countTokens } from '../src/knowledge/chunk/tokenizer.js';
import { createKnowledgeBase } from '../src/knowledge/knowledge-bases.js';
import { hybridSearch } from '../src/knowledge/search/hybrid-search.js';
import { reciprocalRankFusion } from '../src/knowledge/search/reciprocal-rank-fusion.js';
import { insertChunks } from '../src/knowledge/store/chunk-store.js';
import { createClient } from '../src/tenants/tenant-service.js';
import { DB_KINDS } from './support/databases.js';
import {
  type FakeEmbeddingsServer,
  fakeEmbedding,
  startFakeEmbeddingsServer,
} from './support/fake-openai-embeddings.js';
import { startTestServer, type TestServer } from './support/test-server.js';

vi.setConfig({ testTimeout: 60_000 });

/**
 * The full-text leg at a size where it no longer ranks every match
 * (candidate-plan.ts: more chunks than its budget hold a common word), beside a
 * tenant whose every chunk holds the question's words, and a small tenant on
 * which the result must equal the exhaustive ranking the search used before.
 */
const CONCEPTS = [['dog', 'pet', 'four-legged', 'companion']];

const POLICIES = [
  'Cancellation fee: 50 EUR when you cancel less than 48 hours before arrival.',
  'Four-legged companions are welcome in garden rooms for 30 EUR per night.',
  'Parking: the garage costs 20 EUR per night; book it at the reception.',
  'Check-out is until 11:00; a late check-out until 14:00 costs 40 EUR.',
];
const QUESTIONS = [
  'What is the cancellation fee?',
  'How much is parking per night?',
  'Is breakfast included in the room price?',
  'When is check-out?',
  'Is there a gym?',
  'room price per night',
];

/** One clinic's price list in two knowledge bases, English and Spanish. */
const BILINGUAL = {
  en: ['Teeth whitening costs 300 EUR per session.', 'A dental cleaning costs 80 EUR.'],
  es: ['El blanqueamiento dental cuesta 300 EUR por sesión.', 'Una limpieza dental cuesta 80 EUR.'],
};

const roomChunk = (i: number) =>
  `Room ${i}: the price per night is ${100 + i} EUR with breakfast included; floor ${i % 7}, view ${['sea', 'garden', 'city'][i % 3]}.`;
const otherTenantChunk = (i: number) =>
  `Cancellation fee ${i}: the fee for a cancelled room is ${i} EUR per night; parking and check-out included.`;

function draftsOf(texts: string[]): ChunkDraft[] {
  return texts.map((content, position) => ({
    position,
    content,
    contentHash: contentHash(content),
    tokenCount: countTokens(content),
    heading: null,
    metadata: {},
  }));
}

/** The full-text leg as it was: every chunk holding any question word, ranked. The reference. */
async function exhaustiveFullText(sql: Sql, clientId: string, query: string, limit: number) {
  const rows = await sql.query<Array<{ id: string; score: number; matched: number; terms: number }>>(
    `select r.id, r.score,
       (select count(*) from unnest(tsvector_to_array(c.tsv)) w
         where w = any (tsvector_to_array(to_tsvector('english', ?))))::int as matched,
       coalesce(array_length(tsvector_to_array(to_tsvector('english', ?)), 1), 0) as terms
     from (select c.id, ts_rank_cd(c.tsv, q.q, 32) as score
       from knowledge_chunks c,
         (select replace(websearch_to_tsquery('english', ?)::text, ' & ', ' | ')::tsquery as q) q
       where c.client_id = ? and c.tsv @@ q.q order by score desc, c.id limit ?) r
     join knowledge_chunks c on c.id = r.id order by r.score desc, r.id`,
    [query, query, query, clientId, limit],
  );
  return rows.map((r) => ({ id: r.id, score: Number(r.score), coverage: r.terms ? r.matched / r.terms : 0 }));
}

describe.each(DB_KINDS)('knowledge search at scale on %s', (kind) => {
  // The embedded database loads pgvector (HNSW index included); the real server here has none.
  const hybrid = kind === 'embedded';
  let fake: FakeEmbeddingsServer;
  let server: TestServer;
  let sql: Sql;
  type TenantName = 'big' | 'other' | 'small' | 'bilingual' | 'crowd' | 'far';
  const tenants = {} as Record<TenantName, { id: string; apiKey: string; kb: string; kbEs?: string }>;

  async function load(tenant: TenantName, sourceId: string, texts: string[], embed: boolean, spanish = false) {
    const t = tenants[tenant];
    const vectors = embed && hybrid ? texts.map((x) => Array.from(fakeEmbedding(x, CONCEPTS))) : null;
    await server.db.orm.em.fork().transactional((tx) =>
      insertChunks(
        tx,
        {
          clientId: t.id,
          knowledgeBaseId: spanish ? t.kbEs! : t.kb,
          language: spanish ? 'spanish' : 'english',
          sourceId,
          sourceName: `${sourceId}.md`,
          sourceType: 'markdown',
        },
        draftsOf(texts),
        vectors,
      ),
    );
  }

  async function search(tenant: TenantName, q: string, extra: Record<string, string> = {}) {
    const res = await fetch(`${server.url}/api/v1/knowledge/search?${new URLSearchParams({ q, k: '5', ...extra })}`, {
      headers: { authorization: `Bearer ${tenants[tenant].apiKey}` },
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { mode: string; hits: KnowledgeHitDto[] };
  }

  /** Chunks whose tsvector lacks their own tenant token (tenant-token.ts). */
  async function chunksWithoutToken(): Promise<unknown[]> {
    return sql.query(
      `select id from knowledge_chunks
       where not tsv @@ ('''@' || client_id::text || '/' || language || '''')::tsquery`,
    );
  }

  beforeAll(async () => {
    fake = await startFakeEmbeddingsServer(CONCEPTS);
    server = await startTestServer({
      db: kind,
      env: { OPENAI_API_KEY: 'sk-test-scale', OPENAI_BASE_URL: fake.baseURL },
    });
    sql = sqlOf(server.db.orm);
    for (const name of ['big', 'other', 'small', 'bilingual', 'crowd', 'far'] as const) {
      const em = server.db.orm.em.fork();
      const { client, apiKey } = await createClient(em, { name: `Hotel ${name}`, industry: 'hotel' });
      const kb = await createKnowledgeBase(em, client, {
        name: 'Main',
        description: '',
        category: 'general',
        language: 'english',
      });
      tenants[name] = { id: client.id, apiKey, kb: kb.id };
      if (name === 'bilingual') {
        const es = await createKnowledgeBase(em, client, {
          name: 'Principal',
          description: '',
          category: 'general',
          language: 'spanish',
        });
        tenants[name].kbEs = es.id;
      }
    }
    // 240 room chunks (no vectors: the HNSW graph is slow to grow in WASM) make
    // "room", "price", "night" and "breakfast" common words of the big tenant.
    await load(
      'big',
      'rooms',
      Array.from({ length: 240 }, (_, i) => roomChunk(i)),
      false,
    );
    await load('big', 'policies', POLICIES, true);
    await load(
      'other',
      'fees',
      Array.from({ length: 240 }, (_, i) => otherTenantChunk(i)),
      false,
    );
    await load('other', 'pets', ['Dogs and other pets stay free of charge in every room.'], true);
    await load('bilingual', 'prices', BILINGUAL.en, true);
    await load('bilingual', 'precios', BILINGUAL.es, true, true);
    await load('small', 'policies', [...POLICIES, ...Array.from({ length: 10 }, (_, i) => roomChunk(i))], true);
    if (hybrid) {
      // A tenant whose vectors crowd the graph around a pet question (each distinct: HNSW keeps equal vectors
      // as one element), and one whose few vectors are far from it.
      await load(
        'crowd',
        'pets',
        Array.from(
          { length: 120 },
          (_, i) => `Pet policy for suite${i}: a dog or another companion animal is welcome.`,
        ),
        true,
      );
      await load(
        'far',
        'parking',
        ['The garage opens at seven.', 'Towels are changed daily.', 'Lifts serve all floors.'],
        true,
      );
    }
  }, 180_000);

  afterAll(async () => {
    await server?.dispose();
    await fake?.close();
  });

  it('stores each chunk with its own tenant token, which no question can reach', async () => {
    expect(await chunksWithoutToken()).toEqual([]);
    const [big] = await sql.query<Array<{ n: number }>>(
      `select count(*)::int as n from knowledge_chunks where tsv @@ ?::tsquery`,
      [`'@${tenants.big.id}/english'`],
    );
    expect(big?.n).toBe(240 + POLICIES.length);
    // A question quoting a token is parsed into words: it finds nothing of the other tenant.
    const body = await search('big', `@${tenants.other.id}/english fee`);
    expect(body.hits.every((h) => h.knowledgeBaseId === tenants.big.kb)).toBe(true);
  });

  it.runIf(hybrid)('has the vector column and its HNSW index on the embedded database', async () => {
    const columns = await sql.query<Array<{ udt_name: string }>>(
      `select udt_name from information_schema.columns where table_name = 'knowledge_chunks' and column_name = 'embedding'`,
    );
    expect(columns).toEqual([{ udt_name: 'vector' }]);
    const indexes = await sql.query<Array<{ indexdef: string }>>(
      `select indexdef from pg_indexes where indexname = 'knowledge_chunks_embedding_hnsw'`,
    );
    expect(indexes[0]?.indexdef).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    expect(server.ctx.knowledge?.status().search).toBe('hybrid');
    // The planner can answer the vector leg from the index.
    const plan = await sql.transaction(async (tx) => {
      await tx.query('set local enable_seqscan = off');
      return tx.query<Array<{ 'QUERY PLAN': string }>>(
        `explain select id from knowledge_chunks order by embedding <=> ?::vector limit 20`,
        [`[${Array.from(fakeEmbedding('dog', CONCEPTS)).join(',')}]`],
      );
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan using knowledge_chunks_embedding_hnsw/);
  });

  it('finds the distinctive chunk among hundreds that share the common words, with its exact coverage', async () => {
    const body = await search('big', 'What is the cancellation fee?');
    expect(body.mode).toBe(hybrid ? 'hybrid' : 'full_text');
    expect(body.hits[0]?.content).toBe(POLICIES[0]);
    const reference = await exhaustiveFullText(sql, tenants.big.id, 'What is the cancellation fee?', 20);
    expect(reference[0]?.id).toBe(body.hits[0]?.chunkId);
    expect(body.hits[0]?.legs.fullText?.coverage).toBeCloseTo(reference[0]!.coverage, 5);
    expect(body.hits[0]?.legs.fullText?.coverage).toBe(1);
  });

  it('keeps the best coverage of the exhaustive ranking when it ranks only a budget of rows', async () => {
    for (const q of QUESTIONS) {
      const fast = await hybridSearch(sql, { clientId: tenants.big.id, query: q, k: 5, queryEmbedding: null });
      const reference = await exhaustiveFullText(sql, tenants.big.id, q, 20);
      const best = (list: Array<number | undefined>) => Math.max(0, ...list.map((c) => c ?? 0));
      expect(best(fast.hits.map((h) => h.legs.fullText?.coverage)), q).toBeCloseTo(
        best(reference.slice(0, 5).map((r) => r.coverage)),
        5,
      );
    }
  });

  it('returns exactly the exhaustive ranking, coverage and answered decision on a small knowledge base', async () => {
    const minCoverage = server.config.raw.KNOWLEDGE_MIN_COVERAGE;
    for (const q of QUESTIONS) {
      const fast = await hybridSearch(sql, { clientId: tenants.small.id, query: q, k: 5, queryEmbedding: null });
      const reference = (await exhaustiveFullText(sql, tenants.small.id, q, 20)).slice(0, 5);
      expect(
        fast.hits.map((h) => [h.chunkId, h.legs.fullText?.rank, h.legs.fullText?.score, h.legs.fullText?.coverage]),
        q,
      ).toEqual(reference.map((r, i) => [r.id, i + 1, round(r.score), round(r.coverage)]));
      const answered = (coverages: number[]) => coverages.some((c) => c >= minCoverage);
      expect(answered(fast.hits.map((h) => h.legs.fullText?.coverage ?? 0))).toBe(
        answered(reference.map((r) => r.coverage)),
      );
    }
    // The decisions themselves, through the retriever the reply engines use.
    const retriever = server.ctx.knowledge!.retriever;
    const decide = async (question: string) =>
      (
        await retriever.retrieveForConversation({
          clientId: tenants.small.id,
          recentVisitorMessages: [question],
          recordUnanswered: false,
        })
      ).answered;
    expect(await decide('What is the cancellation fee?')).toBe(true);
    expect(await decide('Is there a gym with weights?')).toBe(false);
  });

  it('never returns another tenant’s chunk from either leg', async () => {
    // Every chunk of the other tenant holds these words; none may surface.
    for (const q of ['cancellation fee per night', 'Can I bring my dog?', 'parking check-out room']) {
      const body = await search('big', q);
      // Without pgvector nothing of the big tenant's speaks of dogs.
      expect(body.hits.length > 0 || (!hybrid && q.includes('dog'))).toBe(true);
      expect(body.hits.every((h) => h.knowledgeBaseId === tenants.big.kb)).toBe(true);
    }
    const scoped = await search('big', 'cancellation fee', { knowledgeBaseId: tenants.other.kb });
    expect(scoped.hits).toEqual([]);
    const other = await search('other', 'cancellation fee');
    expect(other.hits.every((h) => h.knowledgeBaseId === tenants.other.kb)).toBe(true);
  });

  it('finds a chunk sharing no word with the question through the HNSW-indexed vector leg', async () => {
    const body = await search('big', 'Can I bring my dog?');
    const pets = body.hits.find((h) => h.content === POLICIES[1]);
    if (hybrid) {
      expect(body.hits[0]?.content).toBe(POLICIES[1]);
      expect(pets?.legs.vector?.rank).toBe(1);
      expect(pets?.legs.fullText).toBeNull();
    } else {
      expect(pets).toBeUndefined();
    }
  });

  it.skipIf(!hybrid)(
    'runs the vector leg with its HNSW settings in the one statement: iterative scans reach a tenant the graph hides',
    async () => {
      const queryEmbedding = Array.from(fakeEmbedding('Can I bring my dog or another companion?', CONCEPTS));
      // The planner would read a three-chunk tenant through its client_id index and sort; without sorts it
      // takes the HNSW scan, as it does for a tenant of any size.
      const vectorHits = (iterativeScan: boolean) =>
        sql.transaction(async (tx) => {
          await tx.query('set local enable_sort = off');
          const { hits } = await hybridSearch(tx, {
            clientId: tenants.far.id,
            query: 'pet',
            k: 5,
            queryEmbedding,
            iterativeScan,
          });
          return hits
            .filter((h) => h.legs.vector)
            .map((h) => h.content)
            .sort();
        });
      // The 40 candidates a plain HNSW scan visits are all the crowd's (nearer): the tenant filter leaves none.
      expect(await vectorHits(false)).toEqual([]);
      // With the iterative scan the statement turns on, the scan goes on and reaches the far tenant's rows.
      // Not necessarily all three: HNSW is approximate, and these vectors, orthogonal to every other, are all
      // equally far from every node, so neighbour pruning can leave one without an incoming edge, which no scan
      // reaches (seen in one CI run in several: one of the three found). Their full-text leg still finds them.
      const far = ['Lifts serve all floors.', 'The garage opens at seven.', 'Towels are changed daily.'];
      const reached = await vectorHits(true);
      expect(reached.length).toBeGreaterThan(0);
      expect(far).toEqual(expect.arrayContaining(reached));
      // The settings lasted one statement: nothing leaked into the pooled connections.
      const settings = await Promise.all(
        [1, 2, 3].map(() =>
          sql.query<Array<{ it: string }>>("select current_setting('hnsw.iterative_scan', true) as it"),
        ),
      );
      expect(settings.map(([r]) => r?.it ?? 'off').every((v) => v === 'off' || v === '')).toBe(true);
    },
  );

  it('ranks the visitor’s language first in one search when asked to prefer it', async () => {
    const retriever = server.ctx.knowledge!.retriever;
    // The question with its topic's words in both languages, as the structured mode builds it.
    const question = '¿Cuánto cuesta el blanqueamiento dental? teeth whitening cost';
    const retrieve = (preferLanguage?: string) =>
      retriever.retrieveForConversation({
        clientId: tenants.bilingual.id,
        recentVisitorMessages: [question],
        k: 2,
        preferLanguage,
        recordUnanswered: false,
      });
    const preferred = await retrieve('es-MX');
    expect(preferred.chunks.map((c) => c.language)).toEqual(['spanish', 'spanish', 'english', 'english']);
    expect(preferred.chunks[0]?.content).toBe(BILINGUAL.es[0]);
    expect(preferred.chunks[2]?.content).toBe(BILINGUAL.en[0]);
    // Each group is ranked on its own: its best hit is rank 1 of its leg.
    expect(preferred.chunks[0]?.legs.fullText?.rank).toBe(1);
    expect(preferred.chunks[2]?.legs.fullText?.rank).toBe(1);
    const english = await retrieve('en');
    expect(english.chunks.map((c) => c.language)).toEqual(['english', 'english', 'spanish', 'spanish']);
    // Without a preference: k hits in all, whatever their language, best first.
    const plain = await retrieve();
    expect(plain.chunks).toHaveLength(2);
    expect(
      plain.chunks.every(
        (c) => c.knowledgeBaseId === tenants.bilingual.kb || c.knowledgeBaseId === tenants.bilingual.kbEs,
      ),
    ).toBe(true);
  });

  it('fuses both legs with Reciprocal Rank Fusion in the statement, as the reference function does', async () => {
    const body = await search('big', 'Can I bring my dog? cancellation fee');
    expect(body.hits.length).toBeGreaterThan(0);
    const text = body.hits.filter((h) => h.legs.fullText).sort((a, b) => a.legs.fullText!.rank - b.legs.fullText!.rank);
    for (const hit of body.hits) {
      const expected = reciprocalRankFusion([
        hit.legs.fullText ? [...Array(hit.legs.fullText.rank - 1).fill(''), hit.chunkId] : [],
        hit.legs.vector ? [...Array(hit.legs.vector.rank - 1).fill(''), hit.chunkId] : [],
      ]).get(hit.chunkId);
      expect(hit.score).toBeCloseTo(expected ?? 0, 6);
    }
    expect(body.hits.map((h) => h.score)).toEqual([...body.hits.map((h) => h.score)].sort((a, b) => b - a));
    expect(text[0]?.legs.fullText?.rank).toBe(1);
    expect(body.hits.some((h) => h.legs.vector)).toBe(hybrid);
  });

  it('ranks every match again once the common words are gone with their document', async () => {
    const removed = await fetch(`${server.url}/api/v1/knowledge-bases/${tenants.big.kb}/documents/rooms`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tenants.big.apiKey}` },
    });
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as { deleted: number }).deleted).toBe(240);
    expect(await chunksWithoutToken()).toEqual([]);
    const fast = await hybridSearch(sql, { clientId: tenants.big.id, query: 'room price per night', k: 5 });
    const reference = await exhaustiveFullText(sql, tenants.big.id, 'room price per night', 20);
    expect(fast.hits.map((h) => h.chunkId)).toEqual(reference.slice(0, 5).map((r) => r.id));
    expect(fast.hits[0]?.content).toMatch(/per night/);
  });
});

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
