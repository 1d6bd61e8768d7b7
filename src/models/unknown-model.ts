import { SwitchyardError } from '../errors/index.js';

/**
 * The error for a model id the catalog does not have: the near matches, and how to use a model of your own (a
 * catalog made with createCatalog, passed to createSwitchyard).
 */
export function unknownModelError(id: string, near: readonly string[]): SwitchyardError {
  const suggestion = near.length > 0 ? ` Did you mean ${near.map((n) => `'${n}'`).join(' or ')}?` : '';
  return new SwitchyardError({
    kind: 'unknown_model',
    model: id,
    retryable: false,
    message:
      `Unknown model '${id}': it is not in the catalog.${suggestion} To use a model of your own, add it to a catalog ` +
      `and pass that catalog to the instance: const catalog = createCatalog(defaultCatalog, { '${id}': { provider, ` +
      `contextWindow, maxOutputTokens, pricing: { input, output }, capabilities, tasks } }); ` +
      `createSwitchyard({ catalog, providers }). See docs/catalog.md.`,
  });
}
