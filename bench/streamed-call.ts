import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import * as built from '../src/index.js';
import type { Provider, Switchyard } from '../src/index.js';
import { essentialCall } from './essential-node.js';

/** What the clients take from switchyard: this process's build (see use-dist.mjs), or another's (`importBuild(dir).index`). */
export type Lib = Pick<typeof built, 'createSwitchyard' | 'defaultCatalog' | 'openai'>;

/**
 * One streamed call as the call benchmarks make it (bench/call-cpu.ts, bench/allocation.ts): a 30-word reply over SSE
 * from the mock server in a child process, read to the end, through the raw openai SDK, the `openai()` adapter alone,
 * or `sy.stream`.
 */

/** A reply of `count` words (`word0 word1 …`). */
export function wordsText(count: number): string {
  return Array.from({ length: count }, (_, i) => `word${i}`).join(' ');
}

export const WORDS = wordsText(30);
export const MODEL = 'gpt-5.5';
export const PROMPT = 'Say thirty words.';
// As long as a real key (51 characters): keys of 16 or more are also redacted from streamed text, which a short
// placeholder would skip.
export const KEY = `sk-bench-${'0123456789abcdef'.repeat(3)}`;

export type Api = 'chat' | 'responses';
export type Client = (api: Api) => () => Promise<string>;

/** The mock server in a child process, replying `text` to every call. */
export function startServer(text = WORDS): Promise<{ child: ChildProcess; baseURL: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./mock-server-child.ts', import.meta.url).pathname, text], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve({ child, baseURL: `${(JSON.parse(line) as { url: string }).url}/v1` });
    });
  });
}

export function rawOpenAI(baseURL: string): Client {
  const client = new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0 });
  return (api) => async () => {
    let text = '';
    if (api === 'chat') {
      const stream = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: PROMPT }],
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    } else {
      const stream = await client.responses.create({ model: MODEL, input: PROMPT, stream: true, store: false });
      for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    }
    return text;
  };
}

/** The `openai()` adapter for each API, against the mock server, with the benchmark's key. */
function adapters(baseURL: string, openai: Lib['openai']): Record<Api, Provider> {
  return { chat: openai({ baseURL, apiKey: KEY, api: 'chat' }), responses: openai({ baseURL, apiKey: KEY, api: 'responses' }) };
}

export function switchyard(baseURL: string, { createSwitchyard, openai }: Lib = built): Client {
  const providers = adapters(baseURL, openai);
  const instances: Record<Api, Switchyard> = {
    chat: createSwitchyard({ providers: [providers.chat] }),
    responses: createSwitchyard({ providers: [providers.responses] }),
  };
  return (api) => async () => {
    let text = '';
    const call = instances[api].stream({ model: MODEL, prompt: PROMPT });
    for await (const event of call) if (event.type === 'text-delta') text += event.text;
    await call.result;
    return text;
  };
}

/**
 * The `openai()` adapter alone, its stream read directly (no engine: no routing, budget, retry, events): splits
 * sy.stream's cost into the adapter's share and the engine's.
 */
export function adapterOnly(baseURL: string, { defaultCatalog, openai }: Lib = built): Client {
  const providers = adapters(baseURL, openai);
  const model = defaultCatalog.get(MODEL);
  return (api) => async () => {
    let text = '';
    const signal = new AbortController().signal;
    for await (const event of providers[api].stream({ model, request: { messages: [{ role: 'user', content: PROMPT }] }, signal })) {
      if (event.type === 'text-delta') text += event.text;
    }
    return text;
  };
}

/**
 * The essential call (essential-node.ts) through the `openai()` adapter: routing, the budget's reservation and
 * settlement, an event per delta read with `for await`, and nothing else: the floor for a redesign of `sy.stream`.
 */
export function essential(baseURL: string, { openai }: Lib = built): Client {
  const providers = adapters(baseURL, openai);
  return (api) => async () => {
    let text = '';
    const call = essentialCall(providers[api], PROMPT);
    for await (const event of call.events) if (event.type === 'text-delta') text += event.text;
    await call.result;
    return text;
  };
}
