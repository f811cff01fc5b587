import { findConcepts } from './concepts.js';
import { fold } from './fold.js';

/**
 * The tenant's service a message is about. Both sides go through the same
 * concept lexicon: the tenant's service names (any wording, any language) and
 * the visitor's words, so "dolor de muelas" meets "Emergency care" and
 * "détartrage" meets "Check-up and cleaning" or "Dentalhygiene".
 */
const serviceConceptCache = new Map<string, string[]>();

/** The concepts a tenant's service name stands for (cached: a tenant's list changes rarely). */
export function serviceConcepts(service: string): string[] {
  let concepts = serviceConceptCache.get(service);
  if (!concepts) {
    concepts = findConcepts(service, undefined, 'service').map((c) => c.concept);
    if (serviceConceptCache.size > 5000) serviceConceptCache.clear();
    serviceConceptCache.set(service, concepts);
  }
  return concepts;
}

const wordPatternCache = new Map<string, RegExp[]>();

/** Words of a service name that can identify it by themselves ("Sedation", "Veneers"), as stems. */
function significantWords(service: string): RegExp[] {
  let patterns = wordPatternCache.get(service);
  if (!patterns) {
    patterns = fold(service)
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 5)
      .map((word) => new RegExp(`(?<![a-z])${word.slice(0, Math.max(5, word.length - 2))}[a-z]*`));
    if (wordPatternCache.size > 5000) wordPatternCache.clear();
    wordPatternCache.set(service, patterns);
  }
  return patterns;
}

export function matchService(
  folded: string,
  services: readonly string[],
  messageConcepts: Array<{ concept: string; text: string }>,
): { name: string; matched: string } | undefined {
  if (!services.length) return undefined;
  // First the concepts the visitor named, in order; a service named by fewer concepts is the more specific one.
  for (const { concept, text } of messageConcepts) {
    const candidates = services.filter((s) => serviceConcepts(s).includes(concept));
    if (!candidates.length) continue;
    candidates.sort((a, b) => serviceConcepts(a).length - serviceConcepts(b).length);
    return { name: candidates[0] as string, matched: text };
  }
  // A service whose own distinctive word appears in the message (a name the lexicon does not know).
  for (const service of services) {
    if (serviceConcepts(service).length) continue;
    for (const re of significantWords(service)) {
      const m = re.exec(folded);
      if (m) return { name: service, matched: m[0] };
    }
  }
  return undefined;
}
