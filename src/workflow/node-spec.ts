import type { ZodType } from 'zod';
import type { AgentToolsInput } from '../agents/agent-tool.js';
import type { ToolParameters } from '../call/tool-parameters.js';
import type { CascadeOptions } from '../agents/cascade-tier.js';
import type { EnsembleMember } from '../agents/ensemble-types.js';
import type { VerifyOptions } from '../agents/verifier.js';
import type { Message } from '../models/types.js';
import type { CallOptions } from '../call/call-types.js';

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

/** The third argument of a `.map` item callback. */
export interface MapItemOptions extends NodeRunOptions {
  /** The index of the item in the list `over` returned. */
  index: number;
}

/** Options every node kind accepts. `C` is what the node's callbacks see. */
export interface NodeOptionsBase<C, D extends string> {
  /** Ids of the nodes this node waits for; their outputs appear in its callbacks' context. */
  after?: readonly D[];
  /**
   * Runs the node only when this returns true. A false predicate skips the node (a `node-skip` event) and,
   * transitively, every node that depends only on skipped nodes. A node with `when` is typed `T | undefined`
   * downstream.
   */
  when?: (ctx: C, options: NodeRunOptions) => boolean | Promise<boolean>;
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
