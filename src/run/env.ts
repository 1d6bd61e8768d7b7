import type { Catalog } from '../models/catalog.js';
import type { ModelInfo, TaskKind } from '../models/types.js';
import type { Provider } from '../providers/types.js';
import type { CallSpec } from './call-types.js';

/** A model on an endpoint, with why it was chosen. */
export interface Candidate {
  model: ModelInfo;
  provider: Provider;
  reason: string;
}

/** What a switchyard instance gives the runs it starts. */
export interface SwitchyardEnv {
  readonly catalog: Catalog;
  readonly providers: readonly Provider[];
  readonly routes: Readonly<Record<TaskKind, readonly string[]>>;
  candidatesFor(spec: CallSpec): Candidate[];
}
