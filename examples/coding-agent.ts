/**
 * A coding agent that fixes a failing function until its tests pass.
 *
 *   node --import tsx examples/coding-agent.ts
 *
 * The agent (task 'agentic-coding' → gpt-5.5) reads and writes files of a small in-memory repository through
 * two tools. After each attempt the `runTests` verifier runs the repository's tests in the sandbox (a separate
 * Node process in a temp directory, with a time and memory cap, no network, no writes outside it); failing
 * output goes back to the agent, which revises — up to `maxRounds`, inside the run's budget.
 *
 * Offline by default: a scripted simulated model makes a plausible but wrong fix in round 1 (the tests fail on
 * `--` runs) and the right one in round 2. Pass real providers to `main()` to run it against a real model.
 */
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createSwitchyard, verifiers, workflow, type Provider, type RunResult } from '../src/index.js';
import { simulated, type ScriptedReply } from '../src/testing/index.js';

/** The repository the agent works on: a slugify function with a bug, and its tests. */
export function buggyRepository(): Map<string, string> {
  return new Map([
    ['src/slugify.mjs', "export function slugify(title) {\n  return title.toLowerCase().replace(/ /g, '-');\n}\n"],
    [
      'test/slugify.test.mjs',
      [
        "import test from 'node:test';",
        "import assert from 'node:assert/strict';",
        "import { slugify } from '../src/slugify.mjs';",
        "test('lowercases and joins words', () => assert.equal(slugify('Hello World'), 'hello-world'));",
        "test('drops punctuation', () => assert.equal(slugify('Hello, World!'), 'hello-world'));",
        "test('collapses runs of separators', () => assert.equal(slugify('a  --  b'), 'a-b'));",
        '',
      ].join('\n'),
    ],
  ]);
}

/** The coding-agent workflow over `repo` (its tools read and write the map). */
export function buildCodingAgent(repo: Map<string, string>) {
  return workflow({ name: 'fix-failing-tests', input: z.object({ task: z.string() }) }).agent('fix', {
    task: 'agentic-coding',
    system: 'You are a careful engineer. Read the failing tests, fix the code, and keep changes minimal.',
    prompt: ({ input }) => `${input.task}\nFiles: ${[...repo.keys()].join(', ')}`,
    tools: {
      readFile: {
        description: 'Read a file of the repository',
        parameters: z.object({ path: z.string() }),
        execute: ({ path }) => repo.get(path) ?? `No such file: ${path}`,
      },
      writeFile: {
        description: 'Replace the contents of a file of the repository',
        parameters: z.object({ path: z.string(), contents: z.string() }),
        execute: ({ path, contents }) => {
          repo.set(path, contents);
          return `Wrote ${contents.length} characters to ${path}`;
        },
      },
    },
    maxSteps: 6,
    maxOutputTokens: 2_000,
    verify: verifiers.runTests({ files: () => Object.fromEntries(repo), testFile: 'test/slugify.test.mjs', timeoutMs: 10_000 }),
    maxRounds: 3,
  });
}

const NAIVE_FIX = "export function slugify(title) {\n  return title.toLowerCase().replace(/[^a-z0-9 ]/g, '').replace(/ /g, '-');\n}\n";
const RIGHT_FIX =
  "export function slugify(title) {\n  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');\n}\n";

/** What the offline model does: read the tests, a naive fix (round 1), then the right fix after the feedback. */
export const SCRIPT: ScriptedReply[] = [
  { toolCalls: [{ name: 'readFile', args: { path: 'test/slugify.test.mjs' } }] },
  { toolCalls: [{ name: 'writeFile', args: { path: 'src/slugify.mjs', contents: NAIVE_FIX } }] },
  { text: 'I strip punctuation before joining words with dashes.' },
  { toolCalls: [{ name: 'writeFile', args: { path: 'src/slugify.mjs', contents: RIGHT_FIX } }] },
  { text: 'Runs of non-alphanumerics now become one dash, trimmed at both ends.' },
];

/** Runs the coding agent (offline unless `providers` are given) and prints each round's verdict. */
export async function main(providers: Provider[] = [simulated({ reply: SCRIPT })]): Promise<RunResult> {
  const repo = buggyRepository();
  const sy = createSwitchyard({ providers });
  const run = sy.run(buildCodingAgent(repo), { task: 'The slugify tests fail. Make them pass.' }, { budget: { usd: 1 } });
  run.on('tool-call', (e) => console.log(`[step ${e.step}] ${e.call.name}(${JSON.stringify(e.call.args).slice(0, 60)}…)`));
  run.on('node-round', (e) => {
    const failing = (e.feedback ?? '').split('\n').filter((line) => line.startsWith('not ok'));
    console.log(`round ${e.round}: ${e.ok ? 'tests pass' : `tests fail (${failing.join('; ')})`}`);
  });
  const result = await run.result;
  const node = result.nodes.fix!;
  console.log(`${result.status} after ${node.rounds?.length} rounds, ${node.steps?.length} steps, $${result.costUsd.toFixed(4)}`);
  console.log(repo.get('src/slugify.mjs'));
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
