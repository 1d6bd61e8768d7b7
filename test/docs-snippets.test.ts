/**
 * Every code block of README.md and docs/*.md runs, or is checked, or is listed here as one that cannot run:
 *   - ```ts blocks run. A doc runs as one program, top to bottom (test/docs/doc-program.ts): a block sees what the
 *     blocks above it declared, and a doc may define what it leaves to the reader (`providers`, your workflow) in
 *     a hidden `<!-- doc-test: setup ... -->` comment. Real providers (`openai()`, `anthropic()`, `google()`) run as
 *     written against a loopback mock server (test/docs/run-doc.ts).
 *   - ```sh blocks: `npx switchyard ...` runs at its place in the doc; npm commands are checked against
 *     package.json (test/docs/sh-commands.ts).
 *   - Any other block, and any block that truly cannot run, carries `<!-- doc-test: skip — why -->` on the line
 *     before it, and is listed in NOT_RUN below: nothing is left out without saying so.
 * Where a doc says what a block prints, EXPECTED holds it and the test compares.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { readDoc, type CodeBlock } from './docs/markdown-blocks.js';
import { root, runDoc, type BlockOutcome } from './docs/run-doc.js';
import { shCommands } from './docs/sh-commands.js';

const DOCS = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** The blocks that do not run, as `<file>: <the reason its marker gives>`. */
const NOT_RUN = [
  'docs/durable-runs.md: the text of an error, shown',
  'docs/retries.md: a timeline, not code',
  'docs/mcp.md: a remote server, reached with its URL and a token',
  'docs/routing.md: an event, shown',
  'docs/workflows.md: the shape of RunResult, not code',
];

/** What blocks print where the doc states it next to their console.log calls (`<file>#<block>`). */
const EXPECTED: Record<string, unknown> = {
  'README.md#3': [['bug', 'gpt-5.4', expect.any(Number)], ['succeeded', expect.any(Number)]],
  'docs/agents.md#1': [['An apple and a pear cost 1.25 together.'], [2]],
  'docs/budgets.md#2': [['node', 'usd', 0.01]],
  'docs/budgets.md#3': [
    [4, true, 'The usage gpt-5.4 reported was not sound, so part of it was replaced: outputTokens was -5 (not a token count), charged as 4 (estimated).'],
  ],
  'docs/budgets.md#5': [
    ['succeeded'],
    [
      {
        tokens: 8320,
        fitted: true,
        reason: 'no maxOutputTokens: fitted to 8,320 output tokens, at most half of the $0.50 the run budget had left, so calls beside it still fit',
      },
    ],
  ],
  'docs/ai-sdk.md#2': [['Hello from the house model.', 'local'], ['0.0000041']],
  'docs/caching.md#2': [[0, { lookups: 1, hits: 1, hitRate: 1, savedUsd: expect.any(Number) }]],
  'docs/caching.md#3': [[1]],
  'docs/ensembles.md#1': expect.arrayContaining([[{ answer: 'yes' }], [[['gpt-5.5', true], ['claude-opus-4-7', false], ['gemini-3.1-pro', true]]]]),
  'docs/events.md#3': [['succeeded', expect.any(String)]],
  'docs/human-in-the-loop.md#1': [['waiting', 'approve', 'Refund? Order A-17: paid, delivered broken.'], ['succeeded', 'refunded $40']],
  'docs/human-in-the-loop.md#2': [[['review: Publish this? Hello world!']], ['published: Hello world!']],
  'docs/human-in-the-loop.md#3': [
    ['tool', 'Allow the agent to call refund({"order":"A-17","amount":250})?'],
    ['I cannot refund that much myself; a manager will follow up.'],
  ],
  'docs/messages.md#1': [['2 attachments', 'gpt-5.4']],
  'docs/messages.md#2': [['invalid_request', 'Invalid messages[0].content[0] (image): its bytes are not a PNG, JPEG, GIF, WebP or HEIC/HEIF image.'], [0]],
  'docs/messages.md#3': [['gpt-5.4-mini', [{ model: 'local-llm', reason: 'it cannot read images (capabilities.vision is false) and the request has 1 image' }], [['image/png', 69, 1]]]],
  'docs/messages.md#4': [[1667], [282008], [true]],
  'docs/messages.md#5': [['application/pdf: 2 pages, 15576 tokens']],
  'docs/mcp.md#2': [['The sum of 2 and 3 is 5.'], ['It is 5.']],
  'docs/mcp.md#4': [[['get-sum', 'ev_echo', 'note']]],
  'docs/mcp.md#5': [[false, 'timeout'], ['The operation timed out; try later.']],
  'docs/mcp.md#6': [[['q']]],
  'docs/observability.md#1': [
    [expect.any(Number), expect.any(Object), expect.any(Number)],
    [{ count: 1, median: expect.any(Number), p95: expect.any(Number), max: expect.any(Number) }],
    expect.any(Array),
    [{ started: 1, ended: 1 }],
  ],
  'docs/observability.md#2': [[expect.stringMatching(/^\[█{20}\] 1\/1 nodes · \$0\.\d+ of \$0\.50 \(\d+\.\d%\)$/)]],
  'docs/observability.md#3': [[['chat gpt-5.4', 'node classify', 'invoke_workflow triage']]],
  'docs/observability.md#4': [[[{ id: 'a', kind: 'llm', model: 'gpt-5.4' }], expect.any(Number), false]],
  'docs/retries.md#3': [['fresh']],
  'docs/observability.md#5': [[expect.stringMatching(/^Wrote report\.html: 1 nodes/)]],
  'docs/providers.md#2': [['Option B.', '|', 'Compare both options first.', '|', 4]],
  'docs/providers.md#3': [['succeeded', 'The sum is 5.']],
  'docs/testing.md#6': [[true]],
  'docs/verifier-and-sandbox.md#1': [['Fix crash on save'], [[false, true]], [true]],
  'docs/verifier-and-sandbox.md#2': [[[false, true]]],
  'docs/verifier-and-sandbox.md#3': [[['gpt-5.4: false', 'gpt-5.5: true']], [true]],
  'docs/verifier-and-sandbox.md#4': [['passed', '1,2,3']],
  'docs/workflows.md#1': [['bug', expect.any(Number)]],
  'docs/workflows.md#2': [[2]],
  'docs/workflows.md#3': [['skipped', 'question: no fix needed']],
  'docs/workflows.md#4': [['question', 'skipped', 'Use File > Export.']],
  'docs/workflows.md#5': [['draft'], ['legal/review'], ['legal/verdict'], ['legal'], ['send'], ['approved', 'succeeded']],
  'docs/workflows.md#6': [['Draft v3 (final)', 3, true]],
};

