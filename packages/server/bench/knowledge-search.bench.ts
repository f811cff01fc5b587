/**
 * Knowledge search and ingestion benchmark.
 *
 * - Search latency p50/p95 for one tenant holding 10,000 chunks among 10
 *   tenants: full text only on the real PostgreSQL server (no pgvector there),
 *   hybrid (full text + vectors, RRF) and full text on embedded PGlite with
 *   its HNSW index. Beside each, the bare indexed query over the same data in
 *   the same run (GIN full-text match; HNSW nearest neighbours), unranked and
 *   unfused, and the search's latency as a multiple of it.
 * - Ingestion throughput in chunks/s through the real path (chunk drafts →
 *   embeddings → one transaction with tsvector and vector).
 *
 * Synthetic but realistic text (a clinic's and a hotel's vocabulary); vectors
 * from a local deterministic embedder, so no network is measured.
 * Environment: BENCH_SEARCHES (default 60), BENCH_EXPLAIN=1 (print a full-text plan), BENCH_SKIP_EMBEDDED=1, BENCH_PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
 * BENCH_CHUNKS (default 10000), BENCH_TENANTS (default 10), BENCH_SKIP_PG=1, BENCH_KEEP_DB=1 (keep the
 * PostgreSQL database and print its URL, to EXPLAIN against it).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { AppContext } from '../src/app-context.js';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { positional, sqlOf } from '../src/db/sql.js';
import { createJobs } from '../src/jobs/create-jobs.js';
import { type ChunkDraft, contentHash } from '../src/knowledge/chunk/chunk-sections.js';
import { countTokens } from '../src/knowledge/chunk/tokenizer.js';
import { EMBEDDING_DIMENSIONS, type Embedder, toVectorLiteral } from '../src/knowledge/embed/embedder.js';
import { createKnowledgeBase } from '../src/knowledge/knowledge-bases.js';
import { createKnowledgeService } from '../src/knowledge/knowledge-service.js';
import { hybridSearch, searchStatement } from '../src/knowledge/search/hybrid-search.js';
import { type VectorLegRow, vectorLegStatement } from '../src/knowledge/search/vector-leg.js';
import { insertChunks } from '../src/knowledge/store/chunk-store.js';
import { createLogger } from '../src/logger.js';
import { createClient } from '../src/tenants/tenant-service.js';

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 10_000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 10);
const PG_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 60);

// A seeded generator: the same corpus on every run.
let seed = 42;
function rand(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
}
const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;

const SERVICES = [
  'teeth whitening',
  'dental implant',
  'root canal',
  'cleaning',
  'veneers',
  'orthodontic aligners',
  'crown',
  'deluxe room',
  'junior suite',
  'airport transfer',
  'spa massage',
  'late checkout',
  'breakfast buffet',
  'parking space',
  'conference room',
  'wedding package',
];
const TOPICS = [
  'price',
  'cancellation',
  'opening hours',
  'insurance',
  'payment plan',
  'children',
  'pets',
  'accessibility',
  'parking',
  'emergency',
  'booking',
  'deposit',
  'refund',
  'warranty',
  'aftercare',
];
const VERBS = [
  'includes',
  'requires',
  'costs',
  'takes',
  'is available for',
  'can be booked for',
  'is covered by',
  'comes with',
];
const EXTRAS = [
  'a free consultation',
  'a 10% discount for returning guests',
  'a follow-up visit after two weeks',
  'complimentary towels',
  'a deposit of 50 EUR',
  'a written estimate',
  'sea-view upgrades when available',
  'weekend availability',
  'flexible rescheduling up to 24 hours before',
];

// Filler vocabulary with a Zipf distribution, as in real text: a few words
// are everywhere, most are rare. Pseudo-words keep the corpus language-neutral.
const SYLLABLES = [
  'ta',
  'vo',
  'rin',
  'mel',
  'usk',
  'dor',
  'pe',
  'lan',
  'qui',
  'sor',
  'ba',
  'ne',
  'fit',
  'gra',
  'lom',
  'zu',
];
const FILLER = Array.from({ length: 4000 }, () =>
  Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(SYLLABLES)).join(''),
);
const ZIPF = FILLER.map((_, i) => 1 / (i + 1) ** 1.05);
const ZIPF_TOTAL = ZIPF.reduce((a, b) => a + b, 0);
function fillerWord(): string {
  let r = rand() * ZIPF_TOTAL;
  for (let i = 0; i < ZIPF.length; i++) {
    r -= ZIPF[i]!;
    if (r <= 0) return FILLER[i]!;
  }
  return FILLER[0]!;
}

function sentence(): string {
  if (rand() < 0.35) {
    return `The ${pick(SERVICES)} ${pick(VERBS)} ${pick(EXTRAS)}, and our ${pick(TOPICS)} rules apply.`;
  }
  const n = 8 + Math.floor(rand() * 10);
  const words = Array.from({ length: n }, fillerWord).join(' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
}
function chunkText(i: number): string {
  const n = 4 + Math.floor(rand() * 4);
  return `${pick(TOPICS)} › ${pick(SERVICES)} (${i})\n\n${Array.from({ length: n }, sentence).join(' ')}`;
}
function drafts(count: number, offset = 0): ChunkDraft[] {
  return Array.from({ length: count }, (_, i) => {
    const content = chunkText(offset + i);
    return {
      position: i,
      content,
      contentHash: contentHash(content),
      tokenCount: countTokens(content),
      heading: null,
      metadata: {},
    };
  });
}

/** Deterministic vectors: word hashes, so related texts are near each other. */
const syntheticEmbedder: Embedder = {
  model: 'synthetic-bow-1536',
  async embed(texts, onBatch) {
    const out = texts.map((text) => {
      const v = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
      for (const w of text.toLowerCase().match(/[a-z]{4,}/g) ?? []) {
        const h = createHash('md5').update(w).digest();
        v[h.readUInt16LE(0) % EMBEDDING_DIMENSIONS]! += 1;
        v[h.readUInt16LE(2) % EMBEDDING_DIMENSIONS]! += 0.5;
      }
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => Number((x / norm).toFixed(5)));
    });
    await onBatch?.(out.length);
    return out;
  },
};

