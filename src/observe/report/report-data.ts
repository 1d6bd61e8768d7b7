import type { AttachmentInfo } from '../../models/attachment.js';
import type { RunEvent } from '../../run/events.js';
import { MetricsCollector } from '../metrics-collector.js';
import type { MetricsSummary, RunMetrics } from '../metrics-types.js';
import type { ParsedTrace } from '../read-trace.js';
import { parentKey, rollUp, rowKey, rowLabel, type Nesting } from './nested-rows.js';

/** How an attempt ended: served the node, replaced by a retry or a fallback, or the node failed on it. */
export type AttemptOutcome = 'ok' | 'retry' | 'fallback' | 'error' | 'open';

/** One attempt on the timeline: `[start ms, end ms, model index, outcome]`. */
export type AttemptBar = [number, number, number, AttemptOutcome];

/**
 * One node as the report shows it (short keys: a 10,000-node report embeds 10,000 of these). A node of a nested
 * workflow has its own row under the node that holds it; inside a loop body, one row per iteration.
 */
export interface ReportNode {
  /** The node's path (`legal/check`), with `#iteration` inside a loop body (`refine/revise#2`). */
  id: string;
  /** What the row shows: the id, or for a nested row its own id (and iteration). */
  label: string;
  kind: string;
  /** Index into `models` of the node's (first) model; -1 for none. */
  m: number;
  provider?: string;
  status: 'succeeded' | 'failed' | 'cancelled' | 'skipped' | 'pending' | 'running' | 'waiting';
  /** Start and end, ms from the run's start. */
  start?: number;
  end?: number;
  cost: number;
  /** Input, cached input and output tokens. */
  tin: number;
  tcached: number;
  tout: number;
  /** Reasoning tokens (inside `tout`). */
  treason: number;
  retries: number;
  fallbacks: number;
  cached: boolean;
  /** Indexes of the nodes it waits for. */
  deps: number[];
  /** Longest path from a root (roots are level 0). */
  level: number;
  attempts: AttemptBar[];
  error?: string;
  /** The start of the reasoning the node's model streamed (summaries or thinking), when it streamed any. */
  reasoning?: string;
  /** The images and files the node's calls sent, one line each (type, media type, size, hash; at most 5). */
  att?: string[];
  /** For a node of a nested workflow or loop body: the index of the row of the node that holds it. */
  parent?: number;
  /** Nesting depth: 0 at the top. */
  depth: number;
  /** Inside a loop body: the iteration. */
  iteration?: number;
  /** For a loop: the iterations it started. */
  iterations?: number;
  /** For a node waiting for a person: what it asks. */
  prompt?: string;
}

/** How much of a node's reasoning text the report keeps. */
export const REASONING_EXCERPT_CHARS = 600;

/** A point of the budget line: `[ms, spent USD, reserved USD]`. */
export type BudgetPoint = [number, number, number];

/** Everything the report page draws. */
export interface ReportData {
  workflow: string;
  runId: string;
  status: string;
  /** Epoch ms of the run's start, when the trace header gives it. */
  startedAt?: number;
  durationMs: number;
  incomplete: boolean;
  models: string[];
  nodes: ReportNode[];
  metrics: RunMetrics;
  budget: { level?: string; limitUsd?: number; points: BudgetPoint[] };
}

const MAX_BUDGET_POINTS = 1500;

function newNode(id: string, kind: string): ReportNode {
  return { id, label: id, kind, m: -1, status: 'pending', cost: 0, tin: 0, tcached: 0, tout: 0, treason: 0, retries: 0, fallbacks: 0, cached: false, deps: [], level: 0, attempts: [], depth: 0 };
}

const MAX_ATTACHMENT_LINES = 5;

/** "application/pdf · 12 pages · 48,213 bytes · sha256 3f9a0c1b2d4e": what the report shows of an attachment. */
function attachmentLine(a: AttachmentInfo): string {
  const facts = [a.mediaType ?? a.type];
  if (a.pages !== undefined) facts.push(`${a.pages} pages`);
  if (a.width !== undefined) facts.push(`${a.width}×${a.height}`);
  facts.push(a.size === undefined ? (a.source === 'url' ? 'by URL' : `file ${a.fileId}`) : `${a.size.toLocaleString('en-US')} bytes`);
  facts.push(`sha256 ${a.sha256.slice(0, 12)}`);
  return facts.join(' · ');
}

