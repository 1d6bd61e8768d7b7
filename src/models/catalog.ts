import { isReservedName, RESERVED_NAMES } from '../data/plain-record.js';
import { SwitchyardError } from '../errors/index.js';
import { freezeModel, modelProblems } from './model-validation.js';
import { nearMatches } from './near-matches.js';
import { unknownModelError } from './unknown-model.js';
import type { Capabilities, ModelInfo, Pricing } from './types.js';

/**
 * A change to one catalog entry. For an id the base catalog has, only the fields given change (`pricing` and
 * `capabilities` merge field by field; `tasks` and `pricing.tiers` are replaced whole). For a new id, the override
 * must be a full entry.
 * @example
 * { 'gpt-5.5': { pricing: { input: 4.5 } } }
 */
export type ModelOverride = Partial<Omit<ModelInfo, 'pricing' | 'capabilities'>> & {
  pricing?: Partial<Pricing>;
  capabilities?: Partial<Capabilities>;
};

/** Overrides keyed by catalog id. */
export type CatalogOverrides = Readonly<Record<string, ModelOverride>>;

/** A read-only set of models keyed by id. Entries are frozen; make changes with `extend` or `createCatalog`. */
export interface Catalog extends Iterable<ModelInfo> {
  /**
   * The entry for `id`.
   * @throws SwitchyardError kind 'unknown_model', naming up to three near matches and how to add a model.
   */
  get(id: string): ModelInfo;
  /** The entry for `id`, or undefined. */
  find(id: string): ModelInfo | undefined;
  has(id: string): boolean;
  /** Every entry, in insertion order. */
  list(): ModelInfo[];
  /** Every id, in insertion order. */
  ids(): string[];
  readonly size: number;
  /** Up to `limit` ids that look like a mistyped `id`, best first. */
  nearMatches(id: string, limit?: number): string[];
  /** A new catalog with these overrides applied (this one is unchanged). */
  extend(overrides: CatalogOverrides): Catalog;
}

const brand = Symbol.for('switchyard.catalog');

/** True for a catalog made by `createCatalog` (from any copy of the package). */
export function isCatalog(value: unknown): value is Catalog {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

function invalidEntry(id: string, problems: string[], existing: readonly string[]): SwitchyardError {
  const near = nearMatches(id, existing);
  const hint =
    near.length > 0 ? ` If you meant to change an existing entry, use its exact id: ${near.join(', ')}.` : '';
  return new SwitchyardError({
    kind: 'invalid_config',
    model: id,
    message:
      `Catalog entry '${id}' is not a valid model. Missing or invalid: ${problems.join('; ')}. ` +
      `A new model needs a full entry (provider, contextWindow, maxOutputTokens, pricing with source and asOf, ` +
      `capabilities, tasks).${hint}`,
  });
}

function merge(base: ModelInfo | undefined, id: string, override: ModelOverride): unknown {
  const copy = structuredClone(override);
  if (base === undefined) return { ...copy, id };
  return {
    ...base,
    ...copy,
    id,
    pricing: { ...base.pricing, ...copy.pricing },
    capabilities: { ...base.capabilities, ...copy.capabilities },
  };
}

class ModelCatalog implements Catalog {
  readonly [brand] = true;
  readonly #models: ReadonlyMap<string, ModelInfo>;

  constructor(models: ReadonlyMap<string, ModelInfo>) {
    this.#models = models;
  }

  get size(): number {
    return this.#models.size;
  }

  get(id: string): ModelInfo {
    const model = this.#models.get(id);
    if (model !== undefined) return model;
    throw unknownModelError(id, this.nearMatches(id));
  }

  find(id: string): ModelInfo | undefined {
    return this.#models.get(id);
  }

  has(id: string): boolean {
    return this.#models.has(id);
  }

  list(): ModelInfo[] {
    return [...this.#models.values()];
  }

  ids(): string[] {
    return [...this.#models.keys()];
  }

  nearMatches(id: string, limit = 3): string[] {
    return nearMatches(id, this.#models.keys(), limit);
  }

  extend(overrides: CatalogOverrides): Catalog {
    return createCatalog(this, overrides);
  }

  [Symbol.iterator](): Iterator<ModelInfo> {
    return this.#models.values();
  }
}

function addEntry(models: Map<string, ModelInfo>, id: string, candidate: unknown): void {
  const problems = isReservedName(id) ? [`id ('${id}' is reserved: ${RESERVED_NAMES.join(', ')} cannot name a model)`] : modelProblems(candidate);
  if (problems.length > 0) throw invalidEntry(id, problems, [...models.keys()]);
  models.set(id, freezeModel(candidate as ModelInfo));
}

/**
 * Builds a catalog from entries or from another catalog, then applies overrides. Every resulting entry is
 * validated; a missing or invalid field is a SwitchyardError kind 'invalid_config' that lists what to fix.
 * @example
 * const catalog = createCatalog(defaultCatalog, {
 *   'gpt-5.5': { pricing: { input: 4.5 } },                  // change one price
 *   'llama-4-70b': { provider: 'openai', contextWindow: 128_000, maxOutputTokens: 8_192,  // add a model
 *     pricing: { input: 0, output: 0, source: 'self-hosted', asOf: '2026-11-01' },
 *     capabilities: { tools: true, structuredOutput: true, vision: false, reasoning: false }, tasks: ['chat'] },
 * });
 */
export function createCatalog(base: Catalog | Iterable<ModelInfo>, overrides: CatalogOverrides = {}): Catalog {
  const models = new Map<string, ModelInfo>();
  for (const entry of base) {
    if (isCatalog(base)) {
      models.set(entry.id, entry);
      continue;
    }
    const id = typeof entry?.id === 'string' ? entry.id : '(no id)';
    if (models.has(id)) throw invalidEntry(id, [`id (listed twice; put changes in overrides instead)`], []);
    addEntry(models, id, structuredClone(entry));
  }
  for (const [id, override] of Object.entries(overrides)) {
    if (override.id !== undefined && override.id !== id) {
      throw invalidEntry(id, [`id ('${override.id}' differs from its key '${id}'; leave id out of overrides)`], []);
    }
    addEntry(models, id, merge(models.get(id), id, override));
  }
  return new ModelCatalog(models);
}
