import type { Message } from '../models/types.js';
import type { CallOptions } from '../run/call-types.js';
import type { ErrorPolicy, MapItemOptions, NodeRunOptions } from './node-spec.js';

/** The context an untyped callback receives: `input` plus the outputs of the node's dependencies. */
export type UntypedContext = { input: any; [nodeId: string]: any };

type Callback<R> = (ctx: UntypedContext, options: NodeRunOptions) => R | Promise<R>;
type ItemCallback<R> = (item: any, ctx: UntypedContext, options: MapItemOptions) => R | Promise<R>;

/** Fields every node definition has. */
export interface NodeDefinitionBase {
  /** Unique within the workflow; 'input' is reserved. */
  id: string;
  /** Ids of the nodes this node waits for (any node of the workflow, declared before or after). */
  after?: readonly string[];
  when?: Callback<boolean>;
  onError?: ErrorPolicy;
  timeoutMs?: number;
}

/** A model call node. */
export interface LlmNodeDefinition extends NodeDefinitionBase, CallOptions {
  kind: 'llm';
  prompt?: string | Callback<string>;
  messages?: Callback<Message[]>;
}

/** A plain TypeScript node. */
export interface StepNodeDefinition extends NodeDefinitionBase {
  kind: 'step';
  run: Callback<unknown>;
}

/** What a map does with each item. */
export type MapItemDefinition =
  | { run: ItemCallback<unknown> }
  | (CallOptions & { prompt?: string | ItemCallback<string>; messages?: ItemCallback<Message[]>; run?: undefined });

/** A fan-out node. */
export interface MapNodeDefinition extends NodeDefinitionBase {
  kind: 'map';
  over: Callback<readonly unknown[]>;
  node: MapItemDefinition;
  concurrency?: number;
}

/**
 * One node as the engine runs it: the untyped form behind the typed builder, also accepted directly by
 * `workflow({ name, input, nodes: [...] })` for graphs assembled at run time (forward references allowed).
 */
export type NodeDefinition = LlmNodeDefinition | StepNodeDefinition | MapNodeDefinition;

/** The node kinds. */
export type NodeKind = NodeDefinition['kind'];