const notRun = DOCS.flatMap((file) => readDoc(root, file).blocks.flatMap((b) => (b.skip ? [`${file}: ${b.skip}`] : [])));

function expectRan(outcome: BlockOutcome | undefined, block: CodeBlock, before?: BlockOutcome): void {
  if (outcome?.status === 'failed') throw outcome.error ?? new Error(`${block.file}:${block.line} threw`);
  // The program failed before its first block (an import that does not resolve): show why.
  if (outcome?.status === 'not reached' && before?.error !== undefined) throw before.error;
  expect(outcome?.status, `${block.file}:${block.line} did not run: a block above it failed`).toBe('passed');
  const expected = EXPECTED[`${block.file}#${block.index}`];
  if (expected !== undefined) expect(outcome!.logs, `what ${block.file}:${block.line} printed`).toEqual(expected);
}

describe.each(DOCS.filter((file) => readDoc(root, file).blocks.length > 0))('%s', (file) => {
  const doc = readDoc(root, file);
  let outcomes: Map<number, BlockOutcome>;
  beforeAll(async () => {
    outcomes = await runDoc(doc, inject('redisUrl'));
  }, 180_000);

  if (doc.setup.trim() !== '') test('its hidden setup runs', () => expectRan(outcomes.get(0), { file, index: 0, line: 0, lang: 'ts', code: '' }));

  test.each(doc.blocks.map((b) => [b.index, b.line, b.lang || 'no language', b] as const))('block %i (line %i, %s)', (_i, _line, _lang, block) => {
    if (block.skip) return expect(NOT_RUN, `${file}:${block.line} is marked not to run: list it in NOT_RUN`).toContain(`${file}: ${block.skip}`);
    if (block.lang === 'ts') return expectRan(outcomes.get(block.index), block, outcomes.get(0));
    if (block.lang === 'sh') {
      for (const command of shCommands(root, block.code)) expect(command.kind === 'checked' ? command.problem : undefined, command.text).toBeUndefined();
      if (outcomes.has(block.index)) expectRan(outcomes.get(block.index), block, outcomes.get(0));
      return;
    }
    throw new Error(`${file}:${block.line}: a \`\`\`${block.lang} block neither runs nor is checked: make it ts or sh, or put <!-- doc-test: skip — why --> on the line before it`);
  });
});

test('the blocks that do not run are exactly the ones listed, each with its reason', () => {
  const blocks = DOCS.reduce((n, file) => n + readDoc(root, file).blocks.length, 0);
  console.log(`docs: ${blocks} code blocks in ${DOCS.length} files; ${notRun.length} not run:\n  ${notRun.join('\n  ')}`);
  expect([...notRun].sort()).toEqual([...NOT_RUN].sort());
});
