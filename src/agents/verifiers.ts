import type { ZodType } from 'zod';
import { exceedsDepth, MAX_JSON_DEPTH } from '../data/json-depth.js';
import { runInSandbox } from '../sandbox/run-in-sandbox.js';
import type { SandboxOptions, SandboxResult } from '../sandbox/sandbox-options.js';
import { bounded } from './bounded.js';
import type { Verdict } from './node-detail.js';
import type { Verifier } from './verifier.js';

/** Options of `verifiers.runTests`. */
export interface RunTestsOptions<O = string> extends Omit<SandboxOptions, 'files' | 'signal'> {
  /**
   * The files to write into the sandbox for this output: the generated code, and the tests (or the script) that
   * check it. May be async.
   * @example
   * files: (code) => ({ 'sum.mjs': code, 'sum.test.mjs': SUM_TESTS })
   */
  files: (output: O) => Record<string, string> | Promise<Record<string, string>>;
  /**
   * Longest test output fed back to the model (head and tail kept).
   * @default 4_000
   */
  maxFeedbackChars?: number;
}

function parseJsonText(text: string): unknown {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(text.trim());
  return JSON.parse(fenced?.[1] ?? text);
}

/** Accepts an output that matches `schema` (a text output is parsed as JSON first when it has to be). */
function schema(zodSchema: ZodType): Verifier<unknown, unknown> {
  return (output) => {
    let parsed = zodSchema.safeParse(output);
    if (!parsed.success && typeof output === 'string') {
      try {
        const json = parseJsonText(output);
        if (exceedsDepth(json, MAX_JSON_DEPTH)) return { ok: false, feedback: `The answer nests deeper than ${MAX_JSON_DEPTH} levels; answer with flatter JSON.` };
        parsed = zodSchema.safeParse(json);
      } catch {
        return { ok: false, feedback: 'The answer must be JSON that matches the requested schema; it is not valid JSON.' };
      }
    }
    if (parsed.success) return { ok: true };
    const issues = parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    return { ok: false, feedback: `The answer does not match the schema: ${issues}.` };
  };
}

const WHY: Record<SandboxResult['status'], string> = {
  passed: 'The tests passed.',
  failed: 'The tests failed',
  timeout: 'The tests were killed at the time limit: the code probably loops forever or is far too slow.',
  memory: 'The tests ran out of memory.',
  'output-limit': 'The tests were killed for printing too much output.',
  killed: 'The test process was killed',
  cancelled: 'The test run was cancelled.',
};

/** The feedback a failed sandbox run gives the model. */
export function testFeedback(result: SandboxResult, maxChars: number): string {
  const how = result.exitCode !== null ? ` (exit code ${result.exitCode}).` : result.signal !== null ? ` (${result.signal}).` : '.';
  const head = result.status === 'failed' || result.status === 'killed' ? `${WHY[result.status]}${how}` : WHY[result.status];
  const output = result.output.trim();
  return output === '' ? head : `${head}\n\nOutput:\n${bounded(output, maxChars)}`;
}

/**
 * Runs a command or a test file against the generated code in the sandbox (see `runInSandbox`): the output
 * passes when the process exits with code 0; otherwise the test output (bounded) is the feedback.
 */
function runTests<O = string>(options: RunTestsOptions<O>): Verifier<O, unknown> {
  const { files, maxFeedbackChars = 4_000, ...sandbox } = options;
  return async (output, ctx): Promise<Verdict> => {
    const result = await runInSandbox({ ...sandbox, files: await files(output), signal: ctx.signal });
    if (result.status === 'passed') return { ok: true };
    if (result.status === 'cancelled') ctx.signal.throwIfAborted();
    return { ok: false, feedback: testFeedback(result, maxFeedbackChars) };
  };
}

/** Built-in verifiers for the `verify` option of `.llm` and `.agent` nodes. */
export const verifiers = {
  /**
   * Accepts an output that matches a zod schema (a text output is parsed as JSON first).
   * @example
   * verify: verifiers.schema(z.object({ title: z.string().max(80) }))
   */
  schema,
  /**
   * Runs tests against the generated code in a sandbox (separate process, temp dir, time and memory caps, no
   * network, no writes outside its directory); failing output is fed back to the model.
   * @example
   * verify: verifiers.runTests({ files: (code) => ({ 'sum.mjs': code, 'sum.test.mjs': TESTS }), testFile: 'sum.test.mjs' })
   */
  runTests,
};

/**
 * The code in a model's reply: the first fenced block (```lang … ```) when there is one, else the whole text,
 * trimmed. Handy in `runTests({ files })`, since models often wrap code in fences.
 * @example
 * files: (reply) => ({ 'sum.mjs': extractCode(reply), 'sum.test.mjs': TESTS })
 */
export function extractCode(reply: string): string {
  const fenced = /```[\w+-]*[ \t]*\r?\n([\s\S]*?)```/.exec(reply);
  return (fenced?.[1] ?? reply).trim() + '\n';
}
