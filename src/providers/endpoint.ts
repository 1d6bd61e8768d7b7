import type { ModelInfo, ProviderFamily } from '../models/types.js';
import type { EndpointOptions } from './types.js';

/**
 * Which catalog models an endpoint serves, from its `models` option; by default its own family's models and the
 * models whose `provider` is the endpoint's name (a catalog entry `{ provider: 'local' }` goes to the endpoint
 * named 'local').
 */
export function servesModel(
  family: ProviderFamily,
  models: EndpointOptions['models'],
  model: ModelInfo,
  name: string = family,
): boolean {
  if (models === undefined) return model.provider === family || model.provider === name;
  if (Array.isArray(models)) return models.includes(model.id);
  return Object.prototype.hasOwnProperty.call(models, model.id);
}

/** The model id to send on the wire: the endpoint's mapping, else the catalog's `apiModel`, else the id. */
export function wireModelId(models: EndpointOptions['models'], model: ModelInfo): string {
  if (models !== undefined && !Array.isArray(models)) {
    const mapped = (models as Readonly<Record<string, string>>)[model.id];
    if (mapped !== undefined) return mapped;
  }
  return model.apiModel ?? model.id;
}

/** Creates a value once on first use; a failed creation is forgotten so the next call tries again. */
export function lazy<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
