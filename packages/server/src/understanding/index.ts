export { formatBudget } from './budget.js';
export { type ConceptMatch, findConcepts } from './concepts.js';
export { fold } from './fold.js';
export { detectLanguage, isSupportedLanguage, SUPPORTED_LANGUAGES, type SupportedLanguage } from './language.js';
export type * from './types.js';
export { understand } from './understand.js';
