/**
 * MCP tools against the real @modelcontextprotocol/server-everything over stdio: its tools run for an agent
 * (arguments validated first, results, structured content, images as placeholders), beside the node's own tools;
 * an error result, a slow tool cancelled with the run, a hung call ended by the per-call timeout and a server that
 * dies mid-call all reach the model as error results and the run as tool-result events; env values never show.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createSwitchyard, SwitchyardError, tool } from '../src/index.js';
import { mcpTools, type McpToolSet } from '../src/mcp/index.js';
import { simulated } from '../src/testing/index.js';
import { collect } from './e2e-kit.js';
import { agentWorkflow, everythingStdio, toolMessages, toolResults } from './mcp-kit.js';

const SECRET = 'sk-mcp-env-secret-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'switchyard-mcp-'));
let tapCount = 0;
const newTap = () => join(dir, `tap-${tapCount++}.jsonl`);

/** The JSON-RPC messages a tapped server received. */
function received(tap: string): Array<{ method?: string; id?: number; params?: Record<string, unknown> }> {
  if (!existsSync(tap)) return [];
  return readFileSync(tap, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const toolCallsTo = (tap: string, name: string) => received(tap).filter((m) => m.method === 'tools/call' && m.params?.['name'] === name);

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}


describe('server-everything over stdio', () => {
  const tap = newTap();
  let everything: McpToolSet;
  beforeAll(async () => {
    everything = await mcpTools({ ...everythingStdio({ tap, env: { API_TOKEN: SECRET } }), timeoutMs: 15_000 });
  });
  afterAll(async () => {
    await everything.close();
  });

  test("the set holds the server's tools by name, with its JSON Schemas; close is not a tool", () => {
    const names = Object.keys(everything);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-env', 'get-structured-content', 'get-tiny-image']));
    expect(names).not.toContain('close');
    expect(Object.keys({ ...everything })).toEqual(names);
    expect(everything['get-sum']!.description).toBe('Returns the sum of two numbers');
    expect(everything['get-sum']!.parameters.jsonSchema).toMatchObject({
      type: 'object',
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
    expect(everything['get-sum']!.parameters.jsonSchema).not.toHaveProperty('$schema');
  });

  test('an agent calls the tools beside its own; results, structured content and an image placeholder reach the model', async () => {
    const noted: string[] = [];
    const note = tool({ parameters: z.object({ text: z.string() }), execute: ({ text }) => (noted.push(text), 'noted') });
    const sim = simulated({
      reply: [
        {
          toolCalls: [
            { name: 'get-sum', args: { a: 2, b: 3 } },
            { name: 'echo', args: { message: 'hello' } },
            { name: 'note', args: { text: 'remember' } },
          ],
        },
        { toolCalls: [{ name: 'get-structured-content', args: { location: 'Chicago' } }, { name: 'get-tiny-image', args: {} }] },
        { text: 'All done.' },
      ],
    });
    const sy = createSwitchyard({ providers: [sim] });
    const { events, result } = await collect(sy.run(agentWorkflow({ ...everything, note }), {}));
    expect(result.status).toBe('succeeded');
    expect(result.outputs.agent).toBe('All done.');
    expect(toolMessages(sim, 1)).toEqual(['The sum of 2 and 3 is 5.', 'Echo: hello', 'noted']);
    expect(noted).toEqual(['remember']);
    const [weather, image] = toolMessages(sim, 2).slice(3);
    expect(JSON.parse(weather!)).toEqual({ temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 });
    expect(image).toMatch(/^Here's the image you requested:\n\[image: image\/png, [\d.]+ KB — not shown to the model\]\nThe image above is the MCP logo\.$/);
    expect(toolResults(events).map((e) => e.ok)).toEqual([true, true, true, true, true]);
    const sent = sim.requests[0]!.request.tools!.find((t) => t.name === 'get-sum');
    expect(sent?.parameters).toEqual(everything['get-sum']!.parameters.jsonSchema);
  });

  test('arguments are validated before the call: the model is told what is wrong and the server is not called', async () => {
    const sim = simulated({ reply: [{ toolCalls: [{ name: 'get-sum', args: { a: 'two', b: 3 } }] }, { text: 'ok' }] });
    const before = toolCallsTo(tap, 'get-sum').length;
    const { events } = await collect(createSwitchyard({ providers: [sim] }).run(agentWorkflow(everything), {}));
    expect(toolMessages(sim, 1)[0]).toMatch(/^Error: invalid arguments for tool 'get-sum': .*a must be number/);
    expect(toolResults(events)[0]).toMatchObject({ ok: false });
    expect(toolCallsTo(tap, 'get-sum')).toHaveLength(before);
  });

  test("an error result goes to the model as the tool's text, and to the run as error kind tool_error", async () => {
    const args = { name: 'x.gz', data: 'ftp://example.com/file' };
    const sim = simulated({ reply: [{ toolCalls: [{ name: 'gzip-file-as-resource', args }] }, { text: 'It failed.' }] });
    const { events, result } = await collect(createSwitchyard({ providers: [sim] }).run(agentWorkflow(everything), {}));
    expect(result.status).toBe('succeeded');
    const message = toolMessages(sim, 1)[0]!;
    expect(message).toContain("Error: MCP tool 'gzip-file-as-resource' on server 'mcp-servers/everything' reported an error");
    expect(message).toContain('Unsupported URL protocol');
    const [event] = toolResults(events);
    expect(event).toMatchObject({ ok: false, error: { kind: 'tool_error', provider: 'mcp-servers/everything' } });
  });

  test('env values never show: a tool that returns them, events and results carry [redacted]', async () => {
    const sim = simulated({ reply: [{ toolCalls: [{ name: 'get-env', args: {} }] }, { text: 'ok' }] });
    const { events, result } = await collect(createSwitchyard({ providers: [sim] }).run(agentWorkflow(everything), {}));
    const env = toolMessages(sim, 1)[0]!;
    expect(env).toContain('"API_TOKEN": "[redacted]"');
    expect(JSON.stringify({ events, result, requests: sim.requests })).not.toContain(SECRET);
  });

  test('a slow tool is cancelled with its run: the server is sent notifications/cancelled, the set still works', async () => {
    const sim = simulated({ reply: [{ toolCalls: [{ name: 'trigger-long-running-operation', args: { duration: 30, steps: 30 } }] }] });
    const controller = new AbortController();
    const sy = createSwitchyard({ providers: [sim] });
    const started = performance.now();
    const run = sy.run(agentWorkflow(everything), {}, { signal: controller.signal });
    await until(() => toolCallsTo(tap, 'trigger-long-running-operation').length > 0);
    controller.abort(new Error('user cancelled'));
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(15_000); // the tool runs for 30 s
    const [call] = toolCallsTo(tap, 'trigger-long-running-operation');
    await until(() => received(tap).some((m) => m.method === 'notifications/cancelled' && m.params?.['requestId'] === call!.id));
    const again = simulated({ reply: [{ toolCalls: [{ name: 'echo', args: { message: 'still here' } }] }, { text: 'ok' }] });
    await createSwitchyard({ providers: [again] }).run(agentWorkflow(everything), {}).result;
    expect(toolMessages(again, 1)).toEqual(['Echo: still here']);
  });
});

describe('calls that cannot finish end, never hang', () => {
  test('a hung call ends at timeoutMs: cancelled on the server, error kind timeout, and the agent goes on', async () => {
    const tap = newTap();
    const everything = await mcpTools({ ...everythingStdio({ tap }), timeoutMs: 300 });
    try {
      const sim = simulated({
        reply: [{ toolCalls: [{ name: 'trigger-long-running-operation', args: { duration: 30, steps: 30 } }] }, { text: 'It timed out.' }],
      });
      const { events, result } = await collect(createSwitchyard({ providers: [sim] }).run(agentWorkflow(everything), {}));
      expect(result.status).toBe('succeeded');
      expect(toolMessages(sim, 1)[0]).toBe(
        "Error: MCP server 'mcp-servers/everything' did not answer within 300 ms; the request was cancelled on the server (tool 'trigger-long-running-operation').",
      );
      expect(toolResults(events)[0]).toMatchObject({ ok: false, error: { kind: 'timeout', retryable: true } });
      await until(() => received(tap).some((m) => m.method === 'notifications/cancelled'));
    } finally {
      await everything.close();
    }
  });

  test('a server that dies mid-call: error kind network naming the exit and its stderr (redacted); later calls fail at once', async () => {
    const everything = await mcpTools({ ...everythingStdio({ dieOn: 'echo', env: { API_TOKEN: SECRET } }), name: 'flaky' });
    try {
      const sim = simulated({
        reply: [
          { toolCalls: [{ name: 'echo', args: { message: 'boom' } }] },
          { toolCalls: [{ name: 'get-sum', args: { a: 1, b: 1 } }] },
          { text: 'The server is gone.' },
        ],
      });
      const { events, result } = await collect(createSwitchyard({ providers: [sim] }).run(agentWorkflow(everything), {}));
      expect(result.status).toBe('succeeded');
      const [died, after] = toolResults(events);
      expect(died).toMatchObject({ ok: false, error: { kind: 'network', provider: 'flaky' } });
      expect(died!.error!.message).toMatch(/^MCP server 'flaky' exited \(its process ended\) while tool 'echo' ran\. Its last stderr output: [\s\S]*fatal: simulated crash while holding token \[redacted\]/);
      expect(after).toMatchObject({ ok: false, error: { kind: 'network' } });
      expect(after!.error!.message).toContain("MCP server 'flaky' exited (its process ended); tool 'get-sum' cannot run.");
      expect(toolMessages(sim, 1)[0]).toContain('exited');
      expect(JSON.stringify({ events, result })).not.toContain(SECRET);
    } finally {
      await everything.close();
    }
  });
});

describe('choosing tools, approval, options and closing', () => {
  test('include, prefix and needsApproval: a tool needing approval waits for a person, and runs only if approved', async () => {
    const tap = newTap();
    const everything = await mcpTools({ ...everythingStdio({ tap }), include: ['echo', 'get-sum'], prefix: 'ev_', needsApproval: ['get-sum'] });
    try {
      expect(Object.keys(everything).sort()).toEqual(['ev_echo', 'ev_get-sum']);
      expect(everything['ev_get-sum']!.needsApproval).toBe(true);
      expect(everything['ev_echo']!.needsApproval).toBeUndefined();
      const sim = simulated({ reply: [{ toolCalls: [{ name: 'ev_get-sum', args: { a: 1, b: 2 } }, { name: 'ev_echo', args: { message: 'x' } }] }, { text: 'ok' }] });
      const sy = createSwitchyard({ providers: [sim] });
      const wf = agentWorkflow(everything);
      const paused = await sy.run(wf, {}).result;
      expect(paused.status).toBe('waiting');
      expect(paused.waiting).toMatchObject([{ nodeId: 'agent', kind: 'tool', toolCalls: [{ name: 'ev_get-sum', args: { a: 1, b: 2 } }] }]);
      expect(toolCallsTo(tap, 'get-sum')).toHaveLength(0);
      const done = await sy.resume(paused.runId, wf, { answers: { agent: { approved: false, message: 'not today' } } }).result;
      expect(done.status).toBe('succeeded');
      expect(toolMessages(sim, 1)[0]).toBe('The user rejected this tool call: not today');
      expect(toolMessages(sim, 1)[1]).toBe('Echo: x');
      expect(toolCallsTo(tap, 'get-sum')).toHaveLength(0);
    } finally {
      await everything.close();
    }
  });

  test('a name the server lacks, in include or needsApproval, is an error that lists its tools', async () => {
    const error = await mcpTools({ ...everythingStdio(), needsApproval: ['get-summ'] }).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('invalid_config');
    expect((error as Error).message).toMatch(/^mcpTools\(\) option `needsApproval` names 'get-summ', which the server does not have\. Its tools: .*get-sum/);
  });

  test('options that cannot work, a command that cannot start, a server that exits at once', async () => {
    const kindOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: unknown) => (SwitchyardError.isInstance(e) ? `${e.kind}: ${e.message}` : String(e)));
    expect(await kindOf(mcpTools({} as never))).toMatch(/^invalid_config: mcpTools\(\): give either `command`/);
    expect(await kindOf(mcpTools({ url: 'ftp://x', timeoutMs: -1 }))).toMatch(/`url` must be an http\(s\) URL; `timeoutMs` must be/);
    expect(await kindOf(mcpTools({ command: join(dir, 'no-such-server') }))).toMatch(/^invalid_config: Could not start MCP server '.*no-such-server' \(spawn .* ENOENT\)\. Check `command`/);
    const exits = { command: process.execPath, args: ['-e', 'console.error("cannot start, token " + process.env.T); process.exit(2)'], env: { T: SECRET } };
    const failure = await kindOf(mcpTools({ ...exits, name: 'broken' }));
    expect(failure).toMatch(/^network: MCP server 'broken' closed the connection while connecting\..*cannot start, token \[redacted\]/s);
    expect(failure).not.toContain(SECRET);
  });

  test('close(): calls fail with kind aborted afterwards; closing twice is fine; `await using` closes', async () => {
    const everything = await mcpTools(everythingStdio());
    await everything.close();
    await everything.close();
    const options = { signal: new AbortController().signal, toolCallId: 'c', runId: 'r', nodeId: 'n' };
    const error = await Promise.resolve(everything['echo']!.execute({ message: 'x' }, options)).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('aborted');
    let disposed: McpToolSet | undefined;
    {
      await using scoped = await mcpTools(everythingStdio());
      disposed = scoped;
    }
    const later = await Promise.resolve(disposed['echo']!.execute({ message: 'x' }, options)).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(later) && later.kind).toBe('aborted');
  });
});
