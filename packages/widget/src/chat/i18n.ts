/**
 * The widget's own strings (not the business's replies), in the visitor's
 * language. The loader picks the bundle built for that language; unknown
 * languages get the English bundle.
 */
import { strings } from './strings/current.js';
import type { Strings } from './strings/en.js';

export type { Strings };

export function bundledStrings(): Strings {
  return strings;
}

export function fill(template: string, name: string): string {
  return template.replace('{name}', name);
}
