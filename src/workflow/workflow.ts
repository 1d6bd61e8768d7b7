import type { ZodType } from 'zod';
import type { NodeDefinition } from './node-definition.js';
import type { EnsembleMergeStrategy, EnsembleOutput, EnsembleReducer } from '../agents/ensemble-types.js';
import type { ToolParameters } from '../call/tool-parameters.js';
import type {
  AgentNodeSpec,
  EnsembleNodeSpec,
  LlmNodeSpec,
  MapLlmItem,
  MapNodeSpec,
  MapRunItem,
  StepNodeSpec,
} from './node-spec.js';
import { compileWorkflow } from './compile-workflow.js';
import type {
  IsSkippable,
  NewNodeId,
  NodeContext,
  Outputs,
  WhenPredicate,
  WhenResult,
  WithNode,
  WithSkip,
} from './workflow-types.js';

/**
 * A workflow: a named graph of nodes over a typed input. `I` is the parsed input type (what callbacks see),
 * `O` maps each node id to its output type, `In` is the input type before parsing (what `sy.run` accepts; it
 * differs from `I` when the schema has defaults or transforms; `any` when not given). Built with `workflow(...)`; run with
 * `sy.run(workflow, input, options)`.
 */
export interface Workflow<I = any, O extends Outputs = Outputs, In = any> {
  readonly name: string;
  /** Validates the input before any node runs. */
  readonly inputSchema: ZodType<I, In>;
  /** The nodes in declaration order. */
  readonly nodes: readonly NodeDefinition[];
  /** Type-level only: the input and outputs types. */
  readonly '~types'?: { input: I; rawInput: In; outputs: O };
}

/** What `workflow(...)` takes. */
export interface WorkflowConfig<I, In = I> {
  /** Shown in events (`run-start`) and traces. */
  name: string;
  /** A zod schema for the run's input; an input that fails it ends the run before any node starts. */
  input: ZodType<I, In>;
}

/** The untyped form: every node given at once; dependencies may point forward. */
export interface UntypedWorkflowConfig<I, In = I> extends WorkflowConfig<I, In> {
  nodes: readonly NodeDefinition[];
}

interface NodeLink {
  node: NodeDefinition;
  prev: NodeLink | undefined;
}

/** Output type of a map item: its run's awaited return, else its zod output (or text). */
type MapItemOutput<Out, R> = [R] extends [never] ? Out : Awaited<R>;

type Dep<O extends Outputs> = Extract<keyof O, string>;

/**
 * The typed, immutable workflow builder. Each method returns a new builder with one more node, so a base
 * workflow can be extended in several ways. `S` tracks the ids of nodes that may be skipped.
 */
export class WorkflowBuilder<I, O extends Outputs = {}, S extends string = never, In = I> implements Workflow<I, O, In> {
  declare readonly '~types'?: { input: I; rawInput: In; outputs: O };
  readonly name: string;
  readonly inputSchema: ZodType<I, In>;
  readonly #tail: NodeLink | undefined;
  #nodes: readonly NodeDefinition[] | undefined;

  constructor(name: string, inputSchema: ZodType<I, In>, tail?: NodeLink, nodes?: readonly NodeDefinition[]) {
    this.name = name;
    this.inputSchema = inputSchema;
    this.#tail = tail;
    this.#nodes = nodes;
  }

