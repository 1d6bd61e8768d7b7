import type { ZodType } from 'zod';
import type { NodeDefinition } from './node-definition.js';
import type { LlmNodeSpec, MapLlmItem, MapNodeSpec, MapRunItem, StepNodeSpec } from './node-spec.js';
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
 * A workflow: a named graph of nodes over a typed input. `I` is the parsed input type, `O` maps each node id to
 * its output type. Built with `workflow(...)`; run with `sy.run(workflow, input, options)`.
 */
export interface Workflow<I = any, O extends Outputs = Outputs> {
  readonly name: string;
  /** Validates the input before any node runs. */
  readonly inputSchema: ZodType<I>;
  /** The nodes in declaration order. */
  readonly nodes: readonly NodeDefinition[];
  /** Type-level only: the input and outputs types. */
  readonly '~types'?: { input: I; outputs: O };
}

/** What `workflow(...)` takes. */
export interface WorkflowConfig<I> {
  /** Shown in events (`run-start`) and traces. */
  name: string;
  /** A zod schema for the run's input; an input that fails it ends the run before any node starts. */
  input: ZodType<I>;
}

/** The untyped form: every node given at once; dependencies may point forward. */
export interface UntypedWorkflowConfig<I> extends WorkflowConfig<I> {
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
export class WorkflowBuilder<I, O extends Outputs = {}, S extends string = never> implements Workflow<I, O> {
  declare readonly '~types'?: { input: I; outputs: O };
  readonly name: string;
  readonly inputSchema: ZodType<I>;
  readonly #tail: NodeLink | undefined;
  #nodes: readonly NodeDefinition[] | undefined;

  constructor(name: string, inputSchema: ZodType<I>, tail?: NodeLink, nodes?: readonly NodeDefinition[]) {
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
  ): WorkflowBuilder<I, WithNode<O, Id, Out, IsSkippable<W, D, S>>, WithSkip<S, Id, IsSkippable<W, D, S>>> {
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
  ): WorkflowBuilder<I, WithNode<O, Id, Awaited<R>, IsSkippable<W, D, S>>, WithSkip<S, Id, IsSkippable<W, D, S>>> {
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
    WithSkip<S, Id, IsSkippable<W, D, S>>
  > {
    return this.#add({ ...(spec as object), kind: 'map', id } as unknown as NodeDefinition);
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
 * Starts a workflow over a typed input. Chain `.llm`, `.step` and `.map` to add nodes; or pass `nodes` to give
 * an untyped node list at once (for graphs assembled at run time; dependencies may point forward).
 * @example
 * const wf = workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
 *   .llm('classify', { task: 'classification', prompt: ({ input }) => input.ticket });
 */
export function workflow<I>(config: UntypedWorkflowConfig<I>): WorkflowBuilder<I, Record<string, unknown>>;
export function workflow<I>(config: WorkflowConfig<I>): WorkflowBuilder<I>;
export function workflow<I>(config: WorkflowConfig<I> & { nodes?: readonly NodeDefinition[] }): WorkflowBuilder<I> {
  let tail: NodeLink | undefined;
  for (const node of config.nodes ?? []) tail = { node, prev: tail };
  return new WorkflowBuilder(config.name, config.input, tail, config.nodes ? [...config.nodes] : undefined);
}
