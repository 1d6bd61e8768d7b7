/**
 * An agent that reads the files of a folder through an MCP server: @modelcontextprotocol/server-filesystem runs
 * as a child process, `mcpTools()` offers its read-only tools to an `.agent` node (the write tools are left out
 * with `include`), and the agent lists the folder, reads the notes and answers from them.
 *
 *   npx tsx examples/mcp-filesystem.ts
 *
 * Runs offline: the server is the real one, from node_modules (npm install @modelcontextprotocol/server-filesystem);
 * the model is simulated, scripted to call the tools the way a model would and to answer from what they returned.
 * Pass your own providers (e.g. `[openai()]`) to `main` to let a real model drive it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, workflow, type Provider, type RunResult } from '../src/index.js';
import { mcpTools } from '../src/mcp/index.js';
import { simulated, type ScriptedReply, type ScriptRequestInfo } from '../src/testing/index.js';

const require = createRequire(import.meta.url);

/** A folder of notes to read. */
function notesFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-notes-'));
  writeFileSync(join(dir, 'standup.md'), 'Standup: the release moves to Thursday.\nBlocked: the payment tests.\n');
  writeFileSync(join(dir, 'todo.txt'), 'Fix the payment tests before Thursday.\n');
  return dir;
}

/**
 * The simulated model: lists the folder, reads every file it saw, then answers with the first line of each — all
 * from what the tools returned (`info.text` holds the conversation, tool results included).
 */
function scriptedModel(dir: string) {
  return (info: ScriptRequestInfo): ScriptedReply => {
    const listed = [...info.text.matchAll(/\[FILE\] (\S+)/g)].map((m) => m[1]!);
    if (listed.length === 0) return { toolCalls: [{ name: 'list_directory', args: { path: dir } }] };
    if (!info.text.includes('Standup:')) {
      return { toolCalls: listed.map((file) => ({ name: 'read_text_file', args: { path: join(dir, file) } })) };
    }
    const firstLines = info.text.split('\n').filter((line) => /^(Standup|Fix)/.test(line));
    return { text: `From the notes: ${firstLines.join(' ')}` };
  };
}

/** Runs the agent over a temporary folder and returns the run's result. */
export async function main(providers?: Provider[], log: (line: string) => void = console.log): Promise<RunResult<{ notes: string }>> {
  const dir = notesFolder();
  const files = await mcpTools({
    command: process.execPath,
    args: [require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js'), dir],
    include: ['list_directory', 'read_text_file'],
  });
  try {
    const sy = createSwitchyard({ providers: providers ?? [simulated({ reply: scriptedModel(dir) })] });
    const wf = workflow({ name: 'notes', input: z.object({ question: z.string() }) }).agent('notes', {
      task: 'agent',
      system: `The notes are in ${dir}. Use the tools to read them.`,
      prompt: ({ input }) => input.question,
      tools: files,
      maxSteps: 5,
    });
    const run = sy.run(wf, { question: 'What do my notes say about the release?' });
    run.on('tool-result', (e) => log(`[tool] ${e.call.name}: ${e.ok ? e.result.split('\n')[0] : `failed: ${e.result}`}`));
    const result = await run.result;
    log(`${result.status}: ${result.outputs.notes ?? result.errors[0]?.error.message}`);
    return result;
  } finally {
    await files.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
