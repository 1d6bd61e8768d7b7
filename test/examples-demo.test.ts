import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createLivePrinter, formatNodeTable, main } from '../examples/demo.js';
import { demoProviders } from '../examples/demo-providers.js';

describe('the demo (npm run demo)', () => {
  it('says it is offline without keys and runs the triage workflow on the simulated provider', async () => {
    const lines: string[] = [];
    const providers = demoProviders({}, (line) => lines.push(line));
    expect(lines[0]).toMatch(/using the simulated provider/);
    expect(providers.map((p) => p.name)).toEqual(['simulated']);

    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      const outBase = join(mkdtempSync(join(tmpdir(), 'demo-')), 'demo');
      const result = await main({ providers, outBase });
      expect(result.status).toBe('succeeded');
      if (result.status !== 'succeeded') return;
      // each task went to its model: classification → gpt-5.4, agentic coding → gpt-5.5, summary → Claude
      expect(result.nodes.classify.model).toBe('gpt-5.4');
      expect(result.nodes.fix.model).toBe('gpt-5.5');
      expect(result.nodes.summarize.model).toBe('claude-sonnet-4-6');
      expect(result.outputs.report.title).toBe('[high] bug in login');
      expect(result.costUsd).toBeGreaterThan(0);
      const text = lines.join('\n');
      expect(text).toContain('[fix · gpt-5.5] Fix: use a parameterized query:');
      // agentic coding reasons at high effort: the thinking streams on its own lines, before the answer
      expect(text).toContain('[fix · gpt-5.5 · thinking] A 500 only for names with an apostrophe');
      expect(text.indexOf('[fix · gpt-5.5 · thinking]')).toBeLessThan(text.indexOf('[fix · gpt-5.5] Root cause'));
      expect(result.nodes.fix.usage.reasoningTokens).toBeGreaterThan(0);
      expect(text).toMatch(/^total\s+succeeded/m);
      // the trace holds every event of the run, and the report page was written from it
      const trace = readFileSync(`${outBase}.jsonl`, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(trace.filter((e) => e.type === 'node-end')).toHaveLength(4);
      expect(existsSync(`${outBase}.html`)).toBe(true);
      expect(readFileSync(`${outBase}.html`, 'utf8')).toContain('triage');
    } finally {
      log.mockRestore();
    }
  });

  it('picks real providers for the keys that are set, without reading any other variable', () => {
    const lines: string[] = [];
    const providers = demoProviders({ OPENAI_API_KEY: 'sk-test', GEMINI_API_KEY: 'g-test' }, (line) => lines.push(line));
    expect(providers.map((p) => p.name)).toEqual(['openai', 'google']);
    expect(lines.join('\n')).not.toContain('sk-test');
  });

  it('prints streamed lines tagged with node and model, and drops text of a discarded attempt', () => {
    const out: string[] = [];
    const print = createLivePrinter((line) => out.push(line));
    const base = { runId: 'r', seq: 1, t: 0, nodeId: 'fix', model: 'gpt-5.5', provider: 'p' };
    print({ ...base, type: 'text-delta', text: 'half a li' });
    print({ ...base, type: 'node-retry', discard: true, delayMs: 0, error: { name: 'E', kind: 'network', message: 'cut' } });
    print({ ...base, type: 'text-delta', text: 'whole line\nnext' });
    print({ ...base, type: 'node-end', status: 'succeeded', costUsd: 0.001, usage: { inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 } });
    expect(out).toEqual(['↻ fix: retry (network)', '[fix · gpt-5.5] whole line', '[fix · gpt-5.5] next', '✓ fix done, $0.001000']);
  });

  it('formats a table row per node plus a total', () => {
    const usage = { inputTokens: 10, cachedInputTokens: 4, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 };
    const table = formatNodeTable({
      status: 'succeeded', usage, costUsd: 0.5, durationMs: 10,
      nodes: { a: { status: 'succeeded', kind: 'llm', model: 'gpt-5.4', provider: 'x', attempts: 1, usage, costUsd: 0.5, durationMs: 10 } },
    });
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toMatch(/^a\s+succeeded\s+gpt-5\.4\s+x\s+10\s+4\s+5\s+0\.500000\s+10/m);
  });
});
