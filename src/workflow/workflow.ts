import type { ZodType } from 'zod';
import type { NodeDefinition } from './node-definition.js';
import type { EnsembleMergeStrategy, EnsembleOutput, EnsembleReducer } from '../agents/ensemble-types.js';
import type { output as OutputOf, input as InputOf } from 'zod';
import type { ToolApprovalAnswer } from '../agents/tool-approval.js';
import type { ToolParameters } from '../call/tool-parameters.js';
import type {
  AgentNodeSpec,
  ApprovalNodeSpec,
  BranchNodeSpec,
  EnsembleNodeSpec,
  LlmNodeSpec,
  LoopNodeSpec,
  MapLlmItem,
  MapNodeSpec,
  MapRunItem,
  StepNodeSpec,
  WorkflowNodeSpec,
} from './node-spec.js';
import { compileWorkflow } from './compile-workflow.js';
import type {
  AfterEntry,
  IsSkippable,
  NewNodeId,
  NodeContext,
  Outputs,
  Simplify,
  WhenOption,
  WhenPaths,
  WhenResult,
  WithAnswers,
  WithNode,
  WithSkip,
} from './workflow-types.js';

/**
 * A workflow: a named graph of nodes over a typed input. `I` is the parsed input type (what callbacks see),
 * `O` maps each node id to its output type, `In` is the input type before parsing (what `sy.run` accepts; it
 * differs from `I` when the schema has defaults or transforms; `any` when not given), `A` maps the paths of the
 * nodes that may wait for a person (`.approval` nodes, agents) to the answer `sy.resume` takes for them. Built
 * with `workflow(...)`; run with `sy.run(workflow, input, options)`.
 */
