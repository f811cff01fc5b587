import type { ContentLanguage } from '@leaddesk/shared';

/**
 * A starter document: what a business of one industry usually gets asked
 * (prices, hours, location, payment, cancellation), written as Markdown in
 * one language. Each language becomes its own knowledge base, so the full
 * text search stems it with the right dictionary.
 */
export interface StarterDocument {
  /** The knowledge base's name as staff see it ("Practice information"). */
  knowledgeBase: string;
  /** The document's name, shown in citations ("Prices and practical information"). */
  title: string;
  /** Markdown: `##` topics and `###` items, so each answer is its own chunk. */
  markdown: string;
}

export type StarterSet = Record<ContentLanguage, StarterDocument>;