function noteAttachments(node: ReportNode, attachments: readonly AttachmentInfo[]): void {
  const lines = (node.att ??= []);
  for (const a of attachments) {
    const line = attachmentLine(a);
    if (lines.length < MAX_ATTACHMENT_LINES && !lines.includes(line)) lines.push(line);
  }
}

/** Keeps at most `max` points, evenly spread, always with the last one. */
function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out: T[] = [];
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * step)]!);
  out.push(points[points.length - 1]!);
  return out;
}

/** Levels by longest path from the roots (iterative, so a 10,000-deep chain does not overflow the stack). */
function assignLevels(nodes: ReportNode[]): void {
  const state = new Uint8Array(nodes.length); // 0 new, 1 on stack, 2 done
  for (let root = 0; root < nodes.length; root++) {
    if (state[root] === 2) continue;
    const stack = [root];
    while (stack.length > 0) {
      const i = stack[stack.length - 1]!;
      const node = nodes[i]!;
      if (state[i] === 0) {
        state[i] = 1;
        for (const d of node.deps) if (state[d] === 0) stack.push(d);
        continue;
      }
      stack.pop();
      if (state[i] === 2) continue;
      node.level = node.deps.reduce((max, d) => (state[d] === 2 ? Math.max(max, nodes[d]!.level + 1) : max), 0);
      state[i] = 2;
    }
  }
}

class Builder {
  readonly nodes: ReportNode[] = [];
  readonly index = new Map<string, number>();
  readonly models: string[] = [];
  readonly #modelIndex = new Map<string, number>();
  /** The open attempt of each call site (node, item, candidate). */
  readonly #open = new Map<string, AttemptBar>();
  /** The last attempt of each call site, until the next one. */
  readonly #last = new Map<string, AttemptBar>();
  readonly budget: ReportData['budget'] = { points: [] };
  readonly #nesting: Nesting = { loops: new Set() };
  workflow = '';
  status = 'running';
  durationMs = 0;

  node(id: string, kind = 'llm'): ReportNode {
    let i = this.index.get(id);
    if (i === undefined) {
      i = this.nodes.length;
      this.index.set(id, i);
      this.nodes.push(newNode(id, kind));
    }
    return this.nodes[i]!;
  }

  model(id: string): number {
    let i = this.#modelIndex.get(id);
    if (i === undefined) {
      i = this.models.length;
      this.#modelIndex.set(id, i);
      this.models.push(id);
    }
    return i;
  }

  /** The row of an event's node, made (under the row of the node that holds it) on first use. */
  row(e: RunEvent): ReportNode | undefined {
    const key = rowKey(e);
    if (key === undefined) return undefined;
    const known = this.index.has(key);
    const row = this.node(key);
    const up = parentKey(e, this.#nesting);
    if (!known && up !== undefined) {
      const holder = this.node(up);
      row.parent = this.index.get(up);
      row.depth = holder.depth + 1;
      row.label = rowLabel(key);
      if (e.iteration !== undefined && !this.#nesting.loops.has(key)) row.iteration = e.iteration;
    }
    return row;
  }

  event(e: RunEvent): void {
    this.durationMs = Math.max(this.durationMs, e.t);
    if (e.type === 'iteration-start') this.#nesting.loops.add(e.nodeId!);
    const node = this.row(e);
    const site = `${node?.id ?? ''}#${e.item ?? ''}#${e.candidate ?? ''}`;
    switch (e.type) {
      case 'run-start':
        this.workflow = e.workflow;
        return;
      case 'node-start':
        node!.kind = e.kind;
        node!.start = e.t;
        node!.status = 'running';
        return;
      case 'node-route':
        if (node && node.m < 0 && e.model) {
          node.m = this.model(e.model);
          node.provider = e.provider;
        }
        if (node && e.attachments) noteAttachments(node, e.attachments);
        this.#last.delete(site);
        return;
      case 'budget':
        return this.#budget(e, site, node);
      case 'reasoning-delta':
        if (node && (node.reasoning?.length ?? 0) < REASONING_EXCERPT_CHARS) {
          node.reasoning = ((node.reasoning ?? '') + e.text).slice(0, REASONING_EXCERPT_CHARS);
        }
        return;
      case 'node-retry':
      case 'node-fallback': {
        if (node && e.discard) delete node.reasoning;
        const last = this.#last.get(site);
        if (last && last[3] === 'ok') last[3] = e.type === 'node-retry' ? 'retry' : 'fallback';
        if (node && e.type === 'node-retry') node.retries++;
        else if (node) node.fallbacks++;
        return;
      }
      case 'cache-lookup':
        if (node && e.hit) node.cached = true;
        return;
      case 'node-end':
        return this.#end(node!, 'succeeded', e.t);
      case 'node-skip':
        node!.status = 'skipped';
        return;
      case 'node-wait':
        node!.status = 'waiting';
        node!.prompt = e.waiting.map((w) => w.prompt).join('\n');
        return;
      case 'iteration-start':
        node!.iterations = (node!.iterations ?? 0) + 1;
        return;
      case 'node-error':
        this.#end(node!, e.status, e.t);
        node!.error = e.error.message;
        for (const bar of node!.attempts) if (bar[3] === 'open' || (bar === node!.attempts.at(-1) && bar[3] === 'ok')) bar[3] = 'error';
        return;
      case 'run-end':
        this.status = e.status;
        return;
    }
  }

  #end(node: ReportNode, status: ReportNode['status'], t: number): void {
    node.status = status;
    if (node.start !== undefined) node.end = t;
  }

  #budget(e: Extract<RunEvent, { type: 'budget' }>, site: string, node: ReportNode | undefined): void {
    const level = e.levels.find((l) => l.level === 'run' && l.limitUsd !== undefined) ?? e.levels.find((l) => l.limitUsd !== undefined) ?? e.levels.find((l) => l.level === 'run');
    if (level) {
      this.budget.level = level.level;
      if (level.limitUsd !== undefined) this.budget.limitUsd = level.limitUsd;
      this.budget.points.push([e.t, level.spentUsd, level.reservedUsd]);
    }
    if (!node) return;
    if (e.phase === 'reserve') {
      const bar: AttemptBar = [e.t, e.t, this.model(e.model ?? 'unknown'), 'open'];
      node.attempts.push(bar);
      this.#open.set(site, bar);
      return;
    }
    const bar = this.#open.get(site);
    this.#open.delete(site);
    if (bar) {
      bar[1] = e.t;
      bar[3] = 'ok';
      this.#last.set(site, bar);
    }
    if (node.depth > 0) this.#book(node, e);
  }

