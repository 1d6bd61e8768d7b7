import type { ZodType } from 'zod';
import type { AgentToolsInput } from '../agents/agent-tool.js';
import type { ToolParameters } from '../call/tool-parameters.js';
import type { CascadeOptions } from '../agents/cascade-tier.js';
import type { EnsembleMember } from '../agents/ensemble-types.js';
import type { VerifyOptions } from '../agents/verifier.js';
import type { Message } from '../models/types.js';
import type { CallOptions } from '../call/call-types.js';
import type { Workflow } from './workflow.js';

/**
 * What happens when a node fails.
 * - `'fail-fast'`: cancel every other in-flight and pending node; the run fails.
 * - `'continue'`: nodes that depend on the failed one are skipped; independent branches finish; the run fails.
 */
export type ErrorPolicy = 'fail-fast' | 'continue';

/** The second argument of every node callback. */
export interface NodeRunOptions {
  /** Aborted when the run is cancelled, fails fast, or the node times out. Pass it to any I/O you start. */
  signal: AbortSignal;
  runId: string;
  nodeId: string;
}

/** The third argument of a `.loop`'s `input`. */
export interface LoopInputOptions extends NodeRunOptions {
  /** The 1-based iteration whose input is being built. */
  iteration: number;
}

/**
 * The paths of upstream nodes a node runs on, by dependency: `{ route: 'bug' }`, `{ route: ['bug', 'crash'] }`.
 * A dependency's output (a `.branch`'s choice, an `.llm` with a `z.enum` output, a step returning a string) must
 * equal one of them, else the node is skipped. Listing several dependencies requires all of them to match.
 */
export type WhenMatch = Record<string, string | readonly string[]>;

/** The third argument of a `.map` item callback. */
export interface MapItemOptions extends NodeRunOptions {
  /** The index of the item in the list `over` returned. */
  index: number;
}

/** Options every node kind accepts (and `when`, typed by the builder). `C` is what the node's callbacks see. */
export interface NodeOptionsBase<C, D extends string> {
  /** Ids of the nodes this node waits for; their outputs appear in its callbacks' context. */
  after?: readonly D[];
  /**
   * What a failure of this node does to the run.
   * @default the run's `onError`, itself defaulting to 'fail-fast'
   */
  onError?: ErrorPolicy;
  /**
   * Fails the node with kind 'timeout' after this many milliseconds (model calls and callbacks are aborted).
   * @default no timeout
   */
  timeoutMs?: number;
}

/** How an `.llm` node builds its messages: a prompt (string or function of the context) or a message list. */
export type LlmPrompt<C> =
  | {
      /** The user message: a string, or a function of the node's context. */
      prompt: string | ((ctx: C, options: NodeRunOptions) => string | Promise<string>);
      messages?: never;
    }
  | {
      /** The conversation to send, built from the node's context. */
      messages: (ctx: C, options: NodeRunOptions) => Message[] | Promise<Message[]>;
      prompt?: never;
    };

/**
 * An `.llm` node: one model call (routing, budget, retries and structured-output repair included); with `verify`,
 * generate → verify rounds; with `cascade`, cheapest tier first.
 */
export type LlmNodeSpec<C, D extends string, Out> = NodeOptionsBase<C, D> &
  CallOptions<Out> &
  LlmPrompt<C> &
  VerifyOptions<Out, C> &
  CascadeOptions;

/** What an `.agent` node adds to the call options: its tools and the limits of its loop. */
export interface AgentOptions<P extends Record<string, ToolParameters>> {
  /**
   * The tools the model may call, by name (1-64 letters, digits, `_` or `-`): `{ description, parameters: zod,
   * execute }` (or `parameters: jsonSchema(...)`). `execute` receives the validated arguments, typed by
   * `parameters`. A tool set such as `mcpTools()` goes here as it is, or spread beside other tools
   * (`{ ...github, note }`).
   */
  tools: AgentToolsInput<P>;
  /**
   * Most model calls of the tool loop (per verify round). A model still calling tools at the last step fails the
   * node with kind 'max_steps' (or, in a cascade, escalates).
   * @default 10
   */
  maxSteps?: number;
  /**
   * Longest tool result (or tool error) sent back to the model, in characters; longer ones keep their head and tail.
   * @default 20_000
   */
  maxToolResultChars?: number;
}

/**
 * An `.agent` node: the model → tool calls → results → model loop until the model answers without calling a tool.
 * Output: the final text, or the `output` schema's object.
 */
export type AgentNodeSpec<C, D extends string, Out, P extends Record<string, ToolParameters>> = NodeOptionsBase<C, D> &
  Omit<CallOptions<Out>, 'tools'> &
  AgentOptions<P> &
  LlmPrompt<C> &
  VerifyOptions<Out, C> &
  CascadeOptions;

/** Who answers in an ensemble: a list of members, or `candidates` samples of the node's own routing. */
export type EnsembleMembers =
  | {
      /** The members, in order (the tie-break order of `vote`): model ids or `{ model | task, ... }`. */
      models: readonly EnsembleMember[];
      candidates?: never;
    }
  | {
      /** How many times to ask the node's own model (or task). */
      candidates: number;
      models?: never;
    };

