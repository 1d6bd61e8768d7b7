import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test, vi } from 'vitest';

/**
 * Runs every TypeScript snippet of the agents, verifier-and-sandbox and ensembles docs that starts with an import,
 * with 'switchyard' and 'switchyard/testing' pointed at the sources, and checks what each prints against the
 * `// value` comments next to its console.log calls.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchyard-agent-docs-'));
const specifiers: Record<string, string> = {
  switchyard: pathToFileURL(join(root, 'src/index.ts')).href,
  'switchyard/testing': pathToFileURL(join(root, 'src/testing/index.ts')).href,
  zod: import.meta.resolve('zod'),
};

function snippets(doc: string): string[] {
  const text = readFileSync(join(root, 'docs', doc), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.startsWith('import'));
}

const localize = (code: string) => code.replace(/from '([^']+)'/g, (whole, spec: string) => (specifiers[spec] ? `from '${specifiers[spec]}'` : whole));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXPECTED: Record<string, unknown[][]> = {
  'agents.md#1': [['An apple and a pear cost 1.25 together.'], [2]],
  'verifier-and-sandbox.md#1': [['Fix crash on save'], [[false, true]], [true]],
  'verifier-and-sandbox.md#2': [[[false, true]]],
  'verifier-and-sandbox.md#3': [[['gpt-5.4: false', 'gpt-5.5: true']], [true]],
  'verifier-and-sandbox.md#4': [['passed', '1,2,3']],
};

describe.each(['agents.md', 'verifier-and-sandbox.md', 'ensembles.md'])('docs/%s', (doc) => {
  const list = snippets(doc);

  test('has runnable snippets', () => {
    expect(list.length).toBeGreaterThan(0);
  });

  test.each(list.map((code, i) => [i + 1, code] as const))('snippet %i runs', async (i, code) => {
    const file = join(dir, `${doc.replace('.md', '')}-${i}.ts`);
    writeFileSync(file, localize(code));
    const calls: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void calls.push(args));
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
    }
    const expected = EXPECTED[`${doc}#${i}`];
    if (expected) expect(calls).toEqual(expected);
    else expect(calls.length).toBeGreaterThan(0);
  });
});
