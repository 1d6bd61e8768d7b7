import type { SwitchyardError } from '../errors/index.js';
import { attachmentInfo, messageAttachments } from '../models/attachment.js';
import { attachmentTokens } from '../models/attachment-tokens.js';
import { textOf } from '../models/content.js';
import { inputTokenEstimate } from '../models/token-bound.js';
import type { ModelEvent, ModelInfo, ModelRequest, Usage } from '../models/types.js';
import { callCancelled, watchCancel } from '../providers/call-cancel.js';
import type { Provider, ProviderCall } from '../providers/types.js';
import { completeReply, type ReplyContext } from './generated-reply.js';
import { ReplyStream, TextRun } from './reply-stream.js';
import { againWord, chunkText, type Fault, type Script, type ScriptAttachment, type ScriptedReply, type ScriptRequestInfo } from './script.js';
import {
  abortedFaultError,
  faultFor,
  httpFaultError,
  reportedUsage,
  streamFaultError,
  type FaultPlan,
  type FaultSite,
} from './simulated-faults.js';

export type { FaultPlan, RandomFaults } from './simulated-faults.js';

/** Options of the simulated provider. */
export interface SimulatedOptions {
  /**
   * Endpoint name, unique within one switchyard instance.
   * @default 'simulated'
   */
  name?: string;
  /**
   * Scripted replies: one reply for every request, a list consumed in request order, or a function of the
   * request. Unset (or past the end of a list): a generated reply — for structured output a JSON value of the
   * schema's shape, otherwise a short sentence naming the model, with a line of generated reasoning when the
   * request sets a reasoning effort. A reply with neither `text` nor `toolCalls` keeps its other settings (usage,
   * timing, fault) and gets generated text. A reply's `reasoning` streams as `reasoning-delta` events first.
   */
  reply?: Script;
  /**
   * Delay before the first chunk, in ms (a reply's own `firstTokenMs` wins).
   * @default 0
   */
  firstTokenMs?: number;
  /**
   * Pacing after the first chunk, in chunks per second (a reply's own `chunkDelayMs` wins). With the defaults no
   * timer is ever set, so benchmarks measure switchyard's overhead alone.
   * @default Infinity
   */
  tokensPerSecond?: number;
  /**
   * Failures to inject: a list by request index, a function of the request, or `{ rate, kinds?, seed? }` for
   * seeded random faults. Takes precedence over a scripted reply's own `fault`.
   * @example
   * faults: [{ type: 'http', status: 429, retryAfter: '1' }]          // the first request is rate limited
   * faults: { rate: 0.2, kinds: [500, { type: 'cut', afterTokens: 2 }], seed: 7 }
   */
  faults?: FaultPlan;
  /**
   * Catalog ids this endpoint serves.
   * @default every catalog model
   */
  models?: readonly string[];
  /**
   * Most calls in flight at once on this endpoint (enforced by the engine).
   * @default unlimited
   */
  maxConcurrency?: number;
}

/** One request the simulated provider received, and how it ended. */
export interface SimulatedRequest {
  /** 0-based arrival index. */
  index: number;
  /** The catalog model id. */
  model: string;
  request: ModelRequest;
  /** 'streaming' while in flight; 'cancelled' when the consumer stopped reading before the end. */
  outcome: 'streaming' | 'ok' | 'error' | 'cancelled';
  /** The fault injected, if any. */
  fault?: Fault;
  /** The error thrown, when `outcome` is 'error'. */
  error?: SwitchyardError;
  /** The text streamed so far. */
  text: string;
  /**
   * The usage of the reply, when the call completed: what it consumed (a `bad-usage` fault reports other figures
   * on the stream, but this stays the truth).
   */
  usage?: Usage;
  /** Text chunks streamed so far (one token each). */
  readonly chunksSent: number;
}

/** The simulated provider: a `Provider` plus the record of the requests it received. */
export interface SimulatedProvider extends Provider {
  readonly family: 'simulated';
  /** Every request received, in arrival order (tests count calls and read outcomes here). */
  readonly requests: SimulatedRequest[];
  /** Forgets recorded requests and restarts request indexes (and so scripts and fault lists) at 0. */
  reset(): void;
}

function requestText(request: ModelRequest): string {
  return request.messages.map((message) => textOf(message.content)).join('\n');
}

