import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test, vi } from 'vitest';

/**
 * Runs every TypeScript snippet of the workflow, event and error-policy docs that starts with an import, with
 * 'switchyard' and 'switchyard/testing' pointed at the sources, so the docs cannot rot.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchyard-docs-'));
const specifiers: Record<string, string> = {
  switchyard: pathToFileURL(join(root, 'src/index.ts')).href,
  'switchyard/testing': pathToFileURL(join(root, 'src/testing/index.ts')).href,
  zod: import.meta.resolve('zod'),
};

function snippets(doc: string): string[] {
  const text = readFileSync(join(root, 'docs', doc), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.startsWith('import'));
}

function localize(code: string): string {
  return code.replace(/from '([^']+)'/g, (whole, spec: string) => (specifiers[spec] ? `from '${specifiers[spec]}'` : whole));
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['workflows.md', 'events.md', 'error-policies.md'])('docs/%s', (doc) => {
  const list = snippets(doc);

  test('has runnable snippets', () => {
    expect(list.length).toBeGreaterThan(0);
  });

  test.each(list.map((code, i) => [i + 1, code] as const))('snippet %i runs', async (i, code) => {
    const file = join(dir, `${doc.replace('.md', '')}-${i}.ts`);
    writeFileSync(file, localize(code));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
      write.mockRestore();
    }
  });
});
