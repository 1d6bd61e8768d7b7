import type { ModelEvent, ModelInfo, ModelRequest, ProviderFamily } from '../../src/models/types.js';
import { anthropic, google, openai } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import type { MockServer } from '../../src/testing/mock-server/index.js';

/** A key the mock server can echo back; it must never surface in errors or events. */
export const SECRET_KEY = 'sk-test-SECRET-0123456789abcdef';

export function modelInfo(id: string, provider: ProviderFamily): ModelInfo {
  return {
    id,
    provider,
    contextWindow: 200_000,
    maxOutputTokens: 8_000,
    pricing: { input: 1, output: 2, source: 'test', asOf: '2026-01-01' },
    capabilities: { tools: true, structuredOutput: true, vision: false, reasoning: true },
    tasks: ['chat'],
  };
}

export interface Family {
  family: ProviderFamily;
  model: ModelInfo;
  make(server: MockServer, apiKey?: string): Provider;
}

/** The three adapters, each pointed at the mock server through its official SDK. */
export const FAMILIES: readonly Family[] = [
  {
    family: 'openai',
    model: modelInfo('gpt-5.5', 'openai'),
    make: (server, apiKey = SECRET_KEY) => openai({ baseURL: server.openaiBaseURL, apiKey }),
  },
  {
    family: 'anthropic',
    model: modelInfo('claude-sonnet-4-6', 'anthropic'),
    make: (server, apiKey = SECRET_KEY) => anthropic({ baseURL: server.anthropicBaseURL, apiKey }),
  },
  {
    family: 'google',
    model: modelInfo('gemini-2.5-flash', 'google'),
    make: (server, apiKey = SECRET_KEY) => google({ baseURL: server.googleBaseURL, apiKey }),
  },
];

export function userRequest(text: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return { messages: [{ role: 'user', content: text }], ...extra };
}

/** Drains a stream, returning the events and the error it ended with (if any). */
export async function drain(stream: AsyncIterable<ModelEvent>): Promise<{ events: ModelEvent[]; error?: unknown }> {
  const events: ModelEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

export function textOf(events: readonly ModelEvent[]): string {
  return events.map((e) => (e.type === 'text-delta' ? e.text : '')).join('');
}

/** Polls until `check` holds (generous bound for a busy machine). */
export async function waitUntil(check: () => boolean, timeoutMs = 60_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}
