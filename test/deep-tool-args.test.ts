/**
 * Model output nested thousands of levels deep, through the real SDKs and real processes: a tool call whose
 * arguments nest 5,000 deep once made `JSON.stringify` throw outside the run (in the trace writer, in a BullMQ
 * worker's event publisher) and the process exit 1 — and a re-delivered job crash the next worker. Now the attempt
 * refuses such arguments (kind 'invalid_output'), the tool never runs, and every process lives on.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, memoryStore, openai, workflow, type Provider, type RunEvent } from '../src/index.js';
import { MAX_JSON_DEPTH } from '../src/data/index.js';
import { bullmq } from '../src/redis/index.js';
import { startMockServer } from '../src/testing/index.js';
import { agentWorkflow, unstorableWorkflow, type Family } from './fixtures/deep-args-workflow.js';
import { deepJsonText, startRawWireServer, type RawWireServer } from './fixtures/raw-wire-server.js';
import { releasedAfterAll } from './fixtures/released-after-all.js';
import { spawnTsx } from './fixtures/spawn-tsx.js';
import { redisUrl } from './setup/redis-url.js';

const DEEP = deepJsonText(5_000);
const resources = releasedAfterAll();

async function rawServer(): Promise<RawWireServer> {
  return resources.closing(await startRawWireServer(DEEP, { always: true }));
}

/** Nesting depth of JSON text (brackets outside strings). */
function textDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

describe('a tool call with arguments nested 5,000 deep', () => {
  test.each<Family>(['openai', 'anthropic', 'google'])(
    '%s SDK: the process lives, the attempt fails with invalid_output, the tool never runs, the trace is whole',
    async (family) => {
      const server = await rawServer();
      const dir = resources.folder(mkdtempSync(join(tmpdir(), 'deep-args-')));
      const trace = join(dir, 'trace.jsonl');
      const child = resources.child(spawnTsx('deep-args-run.ts', [family, server.url, trace]));
      expect(await child.exit).toBe(0);
      expect(child.lines).not.toContain('tool executed');
      const outcome = JSON.parse(child.lines.at(-1)!) as { status: string; kind: string; message: string };
      expect(outcome).toMatchObject({ status: 'failed', kind: 'invalid_output' });
      expect(outcome.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
      const lines = readFileSync(trace, 'utf8').trim().split('\n');
      const types = lines.map((line) => (JSON.parse(line) as { type: string }).type);
      expect(types).toContain('node-error');
      expect(types.at(-1)).toBe('run-end');
      expect(types).not.toContain('tool-call');
      for (const line of lines) expect(textDepth(line)).toBeLessThanOrEqual(MAX_JSON_DEPTH);
    },
    60_000,
  );

  test('structured output nested 5,000 deep fails validation (the repair turn too), typed, in process', async () => {
    const server = resources.closing(await startMockServer({ text: DEEP }));
    const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const wf = workflow({ name: 'deep-output', input: z.object({}) }).llm('node', { model: 'gpt-5.5', prompt: 'go', output: z.object({ a: z.unknown() }) });
    const result = await sy.run(wf, {}).result;
    expect(result.nodes.node.status).toBe('failed');
    expect(result.nodes.node.error).toMatchObject({ kind: 'invalid_output' });
    expect(result.nodes.node.error?.message).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
  });
});

describe('events JSON cannot hold', () => {
  test("a provider of your own whose tool call carries a BigInt: the trace line says what it cut, the run goes on", async () => {
    const own: Provider = {
      name: 'own',
      family: 'openai',
      serves: () => true,
      async *stream() {
        yield { type: 'tool-call', call: { id: 'c1', name: 'note', args: { count: 12n, text: 'hello' } } };
        yield { type: 'usage', usage: { inputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 } };
        yield { type: 'finish', reason: 'tool-calls' };
      },
    };
    const trace = join(resources.folder(mkdtempSync(join(tmpdir(), 'bigint-'))), 'trace.jsonl');
    const wf = workflow({ name: 'bigint', input: z.object({}) }).llm('node', { model: 'gpt-5.5', prompt: 'go', maxOutputTokens: 20 });
    const result = await createSwitchyard({ providers: [own] }).run(wf, {}, { trace }).result;
    expect(result.status).toBe('succeeded');
    await new Promise((resolve) => setTimeout(resolve, 50)); // anything thrown after the run would surface here
    const call = readFileSync(trace, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as RunEvent).find((e) => e.type === 'tool-call');
    expect(call).toMatchObject({ call: { args: { count: '[cut: bigint 12]', text: 'hello' } } });
  });
});

describe('outputs JSON cannot hold', () => {
  test('a checkpoint store refuses them with invalid_output on that node only; the others commit', async () => {
    const sy = createSwitchyard({ providers: [openai({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' })] });
    const result = await sy.run(unstorableWorkflow(), {}, { store: memoryStore(), onError: 'continue' }).result;
    expect(result.nodes.circular.status).toBe('failed');
    expect(result.nodes.circular.error).toMatchObject({ kind: 'invalid_output' });
    expect(result.nodes.circular.error?.message).toContain("node 'circular'");
    expect(result.outputs.valueOf).toEqual({ saw: { fine: true } });
  });
});

describe('BullMQ workers', () => {
  test('deep arguments and an unstorable output: every worker lives, the caller gets typed failures', async () => {
    const server = await rawServer();
    const id = randomUUID().slice(0, 8);
    const [queue, prefix] = [`q-deep-${id}`, `test:deep:${id}:`];
    const workers = [0, 1].map(() => resources.child(spawnTsx('deep-args-worker.ts', [redisUrl(), queue, prefix, server.url])));
    await Promise.all(workers.map((w) => w.line((l) => l === 'ready')));
    const executor = resources.closing(bullmq({ connection: redisUrl(), queue, prefix }));
    const caller = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const crashed = Promise.race(workers.map((w) => w.exit.then((code) => `a worker exited (${code})`)));

    const agentRun = caller.run(agentWorkflow('openai'), {}, { executor, runId: `deep_${id}` });
    const events: RunEvent[] = [];
    agentRun.on('*', (event) => events.push(event));
    const agent = await Promise.race([agentRun.result, crashed]);
    if (typeof agent === 'string') throw new Error(agent);
    expect(agent.nodes.agent.error).toMatchObject({ kind: 'invalid_output' });
    expect(events.some((e) => e.type === 'tool-call')).toBe(false);

    const steps = await Promise.race([caller.run(unstorableWorkflow(), {}, { executor, runId: `unstorable_${id}`, onError: 'continue' }).result, crashed]);
    if (typeof steps === 'string') throw new Error(steps);
    expect(steps.nodes.circular.error).toMatchObject({ kind: 'invalid_output' });
    expect(steps.outputs.valueOf).toEqual({ saw: { fine: true } });
    expect(Object.getPrototypeOf(steps.outputs)).toBeNull();

    expect(workers.every((w) => w.proc.exitCode === null && w.proc.signalCode === null)).toBe(true);
    expect(workers.flatMap((w) => w.lines)).not.toContain('tool executed');
  }, 60_000);
});
