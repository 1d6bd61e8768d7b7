import { SwitchyardError } from '../errors/switchyard-error.js';

/** The official SDK packages the adapters load, with the major version each adapter is written against. */
export const SDK_PACKAGES = {
  openai: 'openai@7',
  '@anthropic-ai/sdk': '@anthropic-ai/sdk@1',
  '@google/genai': '@google/genai@3',
  '@modelcontextprotocol/sdk': '@modelcontextprotocol/sdk@1',
} as const;

/** An SDK package name. */
export type SdkPackage = keyof typeof SDK_PACKAGES;

/**
 * Loads an optional SDK on first use. The SDKs are optional peer dependencies: a user who configures one provider
 * installs one package. When the package is missing this throws a `missing_dependency` error that names the
 * command to run.
 *
 * @param pkg the package, for the error message
 * @param importer the dynamic import, e.g. `() => import('openai')` (kept literal so bundlers see it)
 * @param user what needs the package, for the error message
 */
export async function loadSdk<M>(pkg: SdkPackage, importer: () => Promise<M>, user = 'this provider'): Promise<M> {
  try {
    return await importer();
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    throw new SwitchyardError({
      kind: 'missing_dependency',
      retryable: false,
      message:
        `The '${pkg}' package is not installed, and ${user} needs it. ` +
        `Install it next to switchyard-ai: npm install ${SDK_PACKAGES[pkg]}`,
    });
  }
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
  const message = error instanceof Error ? error.message : '';
  return /cannot find (module|package)|failed to resolve/i.test(message);
}
