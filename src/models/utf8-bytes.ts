import { Buffer } from 'node:buffer';

/**
 * The length of a text in UTF-8, as it travels to a provider. A lone surrogate counts 3 bytes (it is sent, and
 * encoded by tokenizers, as U+FFFD). Native and linear: about a gigabyte per second.
 */
export function utf8Bytes(text: string): number {
  return text.length === 0 ? 0 : Buffer.byteLength(text, 'utf8');
}
