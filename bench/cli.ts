import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The value of a `--name=value` option of the command line (`argv`, by default this process's), if given. */
export function option(name: string, argv: readonly string[] = process.argv): string | undefined {
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** What a build of switchyard exports: its main entry point and `switchyard-ai/testing`. */
export interface BuildModules {
  index: typeof import('../src/index.js');
  testing: typeof import('../src/testing/index.js');
}

/**
 * A build of switchyard in its own directory (a copy of `dist/` inside the repository, e.g. `.tmp-before`, where its
 * imports find the package's dependencies), imported as modules of their own: two builds run side by side in one
 * process, so one before/after comparison sees the same machine load.
 */
export async function importBuild(dir: string): Promise<BuildModules> {
  const url = pathToFileURL(resolve(dir)).href;
  const [index, testing] = await Promise.all([import(`${url}/index.js`), import(`${url}/testing.js`)]);
  return { index, testing } as BuildModules;
}
