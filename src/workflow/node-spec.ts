import type { Message } from '../models/types.js';
import type { CallOptions } from '../run/call-types.js';

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

/** An `.llm` node: one model call (routing, budget, retries and structured-output repair included). */
export type LlmNodeSpec<C, D extends string, Out> = NodeOptionsBase<C, D> & CallOptions<Out> & LlmPrompt<C>;

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
