/**
 * The language this chat bundle speaks. Each language is built as its own
 * bundle (scripts/build.mjs points this import at `./<lang>.ts`), so a visitor
 * downloads one table, not six. Type checks and unit tests see English.
 */
export { strings } from './en.js';
