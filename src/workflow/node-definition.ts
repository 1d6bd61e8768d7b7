import type { AgentTool } from '../agents/agent-tool.js';
import type { CascadeTier } from '../agents/cascade-tier.js';
import type { EnsembleMember, EnsembleMerge } from '../agents/ensemble-types.js';
import type { Verifier } from '../agents/verifier.js';
import type { Message } from '../models/types.js';
import type { CallOptions } from '../call/call-types.js';
import type { ZodType } from 'zod';
import type { ErrorPolicy, LoopInputOptions, MapItemOptions, NodeRunOptions, WhenMatch } from './node-spec.js';
import type { Workflow } from './workflow.js';

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
  /** A predicate, or the paths of upstream nodes this one runs on (`{ route: 'bug' }`). */
  when?: Callback<boolean> | WhenMatch;
  onError?: ErrorPolicy;
  timeoutMs?: number;
}

/** The verifier and cascade options of model nodes (`.llm`, `.agent`). */
export interface VerifiedNodeFields {
  verify?: Verifier<any, any>;
  maxRounds?: number;
  acceptLast?: boolean;
  cascade?: readonly CascadeTier[];
}

/** A model call node. */
export interface LlmNodeDefinition extends NodeDefinitionBase, CallOptions, VerifiedNodeFields {
  kind: 'llm';
  prompt?: string | Callback<string>;
  messages?: Callback<Message[]>;
}

/** A tool-using agent node. */
export interface AgentNodeDefinition extends NodeDefinitionBase, Omit<CallOptions, 'tools'>, VerifiedNodeFields {
  kind: 'agent';
  prompt?: string | Callback<string>;
  messages?: Callback<Message[]>;
  tools: Record<string, AgentTool<any>>;
  maxSteps?: number;
  maxToolResultChars?: number;
}

/** An ensemble node: one request to several models, merged. */
export interface EnsembleNodeDefinition extends NodeDefinitionBase, Omit<CallOptions, 'tools'> {
  kind: 'ensemble';
  prompt?: string | Callback<string>;
  messages?: Callback<Message[]>;
  models?: readonly EnsembleMember[];
  candidates?: number;
  merge: EnsembleMerge<any, any>;
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

/** A nested workflow run as one node. */
export interface WorkflowNodeDefinition extends NodeDefinitionBase {
  kind: 'workflow';
  workflow: Workflow;
  input: Callback<unknown>;
}

/** A workflow run again and again until `until` says stop (or `maxIterations`). */
export interface LoopNodeDefinition extends NodeDefinitionBase {
  kind: 'loop';
  body: Workflow;
  input: (ctx: UntypedContext, last: any, options: LoopInputOptions) => unknown;
  until: (state: { output: any; iteration: number; context: UntypedContext }, options: NodeRunOptions) => boolean | Promise<boolean>;
  maxIterations: number;
  onMaxIterations?: 'return-last' | 'fail';
}

/** A choice of one path among several, made from upstream outputs. */
export interface BranchNodeDefinition extends NodeDefinitionBase {
  kind: 'branch';
  paths: readonly string[];
  choose: Callback<string>;
}

/** A person's answer, asked with `prompt` and validated with `answer`. */
export interface ApprovalNodeDefinition extends NodeDefinitionBase {
  kind: 'approval';
  prompt: string | Callback<string>;
  answer: ZodType;
}

/**
 * One node as the engine runs it: the untyped form behind the typed builder, also accepted directly by
 * `workflow({ name, input, nodes: [...] })` for graphs assembled at run time (forward references allowed).
 */
export type NodeDefinition =
  | LlmNodeDefinition
  | StepNodeDefinition
  | MapNodeDefinition
  | AgentNodeDefinition
  | EnsembleNodeDefinition
  | WorkflowNodeDefinition
  | LoopNodeDefinition
  | BranchNodeDefinition
  | ApprovalNodeDefinition;

/** The node kinds. */
export type NodeKind = NodeDefinition['kind'];
