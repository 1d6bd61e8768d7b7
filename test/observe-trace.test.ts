/**
 * The trace file: a header then every run event, written as the run goes. A process SIGKILLed mid-run leaves a
 * file whose every line parses and whose events are a prefix of the run; API keys never reach it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, openai, SwitchyardError, workflow, type RunEvent } from '../src/index.js';
import { parseTrace, type TraceRecord } from '../src/observe/index.js';
import { simulated, startMockServer } from '../src/testing/index.js';
import { chain } from './observe-trace-child.js';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');

describe('sy.run(..., { trace: path })', () => {
  test('writes a header, then every event of the run in order, as JSON lines', async () => {
    const { sy, wf } = chain(0);
    const path = join(dir, 'nested', 'run.jsonl');
    const run = sy.run(wf, {}, { trace: path });
    const seen: RunEvent[] = [];
    run.on('*', (e) => seen.push(e));
    await run.result;
    const records = lines(path).map((l) => JSON.parse(l) as TraceRecord);
    expect(records[0]).toMatchObject({
      type: 'trace-start',
      version: 1,
      runId: run.runId,
      workflow: 'chain',
      nodes: [{ id: 'a', kind: 'llm', model: 'gpt-5.4' }, { id: 'b', after: ['a'] }, { id: 'c', after: ['b'] }],
    });
    expect(records.slice(1)).toEqual(JSON.parse(JSON.stringify(seen)));
    expect(records.at(-1)!.type).toBe('run-end');
  });

  test('a writer of your own receives the same records and is closed at the end', async () => {
    const { sy, wf } = chain(0);
    const records: TraceRecord[] = [];
    let closed = 0;
    const result = await sy.run(wf, {}, { trace: { write: (r) => records.push(r), close: () => void closed++ } }).result;
    expect(records[0]!.type).toBe('trace-start');
    expect(records.filter((r) => r.type === 'node-end')).toHaveLength(3);
    expect(records.at(-1)).toMatchObject({ type: 'run-end', costUsd: result.costUsd });
    expect(closed).toBe(1);
  });

  test('a trace that cannot be opened refuses the run before it starts', () => {
    const { sy, wf } = chain(0);
    const blocked = join(dir, 'file-not-dir');
    writeFileSync(blocked, 'a plain file where a folder is expected');
    expect(() => sy.run(wf, {}, { trace: join(blocked, 'x.jsonl') })).toThrow(SwitchyardError);
  });
});

describe('a crash mid-run', () => {
  test('SIGKILL keeps every line written: each parses, and the events are a prefix of the run', async () => {
    // The reference: the same deterministic chain run to the end (without the pacing).
    const { sy, wf } = chain(0);
    const reference: RunEvent[] = [];
    const full = sy.run(wf, {});
    full.on('*', (e) => reference.push(e));
    await full.result;

    const path = join(dir, 'killed.jsonl');
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./observe-trace-child.ts', import.meta.url)), path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let deltasOfB = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) if (line === 'text-delta b' && ++deltasOfB === 5) child.kill('SIGKILL');
    });
    const signal = await exited;
    expect(signal, stderr).toBe('SIGKILL');

    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const records = text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TraceRecord);
    expect(records[0]!.type).toBe('trace-start');
    const events = records.slice(1) as RunEvent[];
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.some((e) => e.type === 'run-end')).toBe(false);
    // at least node a and the start of b made it to the file
    expect(events.filter((e) => e.type === 'node-end').map((e) => e.nodeId)).toEqual(['a']);
    expect(events.filter((e) => e.type === 'text-delta' && e.nodeId === 'b').length).toBeGreaterThanOrEqual(1);
    const shape = (e: RunEvent) => [e.type, e.nodeId ?? '', e.type === 'text-delta' ? e.text : ''].join(' ');
    expect(events.map(shape)).toEqual(reference.slice(0, events.length).map(shape));
    // and the report reader takes it as an incomplete run
    const parsed = parseTrace(text);
    expect(parsed).toMatchObject({ incomplete: true, badLines: 0 });
    expect(parsed.events).toHaveLength(events.length);
  });
});

describe('API keys', () => {
  test('never appear in the trace, even when a provider echoes the key in an error', async () => {
    const key = 'sk-proj-SECRET0123456789abcdefSECRET';
    const server = await startMockServer({ fault: { type: 'http', status: 401, message: 'Incorrect API key provided: {apiKey}.' } });
    try {
      const sy = createSwitchyard({ providers: [openai({ baseURL: server.openaiBaseURL, apiKey: key })] });
      const wf = workflow({ name: 'k', input: z.object({}) }).llm('n', { model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 10 });
      const path = join(dir, 'keys.jsonl');
      const result = await sy.run(wf, {}, { trace: path }).result;
      expect(result.status).toBe('failed');
      const text = readFileSync(path, 'utf8');
      expect(text).toContain('node-error');
      expect(text).not.toContain('SECRET0123456789');
    } finally {
      await server.close();
    }
  });

  test('key-shaped text in any event is redacted in the file', async () => {
    const leaked = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz';
    const sy = createSwitchyard({ providers: [simulated({ reply: { text: `here is ${leaked} oops` } })] });
    const wf = workflow({ name: 'k', input: z.object({}) }).llm('n', { model: 'gpt-5.4', prompt: 'hi' });
    const path = join(dir, 'scrub.jsonl');
    await sy.run(wf, {}, { trace: path }).result;
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).toContain('[redacted]');
  });
});
