import { SwitchyardError } from '../errors/switchyard-error.js';

/**
 * Loads an optional peer dependency on first use; when it is missing, throws a `missing_dependency` error that
 * names the command to run.
 *
 * @param pkg the package and version range, for the error message (e.g. 'better-sqlite3@12')
 * @param what what needs it, for the error message
 * @param importer the dynamic import, kept literal so bundlers see it
 */
export async function loadOptional<M>(pkg: string, what: string, importer: () => Promise<M>): Promise<M> {
  try {
    return await importer();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new SwitchyardError({
      kind: 'missing_dependency',
      retryable: false,
      message: `${what} needs the '${pkg.replace(/@[^@]*$/, '')}' package, which is not installed. Install it next to switchyard-ai: npm install ${pkg}`,
      cause: error,
    });
  }
}

/** The default export of a module loaded with `import()`, whether it is ESM or CommonJS. */
export function defaultOf<T>(module: unknown): T {
  const m = module as { default?: T };
  return (m.default ?? module) as T;
}
