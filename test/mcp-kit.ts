/**
 * Real MCP servers for the tests, run from node_modules (never downloaded): @modelcontextprotocol/server-everything
 * over stdio (through test/fixtures/mcp-everything.mjs, which only taps its input) and over Streamable HTTP (bound
 * to 127.0.0.1 by test/fixtures/loopback-listen.mjs), and @modelcontextprotocol/server-filesystem.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { workflow, type RunEvent, type RunEventOf } from '../src/index.js';
import { textOf } from '../src/models/content.js';
import type { McpStdioServer } from '../src/mcp/index.js';
import type { AgentToolsInput } from '../src/agents/agent-tool.js';
import type { SimulatedProvider } from '../src/testing/index.js';

const require = createRequire(import.meta.url);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The filesystem server's entry point. */
export const FILESYSTEM_SERVER = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');

/** server-everything over stdio; `tap` records what it receives, `dieOn` makes it exit when that tool is called. */
export function everythingStdio(hooks: { tap?: string; dieOn?: string; env?: Record<string, string> } = {}): McpStdioServer {
  const env: Record<string, string> = { ...hooks.env };
  if (hooks.tap !== undefined) env['MCP_TAP_FILE'] = hooks.tap;
  if (hooks.dieOn !== undefined) env['MCP_DIE_ON'] = hooks.dieOn;
  return { command: process.execPath, args: [fixture('mcp-everything.mjs')], env };
}

/** server-everything in its Streamable HTTP mode, on 127.0.0.1 and a free port. */
export interface HttpEverything {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startEverythingHttp(): Promise<HttpEverything> {
  const entry = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
  const child = spawn(process.execPath, ['--import', fixture('loopback-listen.mjs'), entry, 'streamableHttp'], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += String(chunk);
      const match = /listening on 127\.0\.0\.1:(\d+)/.exec(seen);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server-everything exited (${code}) before listening: ${seen}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  return { url: `http://127.0.0.1:${port}/mcp`, process: child, stop };
}

/** A workflow of one agent node 'agent' with these tools. */
export function agentWorkflow(tools: AgentToolsInput, extra: { timeoutMs?: number } = {}) {
  return workflow({ name: 'mcp', input: z.object({}) }).agent('agent', { model: 'gpt-5.4', prompt: 'Use the tools.', tools, ...extra });
}

/** The contents of the tool messages in the `index`-th request a simulated model received. */
export function toolMessages(sim: SimulatedProvider, index: number): string[] {
  return sim.requests[index]!.request.messages.flatMap((m) => (m.role === 'tool' ? [textOf(m.content)] : []));
}

/** The tool-result events of a run. */
export function toolResults(events: readonly RunEvent[]): Array<RunEventOf<'tool-result'>> {
  return events.filter((e): e is RunEventOf<'tool-result'> => e.type === 'tool-result');
}
