/**
 * Splits a reply into a few readable messages: paragraphs first, then
 * sentences (Intl.Segmenter, so abbreviations and other languages are handled
 * by the platform's rules), then words; a piece never exceeds `maxLength` and
 * whole sentences are packed together up to `targetLength`. Joining the parts
 * with a space gives back the text with its whitespace normalised.
 */
export interface SplitOptions {
  /** Hard limit of the channel (WhatsApp 4096, SMS 1600). */
  maxLength: number;
  /** Pack sentences up to this length. @default maxLength */
  targetLength?: number;
  locale?: string;
}

export function splitText(text: string, options: SplitOptions): string[] {
  const target = Math.min(options.targetLength ?? options.maxLength, options.maxLength);
  const clean = text.replace(/[ \t]+/g, ' ').trim();
  if (!clean) return [];
  if (clean.length <= target) return [clean];
  const segmenter = new Intl.Segmenter(options.locale ?? 'en', { granularity: 'sentence' });
  const pieces: string[] = [];
  for (const paragraph of clean.split(/\n\s*\n/)) {
    const sentences = [...segmenter.segment(paragraph.trim())].map((s) => s.segment.trim()).filter(Boolean);
    let current = '';
    for (const sentence of sentences) {
      for (const chunk of hardWrap(sentence, options.maxLength)) {
        if (current && current.length + 1 + chunk.length > target) {
          pieces.push(current);
          current = chunk;
        } else {
          current = current ? `${current} ${chunk}` : chunk;
        }
      }
    }
    if (current) pieces.push(current);
  }
  return pieces;
}

/** A sentence longer than the hard limit is cut at word boundaries (or mid-word if it must). */
function hardWrap(sentence: string, max: number): string[] {
  if (sentence.length <= max) return [sentence];
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    let cut = rest.lastIndexOf(' ', max);
    if (cut <= 0) cut = max;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}
