/**
 * Helpers for the end-to-end tests: mock servers whose script records when each request arrived, single-node
 * workflows, and the text a stream consumer assembles.
 */
import { z } from 'zod';
import { anthropic, google, openai, workflow, type Provider, type RunEvent, type RunResult } from '../src/index.js';
import type { CallOptions } from '../src/call/call-types.js';
import { startMockServer, type MockServer, type ScriptedReply, type ScriptRequestInfo } from '../src/testing/index.js';

/** A mock server plus the arrival time of every request (performance.now and Date.now, taken by its script). */
export interface TimedServer extends MockServer {
  /** performance.now() when each request reached the script, by request index. */
  at: number[];
  /** Date.now() at the same moment (for HTTP-date Retry-After). */
  wallAt: number[];
}

/** Starts a mock server answering with `answer(info)`; every request's arrival time is recorded. */
export async function timedServer(answer: (info: ScriptRequestInfo) => ScriptedReply | Promise<ScriptedReply>): Promise<TimedServer> {
  const at: number[] = [];
  const wallAt: number[] = [];
  const server = await startMockServer((info) => {
    at[info.index] = performance.now();
    wallAt[info.index] = Date.now();
    return answer(info);
  });
  return Object.assign(server, { at, wallAt });
}

/** One endpoint per wire family, on a mock server: for tests that run the same case through each official SDK. */
export const SDK_FAMILIES: ReadonlyArray<{ family: string; model: string; make(server: MockServer): Provider }> = [
  { family: 'openai', model: 'gpt-5.4', make: (s) => openai({ name: 'hub', baseURL: s.openaiBaseURL, apiKey: 'k' }) },
  { family: 'openai-responses', model: 'gpt-5.4', make: (s) => openai({ name: 'hub', baseURL: s.openaiBaseURL, apiKey: 'k', api: 'responses' }) },
  { family: 'anthropic', model: 'claude-sonnet-4-6', make: (s) => anthropic({ name: 'hub', baseURL: s.anthropicBaseURL, apiKey: 'k' }) },
  { family: 'google', model: 'gemini-3-flash', make: (s) => google({ name: 'hub', baseURL: s.googleBaseURL, apiKey: 'k' }) },
];

const empty = z.object({});

/** A workflow of one `.llm` node named 'node'. */
export function oneNode(spec: CallOptions & { prompt: string }) {
  return workflow({ name: 'one', input: empty }).llm('node', spec);
}

/** Collects every event of a run while awaiting its result. */
export async function collect<R>(run: AsyncIterable<RunEvent> & { result: Promise<R> }): Promise<{ events: RunEvent[]; result: R }> {
  const events: RunEvent[] = [];
  for await (const event of run) events.push(event);
  return { events, result: await run.result };
}

/**
 * The text a consumer assembles for one node (and map item): text deltas, dropping everything an attempt
 * streamed when a `node-retry` or `node-fallback` says `discard: true`.
 */
export function assembledText(events: readonly RunEvent[], nodeId: string, item?: number): string {
  let text = '';
  for (const event of events) {
    if (event.nodeId !== nodeId || event.item !== item) continue;
    if (event.type === 'text-delta') text += event.text;
    if ((event.type === 'node-retry' || event.type === 'node-fallback') && event.discard) text = '';
  }
  return text;
}

/** Sum of the attempts every node reports. */
export function attemptsOf(result: RunResult): number {
  return Object.values(result.nodes).reduce((sum, node) => sum + node.attempts, 0);
}

/** The events of one type, typed. */
export function ofType<T extends RunEvent['type']>(events: readonly RunEvent[], type: T): Array<Extract<RunEvent, { type: T }>> {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}

/** `count` words of one token each (' word'), for streams whose token count is known. */
export function words(count: number, word = 'word'): string {
  return Array.from({ length: count }, () => word).join(' ');
}