export interface Workflow<I = any, O extends Outputs = Outputs, In = any, A extends Outputs = any> {
  readonly name: string;
  /** Validates the input before any node runs. */
  readonly inputSchema: ZodType<I, In>;
  /** The nodes in declaration order. */
  readonly nodes: readonly NodeDefinition[];
  /** Type-level only: the input, outputs and answers types. */
  readonly '~types'?: { input: I; rawInput: In; outputs: O; answers: A };
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

/** What a node's callbacks see: the input and the outputs of the earlier nodes in its `after`. */
type Ctx<I, O extends Outputs, D extends string> = NodeContext<I, O, Extract<D, Dep<O>>>;

/** The `when` of a node of the typed builder, with `W` inferred from it (a predicate's result, or paths). */
interface When<I, O extends Outputs, D extends string, W> {
  /**
   * Runs the node only when this returns true (may be async) — or, given as `{ dependency: 'path' }`, only when
   * that dependency's output is that path (a `.branch`, an enum output). Otherwise the node is skipped (a
   * `node-skip` event) and, transitively, every node that depends only on skipped nodes. A node with `when` is
   * typed `T | undefined` downstream.
   * @default always runs
   * @example when: ({ classify }) => classify.kind === 'bug'
   * @example when: { route: 'bug' }
   */
  when?: WhenOption<Ctx<I, O, D>, O, Extract<D, Dep<O>>, W>;
}

/** The builder with one more node: `Id` of output `T`, skippable per its `when` (`W`) and dependencies (`D`). */
type Added<I, O extends Outputs, S extends string, In, A extends Outputs, Id extends string, T, W, D extends string> = WorkflowBuilder<
  I,
  WithNode<O, Id, T, IsSkippable<W, D, S>>,
  WithSkip<S, Id, IsSkippable<W, D, S>>,
  In,
  A
>;

/** What `W` of a node's `when` may be. */
type WhenOf<O extends Outputs, D extends string> = WhenResult | WhenPaths<O, Extract<D, Dep<O>>>;

/**
 * The typed, immutable workflow builder. Each method returns a new builder with one more node, so a base
 * workflow can be extended in several ways. `S` tracks the ids of nodes that may be skipped.
 */
export class WorkflowBuilder<I, O extends Outputs = {}, S extends string = never, In = I, A extends Outputs = {}>
  implements Workflow<I, O, In, A>
{
  declare readonly '~types'?: { input: I; rawInput: In; outputs: O; answers: A };
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
    D extends string = never,
    Out = string,
    W extends WhenOf<O, D> = never,
  >(
    id: NewNodeId<Id, O>,
    spec: LlmNodeSpec<Ctx<I, O, D>, AfterEntry<D, O>, Out> & When<I, O, D, W>,
  ): Added<I, O, S, In, A, Id, Out, W, D> {
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
    D extends string = never,
    W extends WhenOf<O, D> = never,
  >(
    id: NewNodeId<Id, O>,
    spec: StepNodeSpec<Ctx<I, O, D>, AfterEntry<D, O>, R> & When<I, O, D, W>,
  ): Added<I, O, S, In, A, Id, Awaited<R>, W, D> {
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
    D extends string = never,
    Out = string,
    R = never,
    W extends WhenOf<O, D> = never,
  >(
    id: NewNodeId<Id, O>,
    spec: MapNodeSpec<
      Ctx<I, O, D>,
      AfterEntry<D, O>,
      Item,
      MapLlmItem<Item, Ctx<I, O, D>, Out> | MapRunItem<Item, Ctx<I, O, D>, R>
    > & When<I, O, D, W>,
  ): Added<I, O, S, In, A, Id, MapItemOutput<Out, R>[], W, D> {
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
    D extends string = never,
    Out = string,
    P extends Record<string, ToolParameters> = {},
    W extends WhenOf<O, D> = never,
  >(
    id: NewNodeId<Id, O>,
    spec: AgentNodeSpec<Ctx<I, O, D>, AfterEntry<D, O>, Out, P> & When<I, O, D, W>,
  ): Added<I, O, S, In, Simplify<A & { [K in Id]: ToolApprovalAnswer }>, Id, Out, W, D> {
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
    D extends string = never,
    Out = string,
    const M extends EnsembleMergeStrategy = 'first',
    R = never,
    W extends WhenOf<O, D> = never,
  >(
    id: NewNodeId<Id, O>,
    spec: EnsembleNodeSpec<Ctx<I, O, D>, AfterEntry<D, O>, Out, M | EnsembleReducer<Out, Ctx<I, O, D>, R>> & When<I, O, D, W>,
  ): Added<I, O, S, In, A, Id, EnsembleOutput<Out, M, R>, W, D> {
    return this.#add({ ...(spec as object), kind: 'ensemble', id } as unknown as NodeDefinition);
  }

  /**
   * Adds a nested workflow as one node. Its output is the nested workflow's outputs; its nodes' events appear in
   * the run's stream with their path (`legal/check`); a failure inside fails the node (which then follows its own
   * error policy, also the default of the nested nodes).
   * @example
   * .workflow('legal', { after: ['draft'], workflow: legalCheck, input: ({ draft }) => ({ text: draft }) })
   */
  workflow<
    const Id extends string,
    WO extends Outputs,
    WIn,
    WA extends Outputs = {},
    D extends string = never,
    W extends WhenOf<O, D> = never,
  >(
    id: NewNodeId<Id, O>,
    spec: WorkflowNodeSpec<Ctx<I, O, D>, AfterEntry<D, O>, WIn> & { workflow: Workflow<any, WO, WIn, WA> } & When<I, O, D, W>,
  ): Added<I, O, S, In, WithAnswers<A, Id, WA>, Id, WO, W, D> {
    return this.#add({ ...(spec as object), kind: 'workflow', id } as unknown as NodeDefinition);
  }

  /**
   * Adds a loop: the workflow `body` runs again and again, each iteration's input built by `input(ctx, last)` from
   * the node's context and the previous iteration's outputs, until `until({ output, iteration })` returns true or
   * `maxIterations` ran. Its output is the last iteration's outputs; every iteration is in
   * `result.nodes[id].iterations`, and its events carry `iteration`.
   * @example
   * .loop('refine', { body: revise, maxIterations: 5, input: ({ input }, last) => ({ text: last?.revise ?? input.text }),
   *                   until: ({ output }) => output.check.ok })
   */
  loop<
    const Id extends string,
    BO extends Outputs,
    BIn,
    BA extends Outputs = {},
    D extends string = never,
    W extends WhenOf<O, D> = never,
  >(
    id: NewNodeId<Id, O>,
    spec: LoopNodeSpec<Ctx<I, O, D>, AfterEntry<D, O>, BO, BIn> & { body: Workflow<any, BO, BIn, BA> } & When<I, O, D, W>,
  ): Added<I, O, S, In, WithAnswers<A, Id, BA>, Id, BO, W, D> {
    return this.#add({ ...(spec as object), kind: 'loop', id } as unknown as NodeDefinition);
  }

  /**
   * Adds a branch: `choose` picks one of `paths`; nodes with `when: { [id]: 'path' }` run on that path only, and
   * the others are skipped (typed `T | undefined` downstream). Its output is the chosen path.
   * @example
   * .branch('route', { after: ['classify'], paths: ['bug', 'question'], choose: ({ classify }) => classify.kind })
   * .agent('fix', { after: ['route'], when: { route: 'bug' }, ... })
   */
  branch<
    const Id extends string,
    const P extends string,
    D extends string = never,
    W extends WhenOf<O, D> = never,
  >(
    id: NewNodeId<Id, O>,
    spec: BranchNodeSpec<Ctx<I, O, D>, AfterEntry<D, O>, P> & When<I, O, D, W>,
  ): Added<I, O, S, In, A, Id, P, W, D> {
    return this.#add({ ...(spec as object), kind: 'branch', id } as unknown as NodeDefinition);
  }

  /**
   * Adds a person's decision: when the run reaches it, the node waits, the rest of the run that does not depend on
   * it finishes, and `run.result` resolves with status 'waiting' and `waiting: [{ nodeId, prompt, ... }]`.
   * `sy.resume(runId, workflow, { answers: { [id]: value } })` continues the run (in any process, with a checkpoint
   * store) with the answer, validated with `answer`, as the node's output.
   * @example
   * .approval('approve', { after: ['draft'], prompt: ({ draft }) => `Send this?\n${draft}`, answer: z.object({ ok: z.boolean() }) })
   */
  approval<
    const Id extends string,
    Ans extends ZodType,
    D extends string = never,
    W extends WhenOf<O, D> = never,
  >(
    id: NewNodeId<Id, O>,
    spec: ApprovalNodeSpec<Ctx<I, O, D>, AfterEntry<D, O>, Ans> & When<I, O, D, W>,
  ): Added<I, O, S, In, Simplify<A & { [K in Id]: InputOf<Ans> }>, Id, OutputOf<Ans>, W, D> {
    return this.#add({ ...(spec as object), kind: 'approval', id } as unknown as NodeDefinition);
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
 * Starts a workflow over a typed input. Chain `.llm`, `.agent`, `.ensemble`, `.step`, `.map`, `.workflow`, `.loop`,
 * `.branch` and `.approval` to add nodes; or pass `nodes` to give
 * an untyped node list at once (for graphs assembled at run time; dependencies may point forward).
 * @example
 * const wf = workflow({ name: 'triage', input: z.object({ ticket: z.string() }) })
 *   .llm('classify', { task: 'classification', prompt: ({ input }) => input.ticket });
 */
export function workflow<I, In = I>(
  config: UntypedWorkflowConfig<I, In>,
): WorkflowBuilder<I, Record<string, unknown>, never, In, Record<string, unknown>>;
export function workflow<I, In = I>(config: WorkflowConfig<I, In>): WorkflowBuilder<I, {}, never, In>;
export function workflow<I, In>(
  config: WorkflowConfig<I, In> & { nodes?: readonly NodeDefinition[] },
): WorkflowBuilder<I, {}, never, In> {
  let tail: NodeLink | undefined;
  for (const node of config.nodes ?? []) tail = { node, prev: tail };
  return new WorkflowBuilder(config.name, config.input, tail, config.nodes ? [...config.nodes] : undefined);
}
