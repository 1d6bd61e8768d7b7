/**
 * OpenTelemetry spans, read back from the SDK's in-memory exporter: run → node → attempt, parented correctly,
 * with the GenAI semantic-convention attributes and switchyard's own; prompt and reply text only when opted in;
 * nothing loaded or recorded without the option.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { context, ROOT_CONTEXT, trace, type Context, type ContextManager } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { anthropic, createSwitchyard, openai, workflow } from '../src/index.js';
import { simulated, startMockServer, type MockServer } from '../src/testing/index.js';

/** A minimal AsyncLocalStorage context manager (what @opentelemetry/context-async-hooks provides). */
class AlsContextManager implements ContextManager {
  readonly #als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.#als.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('test');

beforeAll(() => {
  context.setGlobalContextManager(new AlsContextManager());
});
afterAll(() => context.disable());
beforeEach(() => exporter.reset());

const spans = () => exporter.getFinishedSpans();
const named = (prefix: string) => spans().filter((s) => s.name.startsWith(prefix));
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

const servers: MockServer[] = [];
afterAll(async () => Promise.all(servers.map((s) => s.close())));

describe('spans for a run', () => {
  test('run → node → attempt, parented and timed, with GenAI and switchyard attributes', async () => {
    const server = await startMockServer((info) =>
      info.family === 'anthropic'
        ? { text: 'summary', usage: { inputTokens: 900, cachedInputTokens: 500, cacheWriteTokens: 100, outputTokens: 7 }, firstTokenMs: 20 }
        : info.index === 0
          ? { fault: { type: 'http', status: 500 } }
          : { text: '{"kind":"bug"}', usage: { inputTokens: 40, outputTokens: 6, reasoningTokens: 2 } },
    );
    servers.push(server);
    const sy = createSwitchyard({
      providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' }), anthropic({ baseURL: server.anthropicBaseURL, apiKey: 'k' })],
      retry: { baseDelayMs: 1 },
      telemetry: { tracer },
    });
    const wf = workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
      .llm('classify', { task: 'classification', prompt: ({ input }) => input.ticket, output: z.object({ kind: z.string() }), maxOutputTokens: 50 })
      .llm('summarize', { model: 'claude-sonnet-4-6', after: ['classify'], prompt: 'sum up', maxOutputTokens: 50 });
    const result = await sy.run(wf, { ticket: 'it crashes' }, { budget: { usd: 1 } }).result;
    expect(result.status).toBe('succeeded');

    const [run] = named('invoke_workflow');
    expect(run).toBeDefined();
    expect(run!.name).toBe('invoke_workflow triage');
    expect(parentOf(run!)).toBeUndefined();
    expect(run!.attributes).toMatchObject({ 'gen_ai.operation.name': 'invoke_workflow', 'switchyard.run.status': 'succeeded', 'switchyard.cost_usd': result.costUsd });

    const nodes = named('node ');
    expect(nodes.map((s) => s.name).sort()).toEqual(['node classify', 'node summarize']);
    for (const node of nodes) expect(parentOf(node)).toBe(idOf(run!));
    const classify = nodes.find((s) => s.name === 'node classify')!;
    expect(classify.attributes['switchyard.route.reason']).toEqual(expect.any(String));
    expect(classify.status.code).toBe(1); // OK

    // One span per HTTP request: a 500 and its retry on classify, one on summarize (a loaded machine may add a
    // retried network hiccup, which gets its span too).
    const attempts = named('chat ');
    expect(attempts).toHaveLength(server.requests.length);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    const onClassify = attempts.filter((s) => parentOf(s) === idOf(classify)).sort((a, b) => Number(a.attributes['switchyard.attempt']) - Number(b.attributes['switchyard.attempt']));
    expect(onClassify.length).toBeGreaterThanOrEqual(2);
    const [failed, retried] = [onClassify[0]!, onClassify.at(-1)!];
    expect(failed.kind).toBe(2); // CLIENT
    expect(failed.status.code).toBe(2); // ERROR
    expect(failed.attributes).toMatchObject({ 'switchyard.retry.cause': 'server', 'error.type': 'server', 'switchyard.attempt': 1 });
    expect(retried.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-5.4',
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 6,
      'gen_ai.usage.reasoning.output_tokens': 2,
      'switchyard.endpoint': 'openai',
      'switchyard.attempt': onClassify.length,
    });
    expect(retried.attributes['switchyard.budget.reserved_usd']).toBeGreaterThan(0);
    expect(retried.attributes['switchyard.budget.run.remaining_usd']).toBeLessThan(1);
    expect(retried.attributes['switchyard.route.reason']).toEqual(classify.attributes['switchyard.route.reason']);

    const summarize = nodes.find((s) => s.name === 'node summarize')!;
    const claude = attempts.filter((s) => parentOf(s) === idOf(summarize)).at(-1);
    expect(claude!.name).toBe('chat claude-sonnet-4-6');
    expect(claude!.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.usage.cache_read.input_tokens': 500,
      'gen_ai.usage.cache_creation.input_tokens': 100,
    });
    expect(claude!.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThanOrEqual(0.015);
    // children lie inside their parents
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(claude!.startTime)).toBeGreaterThanOrEqual(ms(summarize.startTime) - 1);
    expect(ms(claude!.endTime)).toBeLessThanOrEqual(ms(summarize.endTime) + 1);
    // no prompt or reply text without the opt-in
    expect(JSON.stringify(spans().map((s) => s.attributes))).not.toMatch(/it crashes|summary|gen_ai\.(input|output)\.messages/);
  });

