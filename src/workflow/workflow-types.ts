import type { NodeRunOptions } from './node-spec.js';
import type { Workflow } from './workflow.js';

/** A workflow's outputs so far: node id → output type. */
export type Outputs = Record<string, unknown>;

/** Flattens an intersection for readable hovers and errors. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** What a node's callbacks see: the workflow input and the outputs of the dependencies it declared. */
export type NodeContext<I, O extends Outputs, D extends keyof O> = Simplify<{ input: I } & { [K in D]: O[K] }>;

/** What a `when` predicate returns. */
export type WhenResult = boolean | Promise<boolean>;

/** A `when` predicate over a node's context. */
export type WhenPredicate<C, R extends WhenResult = WhenResult> = (ctx: C, options: NodeRunOptions) => R;

/** The string values a dependency's output may take (its paths, for a `.branch`). */
export type PathOf<T> = Extract<NonNullable<T>, string>;

/** `when` as paths of dependencies whose output is a string: `{ route: 'bug' }` (none without dependencies). */
export type WhenPaths<O extends Outputs, D extends keyof O> = [D] extends [never]
  ? never
  : { [K in D]?: PathOf<O[K]> | readonly PathOf<O[K]>[] };

/**
 * What `when` takes in the typed builder: a predicate, or paths of dependencies (keys that are not dependencies
 * are refused). `W` is inferred from it.
 */
export type WhenOption<C, O extends Outputs, D extends keyof O, W> =
  | WhenPredicate<C, W & WhenResult>
  | (W & WhenPaths<O, NoInfer<D>> & { [K in Exclude<keyof W, D>]: never });

/** The outputs type of a workflow. */
export type OutputsOf<W> = W extends Workflow<any, infer O, any, any> ? O : never;

/** The answers type of a workflow: what `sy.resume` accepts, by node path. */
export type AnswersOf<W> = W extends Workflow<any, any, any, infer A> ? A : never;

/** The answers of a workflow with those of a nested one (at `Id`) added under their path. */
export type WithAnswers<A extends Outputs, Id extends string, Nested> = [keyof Nested] extends [never]
  ? A
  : Simplify<A & { [K in keyof Nested as K extends string ? `${Id}/${K}` : never]: Nested[K] }>;

/** Rejects duplicate and reserved ids at compile time (the message shows in the error). */
export type NewNodeId<Id extends string, O extends Outputs> = Id extends 'input'
  ? "'input' is reserved: it names the workflow input in callbacks"
  : string extends keyof O
    ? Id
    : Id extends keyof O
      ? `duplicate node id '${Id}'`
      : Id;

/**
 * Whether a node may be skipped: it has a `when`, or every node it depends on may be skipped (a node with at
 * least one dependency that ran is never skipped for a `when`).
 */
export type IsSkippable<W, D extends string, S extends string> = [W] extends [never]
  ? [D] extends [never]
    ? false
    : [Exclude<D, S>] extends [never]
      ? true
      : false
  : true;

/** The outputs map with one more node; a skippable node's output is `T | undefined`. */
export type WithNode<O extends Outputs, Id extends string, T, Skip extends boolean> = Simplify<
  O & { [K in Id]: Skip extends true ? T | undefined : T }
>;

/** The skippable ids after adding a node. */
export type WithSkip<S extends string, Id extends string, Skip extends boolean> = Skip extends true ? S | Id : S;

/** The message of the compile-time error for an `after` entry that is not a node added before this one. */
export type NotAnEarlierNode<Id extends string> =
  `'${Id}' is not an earlier node: \`after\` may name only nodes added before this one`;

/**
 * An `after` entry, checked: an id of a node added before this one, or else the message of a compile-time error
 * (`NotAnEarlierNode`). The builder types each node's context from the nodes before it, so a node can wait only
 * for those; a later or unknown id would otherwise fail with a bare "not assignable" error.
 */
export type AfterEntry<D extends string, O extends Outputs> = D extends keyof O ? D : NotAnEarlierNode<D>;