/** What a generated reply is made from (the mock server builds the same from the wire). */
function replyContext(model: ModelInfo, request: ModelRequest): ReplyContext {
  const lastUser = textOf(request.messages.filter((message) => message.role === 'user').at(-1)?.content ?? '');
  const reasoning = request.reasoning !== undefined && request.reasoning.effort !== 'none';
  return request.output === undefined ? { model: model.id, lastUser, reasoning } : { model: model.id, lastUser, reasoning, output: request.output.schema };
}

/** The scripted reply for a request (a promise only when the script is a function that returns one). */
function pickReply(script: Script | undefined, info: ScriptRequestInfo, model: ModelInfo, request: ModelRequest): ScriptedReply | Promise<ScriptedReply> {
  if (typeof script === 'function') {
    const reply = script(info);
    return reply instanceof Promise ? reply.then((r) => completeReply(r, replyContext(model, request))) : completeReply(reply, replyContext(model, request));
  }
  const reply = Array.isArray(script) ? (script as readonly ScriptedReply[])[info.index] : (script as ScriptedReply | undefined);
  return completeReply(reply, replyContext(model, request));
}

function sleep(ms: number, call: ProviderCall, site: FaultSite): Promise<void> {
  return new Promise((resolve, reject) => {
    if (callCancelled(call)) return reject(abortedFaultError(site));
    const listening = watchCancel(call, () => {
      clearTimeout(timer);
      reject(abortedFaultError(site));
    });
    const timer = setTimeout(() => {
      listening.off();
      resolve();
    }, ms);
  });
}

/** Never settles unless the call is cancelled; then rejects (kind 'aborted'). */
function untilAborted(call: ProviderCall, site: FaultSite): Promise<never> {
  return new Promise((_, reject) => {
    if (callCancelled(call)) return reject(abortedFaultError(site));
    watchCancel(call, () => reject(abortedFaultError(site)));
  });
}

/** The stream part after a fault point: hang until aborted, or throw what a cut or malformed stream throws. */
async function failMidStream(fault: Fault, call: ProviderCall, site: FaultSite, sent: number) {
  if (fault.type === 'hang') await untilAborted(call, site);
  throw streamFaultError(fault, site, sent);
}

function usageOf(reply: ScriptedReply, model: ModelInfo, request: ModelRequest, outputTokens: number): Usage {
  const scripted = reply.usage ?? {};
  const reasoning = chunkText(reply.reasoning ?? '').length;
  const usage: Usage = {
    inputTokens: scripted.inputTokens ?? inputTokenEstimate(request, model),
    cachedInputTokens: scripted.cachedInputTokens ?? 0,
    cacheWriteTokens: scripted.cacheWriteTokens ?? 0,
    outputTokens: scripted.outputTokens ?? outputTokens + reasoning,
    reasoningTokens: scripted.reasoningTokens ?? reasoning,
  };
  if (scripted.estimated !== undefined) usage.estimated = scripted.estimated;
  return usage;
}

/** Opens the reply: throws the faults that fail before any chunk, returns the chunks. */
function openReply(reply: ScriptedReply, fault: Fault | undefined, site: FaultSite): readonly string[] {
  if (fault?.type === 'http') throw httpFaultError(fault, site);
  if (fault?.type === 'empty') throw streamFaultError(fault, site, 0);
  let chunks = chunked.get(reply);
  if (chunks === undefined || chunks.text !== reply.text) {
    chunks = { text: reply.text, chunks: chunkText(reply.text ?? '') };
    chunked.set(reply, chunks);
  }
  return chunks.chunks;
}

/** A reply's reasoning in word-sized chunks (none for most replies: no work on the hot path). */
function reasoningChunks(reply: ScriptedReply): readonly string[] {
  return reply.reasoning === undefined || reply.reasoning === '' ? [] : chunkText(reply.reasoning);
}

/** The chunks of each reply object's text (a script's fixed reply is chunked once, not per request). */
const chunked = new WeakMap<ScriptedReply, { text: string | undefined; chunks: readonly string[] }>();

/**
 * A request's record. `text` is the chunks sent so far, joined when read: appending per chunk would keep one
 * cons string per chunk alive for the whole stream. Assigning `text` replaces it with a plain value.
 */
