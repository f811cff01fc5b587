import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';

/**
 * cl100k_base, the encoding of OpenAI's embedding models, so "500 tokens" is
 * what the embeddings API counts. The ranks ship inside js-tiktoken (no
 * download); building the encoder takes ~300 ms, so it is built once, lazily.
 */
let encoder: Tiktoken | undefined;

function enc(): Tiktoken {
  encoder ??= new Tiktoken(cl100kBase);
  return encoder;
}

export function countTokens(text: string): number {
  return enc().encode(text).length;
}

export function encodeTokens(text: string): number[] {
  return enc().encode(text);
}

export function decodeTokens(tokens: number[]): string {
  return enc().decode(tokens);
}
