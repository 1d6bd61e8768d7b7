/**
 * Runs the TypeScript snippets of the docs that start with an import, with 'switchyard-ai' and friends pointed at the
 * sources, so the docs cannot rot. Shared by the docs tests.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { vi } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const specifiers: Record<string, string> = {
  'switchyard-ai': pathToFileURL(join(root, 'src/index.ts')).href,
  'switchyard-ai/testing': pathToFileURL(join(root, 'src/testing/index.ts')).href,
  'switchyard-ai/redis': pathToFileURL(join(root, 'src/redis/index.ts')).href,
  'switchyard-ai/mcp': pathToFileURL(join(root, 'src/mcp/index.ts')).href,
  'switchyard-ai/ai-sdk': pathToFileURL(join(root, 'src/ai-sdk/index.ts')).href,
  '@ai-sdk/openai-compatible': import.meta.resolve('@ai-sdk/openai-compatible'),
  zod: import.meta.resolve('zod'),
  '@opentelemetry/api': import.meta.resolve('@opentelemetry/api'),
  '@opentelemetry/sdk-trace-base': import.meta.resolve('@opentelemetry/sdk-trace-base'),
};

/** The runnable snippets of `docs/<doc>`: every ```ts block that starts with an import. */
export function docSnippets(doc: string): string[] {
  const text = readFileSync(join(root, 'docs', doc), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((code) => code.startsWith('import'));
}

const dir = mkdtempSync(join(tmpdir(), 'switchyard-docs-'));

/** Runs one snippet as a module; returns the arguments of each console.log call it made. */
export async function runSnippet(name: string, code: string): Promise<unknown[][]> {
  const file = join(dir, `${name.replace(/[^a-z0-9-]/gi, '-')}.ts`);
  writeFileSync(file, code.replace(/from '([^']+)'/g, (whole, spec: string) => (specifiers[spec] ? `from '${specifiers[spec]}'` : whole)));
  const calls: unknown[][] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void calls.push(args));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  return calls;
}
