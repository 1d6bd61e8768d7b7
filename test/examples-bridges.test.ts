/** Runs the bridge examples (MCP filesystem agent, AI SDK endpoints) offline, so they cannot rot. */
import { describe, expect, test } from 'vitest';
import { main as aiSdkEndpoint } from '../examples/ai-sdk-endpoint.js';
import { main as mcpFilesystem } from '../examples/mcp-filesystem.js';
import { costOf, defaultCatalog } from '../src/index.js';

describe('examples/mcp-filesystem.ts', () => {
  test('the agent lists the folder and reads both notes through the real filesystem server, then answers from them', async () => {
    const lines: string[] = [];
    const result = await mcpFilesystem(undefined, (line) => lines.push(line));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.notes).toBe('From the notes: Standup: the release moves to Thursday. Fix the payment tests before Thursday.');
    const calls = result.nodes.notes.steps!.flatMap((step) => step.toolCalls.map((call) => [call.name, call.ok]));
    expect(calls).toEqual([
      ['list_directory', true],
      ['read_text_file', true],
      ['read_text_file', true],
    ]);
    expect(lines[0]).toMatch(/^\[tool\] list_directory: \[FILE\] (standup\.md|todo\.txt)$/);
  });
});

describe('examples/ai-sdk-endpoint.ts', () => {
  test("the house model answers on the 'local' AI SDK endpoint; gpt-5.4 fails over from the AI SDK hub to the native endpoint", async () => {
    const lines: string[] = [];
    const result = await aiSdkEndpoint((line) => lines.push(line));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.triage).toEqual({ kind: 'bug', urgent: true });
    expect(result.nodes.triage).toMatchObject({ model: 'house-model', provider: 'local', attempts: 1 });
    expect(result.nodes.triage.costUsd).toBeCloseTo((80 * 0.05 + 12 * 0.2) / 1e6, 12);
    expect(result.nodes.reply).toMatchObject({ model: 'gpt-5.4', provider: 'direct', attempts: 2 });
    expect(result.nodes.reply.costUsd).toBeCloseTo(costOf(defaultCatalog.get('gpt-5.4'), result.nodes.reply.usage), 12);
    expect(lines).toContain('fallback: gpt-5.4 on ai-hub → direct (overloaded 503)');
  });
});