  test('a fallback is recorded on the attempt that was replaced', async () => {
    const sy = createSwitchyard({
      providers: [simulated({ name: 'down', reply: { fault: { type: 'http', status: 503 } } }), simulated({ name: 'up' })],
      telemetry: { tracer },
    });
    await sy.generate({ model: 'gpt-5.4', prompt: 'x' });
    const [replaced, served] = named('chat ').sort((a, b) => ms0(a) - ms0(b));
    expect(replaced!.attributes).toMatchObject({ 'switchyard.endpoint': 'down', 'switchyard.fallback.to': 'gpt-5.4@up', 'error.type': 'overloaded' });
    expect(replaced!.attributes['switchyard.fallback.reason']).toEqual(expect.any(String));
    expect(served!.attributes['switchyard.endpoint']).toBe('up');
  });

  test("the run span is a child of the caller's active span", async () => {
    const sy = createSwitchyard({ providers: [simulated()], telemetry: { tracer } });
    const wf = workflow({ name: 'w', input: z.object({}) }).llm('a', { model: 'gpt-5.4', prompt: 'x' });
    const outer = tracer.startSpan('http request');
    await context.with(trace.setSpan(context.active(), outer), () => sy.run(wf, {}).result);
    outer.end();
    const [run] = named('invoke_workflow');
    expect(parentOf(run!)).toBe(outer.spanContext().spanId);
    expect(run!.spanContext().traceId).toBe(outer.spanContext().traceId);
  });

  test('recordContent puts each prompt and reply on its own attempt span, even with nodes in parallel', async () => {
    const sim = simulated({ reply: (info) => ({ text: `reply to ${info.text}`, chunkDelayMs: 2 }) });
    const sy = createSwitchyard({ providers: [sim], telemetry: { tracer, recordContent: true } });
    const wf = workflow({ name: 'p', input: z.object({}) })
      .llm('left', { model: 'gpt-5.4', system: 'You are left.', prompt: 'left question' })
      .llm('right', { model: 'gpt-5.4', prompt: 'right question' });
    await sy.run(wf, {}).result;
    const nodes = named('node ');
    for (const side of ['left', 'right']) {
      const node = nodes.find((s) => s.name === `node ${side}`)!;
      const [attempt] = named('chat ').filter((s) => parentOf(s) === idOf(node));
      const input = JSON.parse(String(attempt!.attributes['gen_ai.input.messages']));
      expect(input).toEqual([{ role: 'user', parts: [{ type: 'text', content: `${side} question` }] }]);
      const output = JSON.parse(String(attempt!.attributes['gen_ai.output.messages']));
      expect(output[0].parts[0].content).toBe(`reply to ${side} question`);
    }
    const left = named('chat ').find((s) => String(s.attributes['gen_ai.input.messages']).includes('left'))!;
    expect(JSON.parse(String(left.attributes['gen_ai.system_instructions']))).toEqual([{ type: 'text', content: 'You are left.' }]);
  });

  test('recordContent shows an image as its metadata, never its bytes', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');
    const sy = createSwitchyard({ providers: [simulated()], telemetry: { tracer, recordContent: true } });
    await sy.generate({ model: 'gpt-5.4', messages: [{ role: 'user', content: [{ type: 'text', text: 'What is it?' }, { type: 'image', image: png }] }] });
    const [attempt] = named('chat ');
    const text = String(attempt!.attributes['gen_ai.input.messages']);
    expect(JSON.parse(text)[0].parts).toEqual([
      { type: 'text', content: 'What is it?' },
      { type: 'image', source: 'bytes', mediaType: 'image/png', size: png.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), width: 1, height: 1 },
    ]);
    expect(text).not.toContain(png.toString('base64').slice(0, 20));
  });

  test('enabled: false records nothing', async () => {
    const sy = createSwitchyard({ providers: [simulated()], telemetry: { tracer, enabled: false } });
    await sy.generate({ model: 'gpt-5.4', prompt: 'x' });
    expect(spans()).toHaveLength(0);
  });
});

function ms0(span: ReadableSpan): number {
  return span.startTime[0] * 1000 + span.startTime[1] / 1e6;
}

describe('without telemetry', () => {
  test('@opentelemetry/api is never loaded', () => {
    const index = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const testing = fileURLToPath(new URL('../src/testing/index.ts', import.meta.url));
    const script = `
      import { createRequire } from 'node:module';
      const { createSwitchyard } = await import(${JSON.stringify(index)});
      const { simulated } = await import(${JSON.stringify(testing)});
      const sy = createSwitchyard({ providers: [simulated()] });
      await sy.generate({ model: 'gpt-5.4', prompt: 'x' });
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@opentelemetry'));
      console.log(JSON.stringify(loaded));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([]);
  });
});
