/**
 * What every parser produces: the document's text cut along its headings.
 * Chunking works on sections only, so a new format needs only a parser.
 */
export interface Section {
  /** Heading path from the outermost heading in (empty when the format has none). */
  headings: string[];
  /** Blocks of text (paragraphs, list items, table rows) in reading order. */
  blocks: string[];
  /** Carried onto every chunk of the section (e.g. the PDF page). */
  metadata?: Record<string, unknown>;
}

export interface FaqPair {
  question: string;
  answer: string;
  /** Stable id of an FAQ entry, when the caller gave one. */
  id?: string;
}

export type ParsedDocument = { kind: 'sections'; sections: Section[] } | { kind: 'faq'; entries: FaqPair[] };

/** Collapses runs of whitespace the way a reader sees the text. */
export function normalizeSpace(text: string): string {
  return text
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
