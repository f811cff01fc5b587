import { findConcepts } from './concepts.js';
import { fold } from './fold.js';

/**
 * The tenant's service a message is about. Both sides go through the same
 * concept lexicon: the tenant's service names (any wording, any language) and
 * the visitor's words, so "dolor de muelas" meets "Emergency care" and
 * "détartrage" meets "Check-up and cleaning" or "Dentalhygiene".
 */
const serviceConceptCache = new Map<string, string[]>();

function serviceConcepts(service: string): string[] {
  let concepts = serviceConceptCache.get(service);
  if (!concepts) {
    concepts = findConcepts(service, undefined, 'service').map((c) => c.concept);
    if (serviceConceptCache.size > 5000) serviceConceptCache.clear();
    serviceConceptCache.set(service, concepts);
  }
  return concepts;
}

/** Words of a service name that can identify it by themselves ("Sedation", "Veneers"). */
function significantWords(service: string): string[] {
  return fold(service)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 5);
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
    for (const word of significantWords(service)) {
      const stem = word.slice(0, Math.max(5, word.length - 2));
      const re = new RegExp(`(?<![a-z])${stem}[a-z]*`);
      const m = re.exec(folded);
      if (m && serviceConcepts(service).length === 0) return { name: service, matched: m[0] };
    }
  }
  return undefined;
}