const QUERIES = Array.from(
  { length: 50 },
  () => `How much does the ${pick(SERVICES)} cost and what is your ${pick(TOPICS)} policy?`,
);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
async function latency(fn: (q: string) => Promise<unknown>): Promise<{ p50: number; p95: number; n: number }> {
  for (let i = 0; i < 10; i++) await fn(QUERIES[i % QUERIES.length]!);
  const times: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const start = performance.now();
    await fn(QUERIES[i % QUERIES.length]!);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), n: SEARCHES };
}
const round = (n: number) => Math.round(n * 100) / 100;
/** How many times the bare indexed query's latency the search takes. */
function ratio(search: { p50: number; p95: number }, bare: { p50: number; p95: number }) {
  return { ratioP50: round(search.p50 / bare.p50), ratioP95: round(search.p95 / bare.p95) };
}

async function run(kind: 'postgres' | 'embedded', otherTenantChunks: number) {
  let dropDb: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  let databaseUrl: string | undefined;
  if (kind === 'postgres') {
    const name = `ld_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    };
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ld-bench-'));
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: dataDir ?? os.tmpdir(),
    DATABASE_URL: databaseUrl,
  });
  const logger = createLogger({ level: 'silent', pretty: false });
  const db = await openDatabase(config, logger);
  const jobs = createJobs(config, db, logger);
  const ctx: AppContext = { config, logger, db, jobs, shuttingDown: () => false };
  const knowledge = await createKnowledgeService(ctx, { embedder: syntheticEmbedder });
  const result: Record<string, unknown> = { database: kind, searchMode: knowledge.status().search };
  try {
    const tenants = [];
    for (let t = 0; t < TENANTS; t++) {
      const em = db.orm.em.fork();
      const { client } = await createClient(em, { name: `Bench tenant ${t}`, industry: t % 2 ? 'hotel' : 'dental' });
      const kb = await createKnowledgeBase(em, client, {
        name: 'Main',
        description: '',
        category: 'general',
        language: 'english',
      });
      tenants.push({ client, kb });
    }
    const target = tenants[0]!;

    // Ingestion throughput through the service: drafts → embeddings → one transaction.
    const ingestCount = kind === 'embedded' ? 300 : 2000;
    const ingestStart = performance.now();
    const run = await knowledge.ingestNow(db.orm.em.fork(), {
      clientId: target.client.id,
      knowledgeBaseId: target.kb.id,
      sourceId: 'ingest-bench',
      sourceName: 'ingest-bench.md',
      sourceType: 'markdown',
      chunks: drafts(ingestCount, 1_000_000),
    });
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    if (run.status !== 'completed') throw new Error(`ingestion ${run.status}: ${run.error}`);
    result.ingestion = {
      chunks: ingestCount,
      seconds: round(ingestSeconds),
      chunksPerSecond: round(ingestCount / ingestSeconds),
      withHnswIndex: knowledge.vectorColumn,
    };
    await db.orm.em.fork().execute(`delete from knowledge_chunks where source_id = 'ingest-bench'`);

    // Bulk load without the HNSW index (one graph insert per row is slow, above all
    // in PGlite's WASM), then build it once over all tenants' rows, as a restore would.
    const em = db.orm.em.fork();
    if (knowledge.vectorColumn) await em.execute('drop index if exists knowledge_chunks_embedding_hnsw');
    const loadStart = performance.now();
    let loaded = 0;
    for (const [i, t] of tenants.entries()) {
      const count = i === 0 ? CHUNKS : otherTenantChunks;
      for (let off = 0; off < count; off += 1000) {
        const batch = drafts(Math.min(1000, count - off), i * 1_000_000 + off);
        const vectors = knowledge.vectorColumn ? await syntheticEmbedder.embed(batch.map((d) => d.content)) : null;
        await em.transactional((tx) =>
          insertChunks(
            tx,
            {
              clientId: t.client.id,
              knowledgeBaseId: t.kb.id,
              language: 'english',
              sourceId: `doc-${off}`,
              sourceName: `doc-${off}.md`,
              sourceType: 'markdown',
            },
            batch,
            vectors,
          ),
        );
        loaded += batch.length;
      }
    }
    const loadSeconds = round((performance.now() - loadStart) / 1000);
    let indexSeconds: number | null = null;
    if (knowledge.vectorColumn) {
      const indexStart = performance.now();
      await db.orm.em.fork().transactional(async (tx) => {
        // The graph of 1536-d vectors outgrows the default 64 MB and would be built on disk.
        await tx.execute(`set local maintenance_work_mem = '512MB'`);
        await tx.execute(
          'create index knowledge_chunks_embedding_hnsw on knowledge_chunks using hnsw (embedding vector_cosine_ops)',
        );
      });
      indexSeconds = round((performance.now() - indexStart) / 1000);
    }
    await em.execute('analyze knowledge_chunks');
    result.corpus = {
      tenants: TENANTS,
      targetTenantChunks: CHUNKS,
      otherTenantChunks,
      totalChunks: loaded,
      loadSeconds,
      vectorIndex: knowledge.vectorColumn ? `hnsw, built in ${indexSeconds} s` : 'n/a (no pgvector)',
    };

    const sql = sqlOf(db.orm);
    const clientId = target.client.id;
    const candidates = 20; // what hybridSearch asks each leg for at k = 5
    // The bare indexed queries: what the indexes alone cost to hand over as many rows, unranked.
    const bareFullText = (q: string) =>
      sql.query(
        `select id from knowledge_chunks where client_id = ? and language = 'english'
           and tsv @@ replace(websearch_to_tsquery('english', ?)::text, ' & ', ' | ')::tsquery limit ?`,
        [clientId, q, candidates],
      );
    const bareVector = async (q: string) => {
      const [v] = await syntheticEmbedder.embed([q]);
      // Unnamed, as the search sends its statement: a cached generic plan (tenant and vector unknown) leaves
      // the HNSW index for a scan that sorts every chunk of the tenant by distance.
      return sql.query(
        'select id from knowledge_chunks where client_id = ? order by embedding <=> ?::vector limit ?',
        [clientId, toVectorLiteral(v!), candidates],
        { unnamed: true },
      );
    };
    if (process.env.BENCH_EXPLAIN === '1') {
      const plan = await em.execute<Array<Record<string, string>>>(
        `explain (analyze, buffers) select id from knowledge_chunks where client_id = ? and language = 'english'
           and tsv @@ replace(websearch_to_tsquery('english', ?)::text, ' & ', ' | ')::tsquery limit 20`,
        [clientId, QUERIES[0]!],
      );
      console.error(plan.map((r) => Object.values(r)[0]).join('\n'));
      if (knowledge.vectorColumn) {
        // The hybrid search as the service sends it: the vector leg (unnamed, with its HNSW settings), then the
        // full-text leg fused with the vector leg's rows.
        const [v] = await syntheticEmbedder.embed([QUERIES[0]!]);
        const vector = vectorLegStatement({
          clientId,
          embedding: v!,
          limit: 20,
          efSearch: 40,
          iterativeScan: true,
        });
        const vectorPlan = await em.execute<Array<Record<string, string>>>(
          `explain (analyze, buffers) ${vector.text}`,
          vector.params,
        );
        console.error(vectorPlan.map((r) => Object.values(r)[0]).join('\n'));
        const vectorRows = await sql.query<VectorLegRow[]>(vector.text, vector.params, { unnamed: true });
        const statement = searchStatement(
          { clientId, query: QUERIES[0]!, k: 5, queryEmbedding: v!, iterativeScan: true },
          vectorRows,
        );
        // Through the executor: the vector leg's rows travel as arrays, which knex would expand into lists.
        const hybridPlan = await sql.query<Array<Record<string, string>>>(
          `explain (analyze, buffers) ${statement.text}`,
          statement.params,
          { unnamed: true },
        );
        console.error(hybridPlan.map((r) => Object.values(r)[0]).join('\n'));
        if (process.env.BENCH_EXPLAIN_GENERIC === '1') {
          const generic = await em.execute<Array<Record<string, string>>>(
            `explain (generic_plan) ${positional(vector.text)}`,
          );
          console.error(generic.map((r) => Object.values(r)[0]).join('\n'));
        }
      }
    }
    const measured: Record<string, unknown> = {};
    const fullText = await latency((q) => hybridSearch(sql, { clientId, query: q, k: 5, queryEmbedding: null }));
    const bareText = await latency(bareFullText);
    measured.fullText = { ...fullText, bare: { query: 'GIN full text', ...bareText }, ...ratio(fullText, bareText) };
    if (knowledge.vectorColumn) {
      const hybrid = await latency((q) => knowledge.search({ clientId, query: q, k: 5 }));
      const bareHnsw = await latency(bareVector);
      measured.hybrid = { ...hybrid, bare: { query: 'HNSW vector', ...bareHnsw }, ...ratio(hybrid, bareHnsw) };
    }
    Object.assign(result, measured);
    const hits = await knowledge.search({ clientId, query: QUERIES[0]!, k: 5 });
    if (knowledge.vectorColumn && !hits.hits.some((h) => h.legs.vector)) {
      throw new Error('the hybrid search returned no vector leg');
    }
    const sample = await knowledge.search({ clientId: target.client.id, query: QUERIES[0]!, k: 3 });
    if (sample.hits.length === 0) throw new Error('the benchmark search found nothing');
  } finally {
    await jobs.close();
    await db.close();
    if (process.env.BENCH_KEEP_DB === '1') console.error(`kept ${databaseUrl ?? dataDir}`);
    else {
      await dropDb?.();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return result;
}

const started = performance.now();
const results = [];
if (process.env.BENCH_SKIP_PG !== '1') results.push(await run('postgres', Math.round(CHUNKS / 10)));
// Other tenants hold fewer rows (1,000 each on PostgreSQL, 200 in PGlite, which is single-threaded WASM) to keep the run under two minutes.
if (process.env.BENCH_SKIP_EMBEDDED !== '1') results.push(await run('embedded', Math.round(CHUNKS / 50)));
const report = {
  benchmark: 'knowledge-search',
  at: new Date().toISOString(),
  seconds: round((performance.now() - started) / 1000),
  results,
};
console.log(JSON.stringify(report, null, 2));
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'knowledge-search.json'), `${JSON.stringify(report, null, 2)}\n`);
