import { createHash } from 'node:crypto';
import type { FaqPair, Section } from '../parse/section.js';
import { countTokens, decodeTokens, encodeTokens } from './tokenizer.js';

export interface ChunkOptions {
  /** @default 500 */
  maxTokens?: number;
  /** @default 50 */
  overlapTokens?: number;
}

/** A chunk ready to embed and store. */
export interface ChunkDraft {
  position: number;
  content: string;
  contentHash: string;
  tokenCount: number;
  heading: string | null;
  metadata: Record<string, unknown>;
}

/**
 * Cuts sections into chunks of about `maxTokens`, never across a heading,
 * preferring sentence boundaries, each chunk repeating the last ~`overlapTokens`
 * of the one before so that a fact split at a boundary is still found whole.
 * Each chunk starts with its heading path: the words of the heading often are
 * what a visitor asks about ("Parking", "Whitening").
 */
export function chunkSections(sections: Section[], options: ChunkOptions = {}): ChunkDraft[] {
  const maxTokens = options.maxTokens ?? 500;
  const overlapTokens = options.overlapTokens ?? 50;
  const drafts: ChunkDraft[] = [];
  const seen = new Set<string>();

  for (const section of sections) {
    const heading = section.headings.length ? section.headings.join(' › ') : null;
    const prefix = heading ? `${heading}\n\n` : '';
    const budget = Math.max(50, maxTokens - (heading ? countTokens(prefix) : 0));
    const sentences = section.blocks.flatMap((block, i) =>
      splitSentences(block).map((s, j) => ({ text: s, tokens: countTokens(s), startsBlock: j === 0 && i > 0 })),
    );

    let body: typeof sentences = [];
    let bodyTokens = 0;
    const emit = () => {
      if (!body.length) return;
      const text = body.map((s, i) => (i > 0 && s.startsBlock ? `\n${s.text}` : s.text)).join(' ');
      push(drafts, seen, `${prefix}${text.replace(/ \n/g, '\n')}`, heading, section.metadata);
    };

    for (const sentence of sentences) {
      // A sentence longer than the budget is cut by tokens with the same overlap.
      if (sentence.tokens > budget) {
        emit();
        body = [];
        bodyTokens = 0;
        for (const piece of splitByTokens(sentence.text, budget, overlapTokens)) {
          push(drafts, seen, `${prefix}${piece}`, heading, section.metadata);
        }
        continue;
      }
      if (bodyTokens + sentence.tokens > budget && body.length) {
        emit();
        const carried = overlapTail(body, overlapTokens);
        body = carried;
        bodyTokens = carried.reduce((n, s) => n + s.tokens, 0);
      }
      body.push(sentence);
      bodyTokens += sentence.tokens;
    }
    emit();
  }
  return drafts.map((d, position) => ({ ...d, position }));
}

/** One chunk per FAQ entry (cut like a section when an answer is very long). */
export function chunkFaqs(entries: FaqPair[], options: ChunkOptions = {}): ChunkDraft[] {
  return entries.flatMap((entry) =>
    chunkSections([{ headings: [entry.question], blocks: [entry.answer] }], options).map((d) => ({
      ...d,
      metadata: { ...d.metadata, question: entry.question, ...(entry.id ? { faqId: entry.id } : {}) },
    })),
  );
}

export function contentHash(content: string): string {
  return createHash('sha256').update(content.replace(/\s+/g, ' ').trim()).digest('hex');
}

function push(
  drafts: ChunkDraft[],
  seen: Set<string>,
  content: string,
  heading: string | null,
  metadata: Record<string, unknown> | undefined,
) {
  const trimmed = content.trim();
  const hash = contentHash(trimmed);
  // The same text twice in one document is stored once (the knowledge base dedups across documents too).
  if (!trimmed || seen.has(hash)) return;
  seen.add(hash);
  drafts.push({
    position: 0,
    content: trimmed,
    contentHash: hash,
    tokenCount: countTokens(trimmed),
    heading,
    metadata: { ...metadata },
  });
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

export function splitSentences(text: string): string[] {
  return [...segmenter.segment(text)].map((s) => s.segment.trim()).filter(Boolean);
}

function overlapTail<T extends { tokens: number }>(sentences: T[], overlapTokens: number): T[] {
  const tail: T[] = [];
  let total = 0;
  for (let i = sentences.length - 1; i >= 0; i--) {
    const s = sentences[i]!;
    if (total + s.tokens > overlapTokens) break;
    tail.unshift(s);
    total += s.tokens;
  }
  // Never carry the whole previous chunk: that would repeat it forever.
  return tail.length === sentences.length ? tail.slice(1) : tail;
}

function splitByTokens(text: string, size: number, overlap: number): string[] {
  const tokens = encodeTokens(text);
  const pieces: string[] = [];
  const step = Math.max(1, size - overlap);
  for (let start = 0; start < tokens.length; start += step) {
    pieces.push(decodeTokens(tokens.slice(start, start + size)).trim());
    if (start + size >= tokens.length) break;
  }
  return pieces;
}