/**
 * An `.ensemble` node: the same request to several models at once, all streaming into the run's stream (events
 * tagged `candidate`), merged by `merge`.
 */
export type EnsembleNodeSpec<C, D extends string, Out, M> = NodeOptionsBase<C, D> &
  Omit<CallOptions<Out>, 'tools'> &
  LlmPrompt<C> &
  EnsembleMembers & {
    /** How the candidates become one output: 'first', 'vote', 'judge' (or `{ judge }`), 'concat', or a function. */
    merge: M;
  };

/** A `.step` node: plain TypeScript. Its output is the (awaited) return value of `run`. */
export type StepNodeSpec<C, D extends string, R> = NodeOptionsBase<C, D> & {
  run: (ctx: C, options: NodeRunOptions) => R;
};

/** How a `.map` item is turned into messages. */
export type MapItemPrompt<Item, C> =
  | {
      /** The user message for one item. */
      prompt: string | ((item: Item, ctx: C, options: MapItemOptions) => string | Promise<string>);
      messages?: never;
    }
  | {
      messages: (item: Item, ctx: C, options: MapItemOptions) => Message[] | Promise<Message[]>;
      prompt?: never;
    };

/** A `.map` item handled by one model call. */
export type MapLlmItem<Item, C, Out> = CallOptions<Out> & MapItemPrompt<Item, C> & { run?: never };

/** A `.map` item handled by plain TypeScript. */
export interface MapRunItem<Item, C, R> {
  run: (item: Item, ctx: C, options: MapItemOptions) => R;
}

/** A `.map` node: one sub-call per item of a list produced upstream; outputs gathered in item order. */
export type MapNodeSpec<C, D extends string, Item, Node> = NodeOptionsBase<C, D> & {
  /** Returns the list to fan out over (an array; anything else fails the node). */
  over: (ctx: C, options: NodeRunOptions) => readonly Item[] | Promise<readonly Item[]>;
  /** What to do with each item: a model call (`prompt`/`messages` + call options) or a `run` function. */
  node: Node;
  /**
   * Most items in flight at once.
   * @default unlimited
   */
  concurrency?: number;
};

/** A `.workflow` node: a nested workflow run as one node; its output is the nested workflow's outputs. */
export type WorkflowNodeSpec<C, D extends string, WIn> = NodeOptionsBase<C, D> & {
  /**
   * The workflow to run. Its nodes' events appear in the run's stream with their path (`nodeId: 'legal/check'`);
   * a nested node without its own `onError` follows this node's policy; a failure inside fails this node.
   */
  workflow: Workflow<any, any, WIn, any>;
  /** Builds the nested workflow's input (parsed with its schema) from this node's context. */
  input: (ctx: C, options: NodeRunOptions) => WIn | Promise<WIn>;
};

/**
 * A `.loop` node: the workflow `body` run again and again — each iteration's input built from the node's context
 * and the previous iteration's outputs — until `until` says stop or `maxIterations` iterations ran. Its output is
 * the last iteration's outputs.
 */
export type LoopNodeSpec<C, D extends string, BO extends Record<string, unknown>, BIn> = NodeOptionsBase<C, D> & {
  /** The workflow each iteration runs (its events carry `iteration`). */
  body: Workflow<any, BO, BIn, any>;
  /** Builds an iteration's input from the node's context and the previous iteration's outputs (`undefined` first). */
  input: (ctx: C, last: BO | undefined, options: LoopInputOptions) => BIn | Promise<BIn>;
  /** After each iteration: true ends the loop with that iteration's outputs. */
  until: (state: { output: BO; iteration: number; context: C }, options: NodeRunOptions) => boolean | Promise<boolean>;
  /** Most iterations (required: a loop is always bounded). */
  maxIterations: number;
  /**
   * What reaching `maxIterations` without `until` saying stop does: `'return-last'` returns the last iteration's
   * outputs (`result.nodes[id].converged === false`); `'fail'` fails the node with kind 'max_iterations'.
   * @default 'return-last'
   */
  onMaxIterations?: 'return-last' | 'fail';
};

/** A `.branch` node: picks one of `paths` from its context; nodes with `when: { [id]: path }` run on that path only. */
export type BranchNodeSpec<C, D extends string, P extends string> = NodeOptionsBase<C, D> & {
  /** Every path the branch may choose (a choice outside them fails the node with kind 'invalid_output'). */
  paths: readonly P[];
  /** Picks the path (may be async). */
  choose: (ctx: C, options: NodeRunOptions) => NoInfer<P> | Promise<NoInfer<P>>;
};

/**
 * An `.approval` node: a person's decision. When the run reaches it, the node waits, everything that does not
 * depend on it finishes, and the run ends with status 'waiting'; `sy.resume(runId, workflow, { answers: { [id]:
 * value } })` continues it with the answer (validated with `answer`) as the node's output.
 */
export type ApprovalNodeSpec<C, D extends string, A extends ZodType> = NodeOptionsBase<C, D> & {
  /** What to ask the person (shown in `result.waiting` and `node-wait` events). */
  prompt: string | ((ctx: C, options: NodeRunOptions) => string | Promise<string>);
  /** The answer's schema: `sy.resume` refuses an answer that does not match it. */
  answer: A;
};
