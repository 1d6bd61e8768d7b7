import { boundedJson } from '../data/bounded-json.js';
import { attachmentInfo, resolveAttachment } from '../models/attachment.js';
import { textOf } from '../models/content.js';
import type { ContentPart, Message, MessageContent, ModelRequest, TextPart } from '../models/types.js';
import type { RunEvent, RunEventOf } from '../run/events.js';
import { siteOf } from './call-site.js';
import type { OtelApi } from './otel-api.js';
import { budgetAttributes, genAiProviderName, totalsAttributes, usageAttributes, type Attributes } from './otel-attributes.js';
import { scrubSecrets } from './scrub-secrets.js';

/** The span methods the bridge calls (any OpenTelemetry `Span`). */
interface SpanLike {
  setAttributes(attributes: Attributes): unknown;
  addEvent(name: string, attributes?: Attributes, time?: number): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(time?: number): void;
}

interface Tracer {
  startSpan(name: string, options?: object, context?: unknown): unknown;
}

interface AttemptSpan {
  span: SpanLike;
  start: number;
  /** `t` of the settlement: the attempt's end (its span ends when what follows is known). */
  settledAt?: number;
  firstChunk?: number;
  text: string;
}

/** What the bridge needs besides the API. */
export interface BridgeContext {
  api: OtelApi;
  tracer: Tracer;
  recordContent: boolean;
  /** The context active when the run was created: the run span's parent. */
  parent: unknown;
  /** Epoch ms of the run's `t = 0`. */
  base: number;
  workflow: string;
  /** Wire family of each endpoint name. */
  families: ReadonlyMap<string, string>;
}

const toParts = (text: string) => [{ type: 'text', content: scrubSecrets(text) }];

/** A message's parts for `gen_ai.input.messages`: text as text, an image or file as its metadata (never its bytes). */
function contentParts(content: MessageContent | readonly TextPart[]): object[] {
  if (typeof content === 'string') return toParts(content);
  return (content as readonly ContentPart[]).map((part) => {
    if (part.type === 'text') return { type: 'text', content: scrubSecrets(part.text) };
    const resolved = resolveAttachment(part);
    return typeof resolved === 'string' ? { type: part.type } : { ...attachmentInfo(resolved), type: part.type };
  });
}

/** Span attributes carry content as JSON, bounded (1 MB, 128 levels: see boundedJson) like the trace. */
function inputMessages(messages: readonly Message[]): string {
  return boundedJson(
    messages.map((m) =>
      m.role === 'tool'
        ? { role: 'tool', parts: [{ type: 'tool_call_response', id: m.toolCallId, response: scrubSecrets(textOf(m.content)) }] }
        : { role: m.role, parts: contentParts(m.content) },
    ),
  );
}

/**
 * Turns one run's events into OpenTelemetry spans: the run (`invoke_workflow <name>`), each started node
 * (`node <id>`, child of the run) and each attempt (`chat <model>`, kind CLIENT, child of its node), with the
 * GenAI semantic-convention attributes and `switchyard.*` attributes for routing, budget and retry causes.
 * Spans carry the events' own times, so they line up with the trace file.
 */
export class OtelRunBridge {
  #run: SpanLike | undefined;
  #runCtx: unknown;
  readonly #nodes = new Map<string, { span: SpanLike; ctx: unknown }>();
  readonly #attempts = new Map<string, AttemptSpan>();
  readonly #routes = new Map<string, Attributes>();
  /** The attempt that started last: a provider call made right after its reservation belongs to it. */
  #latest: AttemptSpan | undefined;

  constructor(private readonly c: BridgeContext) {}

