/**
 * Starter knowledge: each industry template ships what its businesses are
 * asked every day (prices, hours, location, payment, cancellation), as one
 * Markdown document per language, each in its own knowledge base so the full
 * text search stems it with that language's dictionary. A tenant created from
 * a template can answer "how much is a cleaning?" before anyone uploads a file,
 * and the business edits or replaces the documents later.
 */
import { randomUUID } from 'node:crypto';
import { CONTENT_LANGUAGES, type ContentLanguage, type Industry } from '@leaddesk/shared';
import type { EntityManager } from '@mikro-orm/postgresql';
import { KnowledgeBase } from '../../db/entities/index.js';
import { type ChunkDraft, chunkSections } from '../../knowledge/chunk/chunk-sections.js';
import type { IngestionInput, KnowledgeService } from '../../knowledge/knowledge-service.js';
import { textSearchConfigFor } from '../../knowledge/language.js';
import { parseDocument } from '../../knowledge/parse/parse-documents.js';
import { DENTAL_STARTER } from './dental.js';
import { HOTEL_STARTER } from './hotel.js';
import { OTHER_STARTER } from './other.js';
import { REAL_ESTATE_STARTER } from './real-estate.js';
import type { StarterSet } from './types.js';

export { DENTAL_PRICES } from './dental.js';
export { money } from './format.js';
export { HOTEL_PRICES } from './hotel.js';
export { REAL_ESTATE_TERMS } from './real-estate.js';
export type { StarterDocument, StarterSet } from './types.js';

export const STARTER_KNOWLEDGE: Record<Industry, StarterSet> = {
  dental: DENTAL_STARTER,
  hotel: HOTEL_STARTER,
  real_estate: REAL_ESTATE_STARTER,
  other: OTHER_STARTER,
};

/** Marks the starter knowledge bases, so staff can tell them from their own uploads. */
export const STARTER_CATEGORY = 'starter';

/** Stores one document's chunks: the knowledge module's ingestion path, or a stand-in in a CLI. */
export type StarterIngest = (em: EntityManager, input: IngestionInput) => Promise<unknown>;

/**
 * The server's way to ingest starter documents. In full-text mode a document
 * is stored at once (a few inserts, no network); with an embeddings provider
 * it goes through the ingestion job, so creating a tenant never waits for the
 * provider and the documents are embedded like any upload.
 */
export function starterIngestOf(knowledge: KnowledgeService): StarterIngest {
  return (em, input) =>
    knowledge.status().search === 'hybrid' ? knowledge.enqueueIngestion(em, input) : knowledge.ingestNow(em, input);
}

export interface InstalledStarterBase {
  knowledgeBaseId: string;
  language: ContentLanguage;
  name: string;
  chunks: number;
}

/**
 * Creates the industry's knowledge bases (one per content language) for a new
 * tenant and ingests their documents through `ingest`.
 */
export async function installStarterKnowledge(
  em: EntityManager,
  client: { id: string; industry: Industry },
  ingest: StarterIngest,
): Promise<InstalledStarterBase[]> {
  const set = STARTER_KNOWLEDGE[client.industry];
  const bases = CONTENT_LANGUAGES.map((language) => {
    const doc = set[language];
    const kb = em.create(KnowledgeBase, {
      id: randomUUID(),
      client: client.id,
      name: doc.knowledgeBase,
      description: 'Starter content from the industry template: edit the prices, hours and address to match yours.',
      category: STARTER_CATEGORY,
      language: textSearchConfigFor(language),
    });
    return { kb, doc, language };
  });
  // One flush for the six bases: the ingestions below reference them from other connections.
  await em.flush();

  const installed: InstalledStarterBase[] = [];
  for (const { kb, doc, language } of bases) {
    const chunks = await starterChunks(doc.markdown);
    await ingest(em, {
      clientId: client.id,
      knowledgeBaseId: kb.id,
      sourceId: `starter-${client.industry}-${language}`,
      sourceName: doc.title,
      sourceType: 'markdown',
      chunks,
    });
    installed.push({ knowledgeBaseId: kb.id, language, name: kb.name, chunks: chunks.length });
  }
  return installed;
}

const chunked = new Map<string, Promise<ChunkDraft[]>>();

/**
 * A starter document cut the way an uploaded Markdown file is (same parser,
 * same chunker). Counting tokens is most of the work of a tenant creation, and
 * the documents never change while the process runs, so each is cut once.
 */
export function starterChunks(markdown: string): Promise<ChunkDraft[]> {
  let chunks = chunked.get(markdown);
  if (!chunks) {
    chunks = parseDocument('markdown', Buffer.from(markdown, 'utf8')).then((parsed) =>
      parsed.kind === 'sections' ? chunkSections(parsed.sections) : [],
    );
    chunks.catch(() => chunked.delete(markdown));
    chunked.set(markdown, chunks);
  }
  return chunks;
}