class RequestRecord implements SimulatedRequest {
  outcome: SimulatedRequest['outcome'] = 'streaming';
  fault?: Fault;
  error?: SwitchyardError;
  usage?: Usage;
  #chunks: readonly string[] = [];
  #sent = 0;
  #joined = '';
  #joinedAt = 0;
  #assigned: string | undefined;

  constructor(
    readonly index: number,
    readonly model: string,
    readonly request: ModelRequest,
  ) {}

  get text(): string {
    if (this.#assigned !== undefined) return this.#assigned;
    if (this.#sent !== this.#joinedAt) {
      const chunks = this.#chunks;
      // An endless stream goes round its chunks again.
      this.#joined = this.#sent <= chunks.length ? chunks.slice(0, this.#sent).join('') : Array.from({ length: this.#sent }, (_, i) => chunks[i % chunks.length]).join('');
      this.#joinedAt = this.#sent;
    }
    return this.#joined;
  }

  set text(value: string) {
    this.#assigned = value;
  }

  /** The reply's chunks, none sent yet. */
  streaming(chunks: readonly string[]): void {
    this.#chunks = chunks;
  }

  /** `count` chunks have been sent. */
  sent(count: number): void {
    this.#sent = count;
  }

  get chunksSent(): number {
    return this.#sent;
  }

  toJSON(): SimulatedRequest {
    const { index, model, request, outcome, fault, error, text, usage, chunksSent } = this;
    return { index, model, request, outcome, fault, error, text, usage, chunksSent };
  }
}

/** The end of a reply after its text: tool calls, usage, finish (usage counts the tool calls' chunks). */
function endOfReply(call: ProviderCall, reply: ScriptedReply, textChunks: number, record: SimulatedRequest, site: FaultSite): ModelEvent[] {
  let outputTokens = textChunks;
  const events: ModelEvent[] = [];
  const toolCalls = reply.toolCalls ?? [];
  for (const [i, toolCall] of toolCalls.entries()) {
    outputTokens += chunkText(`${toolCall.name} ${JSON.stringify(toolCall.args) ?? ''}`).length;
    const id = toolCall.id ?? `call_${site.index}_${i}`;
    events.push({ type: 'tool-call', call: { id, name: toolCall.name, args: toolCall.args } });
  }
  record.usage = usageOf(reply, call.model, call.request, outputTokens);
  const fault = record.fault;
  events.push({ type: 'usage', usage: fault?.type === 'bad-usage' ? reportedUsage(record.usage, fault.usage) : record.usage });
  events.push({ type: 'finish', reason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop') });
  return events;
}

/** What a script or fault function is told about a request; `text` and `attachments` are made on first read. */
class RequestInfo implements ScriptRequestInfo {
  readonly family = 'simulated';
  #text: string | undefined;
  #attachments: ScriptAttachment[] | undefined;

  constructor(
    readonly catalogModel: ModelInfo,
    readonly index: number,
    readonly body: ModelRequest,
  ) {}

  get model(): string {
    return this.catalogModel.id;
  }

  get text(): string {
    return (this.#text ??= requestText(this.body));
  }

  get attachments(): ScriptAttachment[] {
    this.#attachments ??= messageAttachments(this.body.messages).map((a) => {
      const info = attachmentInfo(a);
      return { ...info, tokens: attachmentTokens(this.catalogModel, info) };
    });
    return this.#attachments;
  }
}

/**
 * An offline provider that serves any catalog model (or only `models`), streaming deterministic replies —
 * scripted or generated — with realistic usage (input estimated by `inputTokenEstimate`, a token per four
 * UTF-8 bytes in OpenAI's chat framing, so no tokenizer is loaded; output = the number of streamed chunks) and failures injected on request: HTTP errors with the kind and
 * Retry-After a real adapter reports, a cut mid-stream, a hang until aborted, an empty or malformed stream.
 * Every wait ends as soon as the call is cancelled (its signal, or the engine's cancellation), which ends the stream
 * with kind 'aborted'.
 * @example
 * const sim = simulated({ reply: [{ fault: { type: 'http', status: 503 } }, { text: 'ok' }] });
 * const sy = createSwitchyard({ providers: [sim] });
 * await sy.generate({ model: 'gpt-5.5', prompt: 'hi' });   // one retry, then 'ok'
 * sim.requests.length                                       // 2
 */
export function simulated(options: SimulatedOptions = {}): SimulatedProvider {
  const allowed = options.models === undefined ? undefined : new Set(options.models);
  const tokensPerSecond = options.tokensPerSecond ?? Infinity;
  const defaultGapMs = Number.isFinite(tokensPerSecond) && tokensPerSecond > 0 ? 1000 / tokensPerSecond : 0;
  const requests: SimulatedRequest[] = [];
  let next = 0;
  const name = options.name ?? 'simulated';

  /** The reply for a request: a promise only when the script is a function that returns one. */
  function replyFor(call: ProviderCall, record: SimulatedRequest, site: FaultSite): ScriptedReply | Promise<ScriptedReply> {
    if (callCancelled(call)) throw abortedFaultError(site);
    const info = new RequestInfo(call.model, record.index, call.request);
    const reply = pickReply(options.reply, info, call.model, call.request);
    const withFault = (r: ScriptedReply) => {
      record.fault = faultFor(options.faults, info) ?? r.fault;
      return r;
    };
    return reply instanceof Promise ? reply.then(withFault) : withFault(reply);
  }

  function stream(call: ProviderCall): AsyncIterable<ModelEvent> {
    return new ReplyStream(events(call));
  }

  async function* events(call: ProviderCall): AsyncGenerator<ModelEvent | TextRun, void> {
    const index = next++;
    const model = call.model.id;
    const record = new RequestRecord(index, model, call.request);
    requests.push(record);
    const site: FaultSite = { provider: name, model, index };
    try {
      const picked = replyFor(call, record, site);
      const reply = picked instanceof Promise ? await picked : picked;
      if (callCancelled(call)) throw abortedFaultError(site);
      const firstTokenMs = reply.firstTokenMs ?? options.firstTokenMs ?? 0;
      const gapMs = reply.chunkDelayMs ?? defaultGapMs;
      const fault = record.fault;
      const chunks = openReply(reply, fault, site);
      record.streaming(chunks);
      if (firstTokenMs > 0) await sleep(firstTokenMs, call, site);
      for (const text of reasoningChunks(reply)) {
        if (callCancelled(call)) throw abortedFaultError(site);
        yield { type: 'reasoning-delta', text };
      }
      const failing = fault !== undefined && fault.type !== 'endless' && fault.type !== 'bad-usage';
      const stopAt = failing ? ((fault as { afterTokens?: number }).afterTokens ?? 0) : Infinity;
      // Unpaced chunks before any fault point stream as one run (see ReplyStream); the loop streams the rest.
      const unpaced = gapMs > 0 ? 0 : Math.min(chunks.length, stopAt);
      const sending = (i: number) => {
        if (callCancelled(call)) return abortedFaultError(site);
        record.sent(i + 1);
        return undefined;
      };
      if (unpaced > 0) yield new TextRun(chunks, unpaced, sending);
      for (let i = unpaced; i < chunks.length; i++) {
        if (i === stopAt && failing) await failMidStream(fault, call, site, i);
        if (i > 0 && gapMs > 0) await sleep(gapMs, call, site);
        if (callCancelled(call)) throw abortedFaultError(site);
        record.sent(i + 1);
        yield { type: 'text-delta', text: chunks[i] ?? '' };
      }
      if (fault?.type === 'endless') {
        for (let i = chunks.length; ; i++) {
          await sleep(fault.chunkDelayMs ?? 20, call, site);
          record.sent(i + 1);
          yield { type: 'text-delta', text: againWord(chunks[i % chunks.length]) };
        }
      }
      if (failing) await failMidStream(fault, call, site, chunks.length);
      for (const event of endOfReply(call, reply, chunks.length, record, site)) {
        if (event.type === 'tool-call' && callCancelled(call)) throw abortedFaultError(site);
        yield event;
      }
      record.outcome = 'ok';
    } catch (error) {
      record.outcome = 'error';
      record.error = error as SwitchyardError;
      throw error;
    } finally {
      if (record.outcome === 'streaming') record.outcome = 'cancelled';
    }
  }

  return {
    name,
    family: 'simulated',
    ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
    requests,
    serves: (model: ModelInfo) => allowed === undefined || allowed.has(model.id),
    stream,
    reset() {
      requests.length = 0;
      next = 0;
    },
  };
}