  readonly observe = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-start':
        return this.#startRun(event);
      case 'node-start':
        return this.#startNode(event);
      case 'node-route':
        return this.#route(event);
      case 'budget':
        return event.phase === 'reserve' ? this.#reserve(event) : this.#settle(event);
      case 'text-delta':
      case 'tool-call':
        return this.#chunk(event);
      case 'node-retry':
      case 'node-fallback':
        return this.#replaced(event);
      case 'cache-lookup':
        this.#nodes.get(event.nodeId ?? '')?.span.addEvent('switchyard.response_cache', { hit: event.hit, key: event.key }, this.#time(event.t));
        return;
      case 'node-end':
      case 'node-error':
        return this.#endNode(event);
      case 'circuit':
        this.#run?.addEvent('switchyard.circuit', { endpoint: event.endpoint, model: event.circuitModel, from: event.from, to: event.to, reason: event.reason }, this.#time(event.t));
        return;
      case 'run-end':
        return this.#endRun(event);
    }
  };

  /** Records a request's prompt on the attempt it belongs to (only with `recordContent`). */
  noteInput(request: ModelRequest): void {
    const attempt = this.#latest;
    if (!attempt || !this.c.recordContent) return;
    const attributes: Attributes = { 'gen_ai.input.messages': inputMessages(request.messages) };
    if (request.system) attributes['gen_ai.system_instructions'] = boundedJson(toParts(request.system));
    attempt.span.setAttributes(attributes);
  }

  #time(t: number): number {
    return this.c.base + t;
  }

  #start(name: string, kind: number, t: number, attributes: Attributes, parent: unknown): SpanLike {
    return this.c.tracer.startSpan(name, { kind, startTime: this.#time(t), attributes }, parent) as SpanLike;
  }

  #startRun(event: RunEventOf<'run-start'>): void {
    const { api } = this.c;
    const attributes = { 'gen_ai.operation.name': 'invoke_workflow', 'switchyard.workflow': event.workflow, 'switchyard.run.id': event.runId, 'switchyard.run.nodes': event.nodes };
    this.#run = this.#start(`invoke_workflow ${event.workflow}`, api.SpanKind.INTERNAL, event.t, attributes, this.c.parent);
    this.#runCtx = api.trace.setSpan(this.c.parent, this.#run);
  }

  #startNode(event: RunEventOf<'node-start'>): void {
    const id = event.nodeId ?? '';
    const attributes: Attributes = { 'switchyard.node.id': id, 'switchyard.node.kind': event.kind };
    if (event.iteration !== undefined) attributes['switchyard.loop.iteration'] = event.iteration;
    // A node of a nested workflow (or loop body) is a child of its holding node's span.
    const parent = (event.parent === undefined ? undefined : this.#nodes.get(event.parent)?.ctx) ?? this.#runCtx;
    const span = this.#start(`node ${id}`, this.c.api.SpanKind.INTERNAL, event.t, attributes, parent);
    this.#nodes.set(id, { span, ctx: this.c.api.trace.setSpan(parent, span) });
  }

  #route(event: RunEventOf<'node-route'>): void {
    const site = siteOf(event);
    this.#closeAttempt(site, event.t);
    const attributes: Attributes = {
      'switchyard.route.reason': event.reason,
      'switchyard.route.model': event.model ?? '',
      'switchyard.route.endpoint': event.provider ?? '',
      'switchyard.route.candidates': event.candidates.map((c) => `${c.model}@${c.provider}`),
      'switchyard.route.downgraded': event.downgraded ?? false,
    };
    this.#routes.set(site, attributes);
    this.#nodes.get(event.nodeId ?? '')?.span.setAttributes(attributes);
  }

  #reserve(event: RunEventOf<'budget'>): void {
    const site = siteOf(event);
    this.#closeAttempt(site, event.t);
    const model = event.model ?? 'unknown';
    const endpoint = event.provider ?? '';
    const attributes: Attributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': genAiProviderName(this.c.families.get(endpoint), endpoint),
      'gen_ai.request.model': model,
      'gen_ai.request.stream': true,
      'switchyard.endpoint': endpoint,
      'switchyard.attempt': event.attempt ?? 1,
      ...this.#routes.get(site),
      ...budgetAttributes(event.amountUsd, event.levels),
    };
    if (event.item !== undefined) attributes['switchyard.item'] = event.item;
    const parent = this.#nodes.get(event.nodeId ?? '')?.ctx ?? this.#runCtx;
    const span = this.#start(`chat ${model}`, this.c.api.SpanKind.CLIENT, event.t, attributes, parent);
    const attempt: AttemptSpan = { span, start: event.t, text: '' };
    this.#attempts.set(site, attempt);
    this.#latest = attempt;
  }

  #chunk(event: RunEventOf<'text-delta'> | RunEventOf<'tool-call'>): void {
    const attempt = this.#attempts.get(siteOf(event));
    if (!attempt || attempt.settledAt !== undefined) return;
    if (attempt.firstChunk === undefined) {
      attempt.firstChunk = event.t;
      attempt.span.setAttributes({ 'gen_ai.response.time_to_first_chunk': (event.t - attempt.start) / 1000 });
    }
    if (this.c.recordContent && event.type === 'text-delta') attempt.text += event.text;
  }

  #settle(event: RunEventOf<'budget'>): void {
    const attempt = this.#attempts.get(siteOf(event));
    if (!attempt) return;
    attempt.settledAt = event.t;
    attempt.span.setAttributes({ ...usageAttributes(event.usage), 'switchyard.cost_usd': event.amountUsd, 'gen_ai.response.model': event.model ?? '' });
    if (this.c.recordContent && attempt.text !== '') {
      attempt.span.setAttributes({ 'gen_ai.output.messages': boundedJson([{ role: 'assistant', parts: toParts(attempt.text) }]) });
    }
  }

  #replaced(event: RunEventOf<'node-retry'> | RunEventOf<'node-fallback'>): void {
    const error = event.error;
    const attributes: Attributes =
      event.type === 'node-retry'
        ? { 'switchyard.retry.cause': error?.kind ?? 'unknown', 'switchyard.retry.delay_ms': event.delayMs, 'switchyard.discarded': event.discard }
        : { 'switchyard.fallback.reason': event.reason, 'switchyard.fallback.to': `${event.to.model}@${event.to.provider}`, 'switchyard.discarded': event.discard };
    if (error) attributes['error.type'] = error.kind;
    this.#closeAttempt(siteOf(event), event.t, attributes, error?.message ?? (event.type === 'node-fallback' ? event.reason : undefined));
  }

  /** Ends a site's attempt span, at its settlement time; with `failure` as an error status. */
  #closeAttempt(site: string, t: number, attributes?: Attributes, failure?: string): void {
    const attempt = this.#attempts.get(site);
    if (!attempt) return;
    this.#attempts.delete(site);
    if (attributes) attempt.span.setAttributes(attributes);
    if (failure !== undefined) attempt.span.setStatus({ code: this.c.api.SpanStatusCode.ERROR, message: scrubSecrets(failure) });
    attempt.span.end(this.#time(attempt.settledAt ?? t));
  }

  #closeAttemptsOf(nodeId: string, t: number, failure?: string): void {
    for (const site of [...this.#attempts.keys()]) {
      if (site === nodeId || site.startsWith(`${nodeId}#`)) this.#closeAttempt(site, t, undefined, failure);
    }
  }

  #endNode(event: RunEventOf<'node-end'> | RunEventOf<'node-error'>): void {
    const id = event.nodeId ?? '';
    const failure = event.type === 'node-error' ? event.error.message : undefined;
    this.#closeAttemptsOf(id, event.t, failure);
    const node = this.#nodes.get(id);
    if (!node) return;
    this.#nodes.delete(id);
    const { span } = node;
    if (event.type === 'node-end') {
      span.setAttributes({ ...totalsAttributes(event.usage, event.costUsd), 'switchyard.node.status': 'succeeded', 'switchyard.node.cached': event.cached ?? false });
      span.setStatus({ code: this.c.api.SpanStatusCode.OK });
    } else {
      span.setAttributes({ 'switchyard.node.status': event.status, 'error.type': event.error.kind });
      span.setStatus({ code: this.c.api.SpanStatusCode.ERROR, message: scrubSecrets(event.error.message) });
    }
    span.end(this.#time(event.t));
  }

  #endRun(event: RunEventOf<'run-end'>): void {
    for (const site of [...this.#attempts.keys()]) this.#closeAttempt(site, event.t);
    for (const [id, node] of this.#nodes) {
      node.span.end(this.#time(event.t));
      this.#nodes.delete(id);
    }
    if (!this.#run) return;
    this.#run.setAttributes({ ...totalsAttributes(event.usage, event.costUsd), 'switchyard.run.status': event.status });
    // A run paused for a person is neither done nor in error: its status stays unset.
    if (event.status !== 'waiting') {
      const code = event.status === 'succeeded' ? this.c.api.SpanStatusCode.OK : this.c.api.SpanStatusCode.ERROR;
      this.#run.setStatus(event.status === 'succeeded' ? { code } : { code, message: `run ${event.status}` });
    }
    this.#run.end(this.#time(event.t));
    this.#run = undefined;
  }
}