  /** A nested row's cost and tokens, from its settlements (the metrics have them by node path, not per iteration). */
  #book(node: ReportNode, e: Extract<RunEvent, { type: 'budget' }>): void {
    node.cost += e.amountUsd;
    if (!e.usage) return;
    node.tin += e.usage.inputTokens;
    node.tcached += e.usage.cachedInputTokens;
    node.tout += e.usage.outputTokens;
  }
}

function addMetrics(nodes: readonly ReportNode[], index: ReadonlyMap<string, number>, byNode: Record<string, MetricsSummary>): void {
  for (const [id, slice] of Object.entries(byNode)) {
    const node = nodes[index.get(id) ?? -1];
    if (!node || node.depth > 0) continue;
    node.cost = slice.costUsd;
    node.tin = slice.tokens.input;
    node.tcached = slice.tokens.cachedInput;
    node.tout = slice.tokens.output;
    node.treason = slice.tokens.reasoning;
  }
}

/** Reads a parsed trace into what the report draws: nodes with their attempts, models, metrics, the budget line. */
export function buildReportData(trace: ParsedTrace): ReportData {
  const b = new Builder();
  for (const declared of trace.header?.nodes ?? []) {
    const node = b.node(declared.id, declared.kind);
    if (declared.model) node.m = b.model(declared.model);
  }
  for (const declared of trace.header?.nodes ?? []) {
    const node = b.node(declared.id);
    node.deps = (declared.after ?? []).map((id) => b.index.get(id)).filter((i): i is number => i !== undefined);
  }
  const metrics = new MetricsCollector();
  for (const event of trace.events) {
    metrics.observe(event);
    b.event(event);
  }
  assignLevels(b.nodes);
  const snapshot = metrics.snapshot();
  addMetrics(b.nodes, b.index, snapshot.byNode);
  rollUp(b.nodes);
  if (snapshot.nodes.total === 0) snapshot.nodes.total = b.nodes.length;
  return {
    workflow: b.workflow || trace.header?.workflow || 'run',
    runId: trace.header?.runId ?? trace.events[0]?.runId ?? '',
    status: trace.incomplete ? 'incomplete' : b.status,
    ...(trace.header ? { startedAt: trace.header.startedAt } : {}),
    durationMs: b.durationMs,
    incomplete: trace.incomplete,
    models: b.models,
    nodes: b.nodes,
    metrics: snapshot,
    budget: { ...b.budget, points: thin(b.budget.points, MAX_BUDGET_POINTS) },
  };
}
