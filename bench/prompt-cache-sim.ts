/**
 * Provider prompt caches, simulated on the mock server from the request bodies the official SDKs send, following
 * each provider's published rules:
 * - Anthropic caches only at `cache_control` breakpoints: a request reads the longest marked prefix already in the
 *   cache and writes the longest marked prefix that is not (prefixes shorter than the model's minimum are never
 *   cached). Reads bill at 0.1×, writes at 1.25× the input price.
 * - OpenAI caches automatically: prompts of 1,024 tokens or more reuse the longest prefix seen before, counted in
 *   128-token steps (`prompt_cache_key` keeps requests that share a prefix on the same cache).
 * - Gemini caches implicitly: the longest prefix seen before, from its minimum (1,024 tokens here) up.
 * Tokens are counted as 4 characters each, over the content the request carries (tools, system, messages).
 */
import { createHash } from 'node:crypto';
import { minCacheableTokens } from '../src/cache/index.js';
import type { ScriptedReply, ScriptRequestInfo } from '../src/testing/index.js';

const CHARS_PER_TOKEN = 4;
const hash = (text: string) => createHash('sha1').update(text).digest('hex');
const tokensOf = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);

type Json = Record<string, unknown>;

/** Text of one content block (or a plain string). */
function blockText(block: unknown): string {
  if (typeof block === 'string') return block;
  const b = block as Json;
  if (typeof b['text'] === 'string') return b['text'];
  return JSON.stringify(b['input'] ?? b['content'] ?? b);
}

/** Anthropic: the request as ordered segments (tools, system blocks, message blocks), each flagged if marked. */
function anthropicSegments(body: Json): Array<{ text: string; marked: boolean }> {
  const segments: Array<{ text: string; marked: boolean }> = [];
  for (const tool of (body['tools'] as Json[] | undefined) ?? []) segments.push({ text: JSON.stringify({ ...tool, cache_control: undefined }), marked: tool['cache_control'] !== undefined });
  const system = body['system'];
  if (typeof system === 'string') segments.push({ text: system, marked: false });
  else for (const block of (system as Json[] | undefined) ?? []) segments.push({ text: blockText(block), marked: block['cache_control'] !== undefined });
  for (const message of (body['messages'] as Json[] | undefined) ?? []) {
    const content = message['content'];
    if (typeof content === 'string') segments.push({ text: content, marked: false });
    else for (const block of content as Json[]) segments.push({ text: blockText(block), marked: block['cache_control'] !== undefined });
  }
  return segments;
}

/** The text of an OpenAI or Gemini request in prompt order. */
function promptText(info: ScriptRequestInfo): string {
  const body = info.body as Json;
  if (info.family === 'openai') return ((body['messages'] as Json[]) ?? []).map((m) => blockText(m['content'])).join('\n');
  const system = (body['systemInstruction'] as { parts?: Json[] } | undefined)?.parts?.map(blockText).join('') ?? '';
  const contents = ((body['contents'] as Json[]) ?? []).flatMap((c) => ((c['parts'] as Json[]) ?? []).map(blockText));
  return [system, ...contents].join('\n');
}

/** One simulated cache per endpoint family and model (and OpenAI prompt_cache_key). */
export class PromptCacheSim {
  readonly #anthropic = new Set<string>();
  readonly #prefixes = new Set<string>();

  /** The usage a request gets: total input, and the cached and written parts. */
  usage(info: ScriptRequestInfo): { inputTokens: number; cachedInputTokens: number; cacheWriteTokens: number } {
    return info.family === 'anthropic' ? this.#anthropicUsage(info) : this.#prefixUsage(info);
  }

  /** A script for the mock server: replies `text` with simulated cache usage. */
  script(text: string): (info: ScriptRequestInfo) => ScriptedReply {
    return (info) => ({ text, usage: { ...this.usage(info), outputTokens: 40 } });
  }

  #anthropicUsage(info: ScriptRequestInfo) {
    const segments = anthropicSegments(info.body as Json);
    const min = minCacheableTokens(info.model);
    let text = '';
    let read = 0;
    let longestMarked = 0;
    let longestMarkedKey = '';
    for (const segment of segments) {
      text += segment.text;
      if (!segment.marked) continue;
      const tokens = tokensOf(text);
      const key = `${info.model}:${hash(text)}`;
      if (tokens >= min && this.#anthropic.has(key)) read = tokens;
      if (tokens >= min) [longestMarked, longestMarkedKey] = [tokens, key];
    }
    const total = tokensOf(text);
    const written = longestMarked > read ? longestMarked - read : 0;
    if (written > 0) this.#anthropic.add(longestMarkedKey);
    return { inputTokens: total, cachedInputTokens: read, cacheWriteTokens: written };
  }

  #prefixUsage(info: ScriptRequestInfo) {
    const text = promptText(info);
    const total = tokensOf(text);
    const step = info.family === 'openai' ? 128 : 1;
    const min = 1024;
    const scope = `${info.family}:${info.model}:${String((info.body as Json)['prompt_cache_key'] ?? '')}`;
    const boundaries: number[] = [];
    for (let t = min; t <= total; t += info.family === 'openai' ? step : 256) boundaries.push(t);
    let cached = 0;
    for (const t of boundaries) {
      if (this.#prefixes.has(`${scope}:${hash(text.slice(0, t * CHARS_PER_TOKEN))}`)) cached = t;
    }
    for (const t of boundaries) this.#prefixes.add(`${scope}:${hash(text.slice(0, t * CHARS_PER_TOKEN))}`);
    return { inputTokens: total, cachedInputTokens: cached, cacheWriteTokens: 0 };
  }
}