  get nodes(): readonly NodeDefinition[] {
    if (!this.#nodes) {
      const list: NodeDefinition[] = [];
      for (let link = this.#tail; link; link = link.prev) list.push(link.node);
      this.#nodes = list.reverse();
    }
    return this.#nodes;
  }

  /**
   * Adds a model-call node. Its output is the zod-inferred type of `output`, or the reply text.
   * @example
   * .llm('classify', { task: 'classification', prompt: ({ input }) => input.ticket, output: z.enum(['bug', 'other']) })
   */
  llm<
    const Id extends string,
    D extends Dep<O> = never,
    Out = string,
    W extends WhenResult = never,
  >(
    id: NewNodeId<Id, O>,
    spec: LlmNodeSpec<NodeContext<I, O, D>, D, Out> & { when?: WhenPredicate<NodeContext<I, O, D>, W> },
  ): WorkflowBuilder<I, WithNode<O, Id, Out, IsSkippable<W, D, S>>, WithSkip<S, Id, IsSkippable<W, D, S>>, In> {
    return this.#add({ ...(spec as object), kind: 'llm', id } as unknown as NodeDefinition);
  }

  /**
   * Adds a plain TypeScript node. Its output is the awaited return value of `run`.
   * @example
   * .step('report', { after: ['fix'], run: ({ fix }) => fix.length })
   */
  step<
    const Id extends string,
    R,
    D extends Dep<O> = never,
    W extends WhenResult = never,
  >(
    id: NewNodeId<Id, O>,
    spec: StepNodeSpec<NodeContext<I, O, D>, D, R> & { when?: WhenPredicate<NodeContext<I, O, D>, W> },
  ): WorkflowBuilder<
    I,
    WithNode<O, Id, Awaited<R>, IsSkippable<W, D, S>>,
    WithSkip<S, Id, IsSkippable<W, D, S>>,
    In
  > {
    return this.#add({ ...(spec as object), kind: 'step', id } as unknown as NodeDefinition);
  }

  /**
   * Adds a fan-out node: one model call (or `run`) per item of the list `over` returns; the output is the
   * array of per-item outputs, in item order.
   * @example
   * .map('titles', { after: ['split'], over: ({ split }) => split, node: { task: 'summarization', prompt: (doc) => doc } })
   */
  map<
    const Id extends string,
    Item,
    D extends Dep<O> = never,
    Out = string,
    R = never,
    W extends WhenResult = never,
  >(
    id: NewNodeId<Id, O>,
    spec: MapNodeSpec<
      NodeContext<I, O, D>,
      D,
      Item,
      MapLlmItem<Item, NodeContext<I, O, D>, Out> | MapRunItem<Item, NodeContext<I, O, D>, R>
    > & { when?: WhenPredicate<NodeContext<I, O, D>, W> },
  ): WorkflowBuilder<
    I,
    WithNode<O, Id, MapItemOutput<Out, R>[], IsSkippable<W, D, S>>,
    WithSkip<S, Id, IsSkippable<W, D, S>>,
    In
  > {
    return this.#add({ ...(spec as object), kind: 'map', id } as unknown as NodeDefinition);
  }

  /**
   * Adds a tool-using agent: model → tool calls → results → model, until the model answers without calling a
   * tool (or `maxSteps`). Its output is the final text, or the zod-inferred type of `output`; its steps are in
   * `result.nodes[id].steps`. Add `verify` for generate → verify rounds, `cascade` to try a cheaper model first.
   * @example
   * .agent('fix', {
   *   task: 'agentic-coding',
   *   prompt: ({ input }) => input.issue,
   *   tools: { readFile: { description: 'Read a file', parameters: z.object({ path: z.string() }), execute: ({ path }) => files[path] } },
   *   maxSteps: 8,
   * })
   */
  agent<
    const Id extends string,
    D extends Dep<O> = never,
    Out = string,
    P extends Record<string, ToolParameters> = {},
    W extends WhenResult = never,
  >(
    id: NewNodeId<Id, O>,
    spec: AgentNodeSpec<NodeContext<I, O, D>, D, Out, P> & { when?: WhenPredicate<NodeContext<I, O, D>, W> },
  ): WorkflowBuilder<I, WithNode<O, Id, Out, IsSkippable<W, D, S>>, WithSkip<S, Id, IsSkippable<W, D, S>>, In> {
    return this.#add({ ...(spec as object), kind: 'agent', id } as unknown as NodeDefinition);
  }

  /**
   * Adds an ensemble: the same request to several models at once (`models`), or `candidates` times to the node's
   * own model, all streaming into the run (events tagged `candidate`), merged by `merge`. Its output is `Out` for
   * 'first', 'vote' and 'judge', `Out[]` for 'concat', or what a custom reducer returns; every candidate's output,
   * cost and use is in `result.nodes[id].candidates`.
   * @example
   * .ensemble('answer', { models: ['gpt-5.5', 'claude-opus-4-7', 'gemini-3.1-pro'], prompt: ({ input }) => input.q,
   *                       output: z.object({ answer: z.enum(['yes', 'no']) }), merge: 'vote' })
   */
  ensemble<
    const Id extends string,
    D extends Dep<O> = never,
    Out = string,
    const M extends EnsembleMergeStrategy = 'first',
    R = never,
    W extends WhenResult = never,
  >(
    id: NewNodeId<Id, O>,
    spec: EnsembleNodeSpec<NodeContext<I, O, D>, D, Out, M | EnsembleReducer<Out, NodeContext<I, O, D>, R>> & {
      when?: WhenPredicate<NodeContext<I, O, D>, W>;
    },
  ): WorkflowBuilder<
    I,
    WithNode<O, Id, EnsembleOutput<Out, M, R>, IsSkippable<W, D, S>>,
    WithSkip<S, Id, IsSkippable<W, D, S>>,
    In
  > {
    return this.#add({ ...(spec as object), kind: 'ensemble', id } as unknown as NodeDefinition);
  }

  /** Validates the graph now (ids, dependencies, cycles, map lists) and returns this workflow. */
  build(): this {
    compileWorkflow(this);
    return this;
  }

  #add<T>(node: NodeDefinition): T {
    return new WorkflowBuilder(this.name, this.inputSchema, { node, prev: this.#tail }) as T;
  }
}

/**
 * Starts a workflow over a typed input. Chain `.llm`, `.agent`, `.ensemble`, `.step` and `.map` to add nodes; or pass `nodes` to give
 * an untyped node list at once (for graphs assembled at run time; dependencies may point forward).
 * @example
 * const wf = workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
 *   .llm('classify', { task: 'classification', prompt: ({ input }) => input.ticket });
 */
export function workflow<I, In = I>(
  config: UntypedWorkflowConfig<I, In>,
): WorkflowBuilder<I, Record<string, unknown>, never, In>;
export function workflow<I, In = I>(config: WorkflowConfig<I, In>): WorkflowBuilder<I, {}, never, In>;
export function workflow<I, In>(
  config: WorkflowConfig<I, In> & { nodes?: readonly NodeDefinition[] },
): WorkflowBuilder<I, {}, never, In> {
  let tail: NodeLink | undefined;
  for (const node of config.nodes ?? []) tail = { node, prev: tail };
  return new WorkflowBuilder(config.name, config.input, tail, config.nodes ? [...config.nodes] : undefined);
}
