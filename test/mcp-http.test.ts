/**
 * MCP tools against the real @modelcontextprotocol/server-everything in its Streamable HTTP mode (on 127.0.0.1):
 * tools with arguments, an error result, a slow tool cancelled with its node, a server killed mid-call (an error
 * result well before the call's timeout, never a hang), and header values that never show.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSwitchyard, SwitchyardError } from '../src/index.js';
import { mcpTools, type McpToolSet } from '../src/mcp/index.js';
import { simulated } from '../src/testing/index.js';
import { collect } from './e2e-kit.js';
import { agentWorkflow, startEverythingHttp, toolMessages, toolResults, type HttpEverything } from './mcp-kit.js';

const SECRET = 'mcp-http-bearer-secret-98765';


describe('server-everything over Streamable HTTP', () => {
  let server: HttpEverything;
  let everything: McpToolSet;
  beforeAll(async () => {
    server = await startEverythingHttp();
    everything = await mcpTools({ url: server.url, headers: { Authorization: `Bearer ${SECRET}` } });
  });
  afterAll(async () => {
    await everything.close();
    await server.stop();
  });

  test('tools with arguments run for an agent; an error result reaches the model and the run', async () => {
    const sim = simulated({
      reply: [
        {
          toolCalls: [
            { name: 'get-sum', args: { a: 40, b: 2 } },
            { name: 'gzip-file-as-resource', args: { name: 'x.gz', data: 'ftp://example.com/file' } },
          ],
        },
        { text: 'done' },
      ],
    });
    const { events, result } = await collect(createSwitchyard({ providers: [sim] }).run(agentWorkflow(everything), {}));
    expect(result.status).toBe('succeeded');
    const [sum, gzip] = toolMessages(sim, 1);
    expect(sum).toBe('The sum of 40 and 2 is 42.');
    expect(gzip).toContain('Unsupported URL protocol');
    const outcome = Object.fromEntries(toolResults(events).map((e) => [e.call.name, [e.ok, e.error?.kind]]));
    expect(outcome).toEqual({ 'get-sum': [true, undefined], 'gzip-file-as-resource': [false, 'tool_error'] });
  });

  test('a slow tool is cancelled when its node times out; the connection stays usable', async () => {
    const sim = simulated({ reply: [{ toolCalls: [{ name: 'trigger-long-running-operation', args: { duration: 30, steps: 30 } }] }] });
    const started = performance.now();
    const result = await createSwitchyard({ providers: [sim] }).run(agentWorkflow(everything, { timeoutMs: 500 }), {}).result;
    expect(result.status).toBe('failed');
    expect(result.nodes.agent.error).toMatchObject({ kind: 'timeout' });
    expect(performance.now() - started).toBeLessThan(15_000); // the tool runs for 30 s
    const again = simulated({ reply: [{ toolCalls: [{ name: 'echo', args: { message: 'after' } }] }, { text: 'ok' }] });
    await createSwitchyard({ providers: [again] }).run(agentWorkflow(everything), {}).result;
    expect(toolMessages(again, 1)).toEqual(['Echo: after']);
  });
});

describe('a Streamable HTTP server that goes away', () => {
  test('killed mid-call: an error result of kind network long before the timeout, and header values never show', async () => {
    const server = await startEverythingHttp();
    const everything = await mcpTools({ url: server.url, headers: { Authorization: `Bearer ${SECRET}` }, name: 'remote' });
    try {
      const sim = simulated({
        reply: [{ toolCalls: [{ name: 'trigger-long-running-operation', args: { duration: 30, steps: 30 } }] }, { text: 'The server went away.' }],
      });
      const run = createSwitchyard({ providers: [sim] }).run(agentWorkflow(everything), {});
      run.on('tool-call', () => void setTimeout(() => void server.stop(), 300));
      const started = performance.now();
      const { events, result } = await collect(run);
      expect(result.status).toBe('succeeded');
      expect(performance.now() - started).toBeLessThan(30_000); // timeoutMs is 60 s, the tool 30 s
      const [lost] = toolResults(events);
      expect(lost).toMatchObject({ ok: false, error: { kind: 'network', provider: 'remote' } });
      expect(lost!.error!.message).toMatch(/^MCP server 'remote' (became unreachable|could not be reached)/);
      expect(JSON.stringify({ events, result })).not.toContain(SECRET);
    } finally {
      await everything.close();
      await server.stop();
    }
  }, 40_000);

  test('nothing listening: a network error that names the endpoint without its query string', async () => {
    const server = await startEverythingHttp();
    await server.stop();
    const url = `${server.url}?token=${SECRET}`;
    const error = await mcpTools({ url, connectTimeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('network');
    expect((error as Error).message).toContain(`could not be reached`);
    expect((error as Error).message).toContain(`Check the url (${server.url})`);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect((error as Error).message).not.toContain(SECRET);
  });
});
