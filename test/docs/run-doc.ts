/**
 * Runs one doc's program (see doc-program.ts) and says, block by block, whether it ran, what it printed, and what
 * it threw. While it runs:
 *   - 'switchyard-ai', '/testing' and '/redis' are the sources; other packages resolve from this project;
 *   - the real providers reach a loopback mock server: the provider SDKs' default hosts (api.openai.com,
 *     api.anthropic.com, generativelanguage.googleapis.com) are sent to it, with placeholder keys in
 *     OPENAI_API_KEY / ANTHROPIC_API_KEY / GEMINI_API_KEY, so `openai()` etc. run as written, through the official
 *     SDKs, over HTTP; any other host than 127.0.0.1 is refused (no doc reaches the internet);
 *   - REDIS_URL is the test Redis; the working folder is a fresh temporary one (files a doc writes land there).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import { startMockServer, type MockServer, type ScriptRequestInfo, type ScriptedReply } from '../../src/testing/index.js';
import { sampleFromSchema } from '../../src/testing/schema-sample.js';
import { buildProgram, type ProgramStep } from './doc-program.js';
import type { CodeBlock, DocFile } from './markdown-blocks.js';
import { shCommands } from './sh-commands.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));

const OWN: Record<string, string> = {
  'switchyard-ai': 'src/index.ts',
  'switchyard-ai/testing': 'src/testing/index.ts',
  'switchyard-ai/redis': 'src/redis/index.ts',
  'switchyard-ai/mcp': 'src/mcp/index.ts',
  'switchyard-ai/ai-sdk': 'src/ai-sdk/index.ts',
};

function resolveSpecifier(spec: string): string {
  if (OWN[spec]) return pathToFileURL(join(root, OWN[spec])).href;
  if (spec.startsWith('node:') || spec.startsWith('.') || spec.startsWith('/')) return spec;
  return import.meta.resolve(spec);
}

export interface BlockOutcome {
  status: 'passed' | 'failed' | 'not reached';
  error?: unknown;
  /** The arguments of each console.log call the block made. */
  logs: unknown[][];
}

const PROVIDER_HOSTS = ['api.openai.com', 'api.anthropic.com', 'generativelanguage.googleapis.com'];
const KEYS = { OPENAI_API_KEY: 'sk-docs-test', ANTHROPIC_API_KEY: 'sk-ant-docs-test', GEMINI_API_KEY: 'docs-test-key' };

/** Sends the providers' hosts to the mock server and refuses every other host but loopback. */
function loopbackFetch(original: typeof fetch, server: MockServer): typeof fetch {
  const mock = new URL(server.openaiBaseURL).origin;
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (PROVIDER_HOSTS.includes(url.hostname)) return original(`${mock}${url.pathname}${url.search}`, input instanceof Request ? input : init);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      return Promise.reject(new TypeError(`the docs test allows no network beyond 127.0.0.1: ${url.origin}`));
    }
    return original(input, init);
  };
}

type Json = Record<string, any>;

/** The JSON schema a request asks its reply to follow, where each wire format puts it. */
function outputSchema(family: string, body: Json): Json | undefined {
  if (family === 'openai') return body['response_format']?.json_schema?.schema ?? body['text']?.format?.schema; // Chat Completions, Responses
  if (family === 'anthropic') return body['tools']?.find((t: Json) => t['name'] === body['tool_choice']?.name)?.input_schema;
  if (family === 'google') return body['generationConfig']?.responseJsonSchema;
  return undefined;
}

/**
 * The mock server's replies: for a request with an output schema, a JSON value of that schema (as simulated()
 * generates by default; the mock server itself answers only what a script says); otherwise its default text.
 */
function schemaReplies(info: ScriptRequestInfo): ScriptedReply {
  const schema = outputSchema(info.family, info.body as Json);
  return { text: schema ? JSON.stringify(sampleFromSchema(schema)) : `Simulated reply to: ${info.text.slice(0, 60)}` };
}

/** Runs `npx switchyard <args>` as the sources' CLI, in the doc's folder. */
function runCli(args: string[], cwd: string): void {
  const cli = join(root, 'src', 'cli.ts');
  const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), cli, ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npx switchyard ${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
  console.log(run.stdout.trim());
}

/** The program's steps: ts blocks run as written; sh blocks run their `npx switchyard` commands. */
function stepsOf(doc: DocFile, cwd: string, sh: Map<number, () => void>): ProgramStep[] {
  const steps: ProgramStep[] = [];
  const where = (block: CodeBlock) => `${block.file}:${block.line}`;
  for (const block of doc.blocks) {
    if (block.skip) continue;
    if (block.lang === 'ts') steps.push({ index: block.index, where: where(block), code: block.code });
    if (block.lang !== 'sh') continue;
    const runs = shCommands(root, block.code).flatMap((c) => (c.kind === 'run' ? [c.args] : []));
    if (runs.length === 0) continue;
    sh.set(block.index, () => runs.forEach((args) => runCli(args, cwd)));
    steps.push({ index: block.index, where: where(block), code: `__docs.sh(${block.index});` });
  }
  return steps;
}

/** Sets environment variables for the run; returns the function that puts the old values back. */
function setEnv(values: Record<string, string | undefined>): () => void {
  const old = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, value] of Object.entries(v)) if (value === undefined) delete process.env[k];
    else process.env[k] = value;
  };
  apply(values);
  return () => apply(old);
}

export async function runDoc(doc: DocFile, redisUrl: string): Promise<Map<number, BlockOutcome>> {
  const cwd = mkdtempSync(join(tmpdir(), 'switchyard-docs-'));
  // The doc runs as in a project folder: its installed packages are at ./node_modules.
  symlinkSync(join(root, 'node_modules'), join(cwd, 'node_modules'), 'dir');
  const sh = new Map<number, () => void>();
  const steps = stepsOf(doc, cwd, sh);
  const outcomes = new Map<number, BlockOutcome>([[0, { status: 'not reached', logs: [] }]]);
  for (const step of steps) outcomes.set(step.index, { status: 'not reached', logs: [] });
  const file = join(cwd, `${doc.file.replace(/[^a-z0-9]+/gi, '-')}.program.ts`);
  writeFileSync(file, buildProgram(doc.setup, steps, resolveSpecifier));

  let current = 0;
  const enter = (index: number) => {
    const before = outcomes.get(current);
    if (before) before.status = 'passed';
    current = index;
    const now = outcomes.get(index);
    if (now) now.status = 'failed'; // until the next block starts
  };
  (globalThis as Record<string, unknown>)['__switchyardDocs'] = { enter, sh: (index: number) => sh.get(index)?.() };

  const server = await startMockServer(schemaReplies);
  const originalFetch = globalThis.fetch;
  globalThis.fetch = loopbackFetch(originalFetch, server);
  const restoreEnv = setEnv({ ...KEYS, OPENAI_BASE_URL: undefined, REDIS_URL: redisUrl });
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void outcomes.get(current)?.logs.push(args));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const oldCwd = process.cwd();
  process.chdir(cwd);
  try {
    await import(pathToFileURL(file).href);
  } catch (error) {
    const failed = outcomes.get(current);
    if (failed) failed.error = error;
  } finally {
    process.chdir(oldCwd);
    log.mockRestore();
    write.mockRestore();
    restoreEnv();
    globalThis.fetch = originalFetch;
    await server.close();
  }
  return outcomes;
}
