/**
 * Runs every TypeScript snippet of docs/observability.md and docs/caching.md that starts with an import, with
 * 'switchyard' and 'switchyard/testing' pointed at the sources, so the docs cannot rot.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test, vi } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchyard-observe-docs-'));
const specifiers: Record<string, string> = {
  switchyard: pathToFileURL(join(root, 'src/index.ts')).href,
  'switchyard/testing': pathToFileURL(join(root, 'src/testing/index.ts')).href,
  zod: import.meta.resolve('zod'),
  '@opentelemetry/api': import.meta.resolve('@opentelemetry/api'),
  '@opentelemetry/sdk-trace-base': import.meta.resolve('@opentelemetry/sdk-trace-base'),
};

function snippets(doc: string): string[] {
  const text = readFileSync(join(root, 'docs', doc), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.startsWith('import'));
}

const localize = (code: string) => code.replace(/from '([^']+)'/g, (whole, spec: string) => (specifiers[spec] ? `from '${specifiers[spec]}'` : whole));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['observability.md', 'caching.md'])('docs/%s', (doc) => {
  const list = snippets(doc);

  test('has runnable snippets', () => {
    expect(list.length).toBeGreaterThan(1);
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
