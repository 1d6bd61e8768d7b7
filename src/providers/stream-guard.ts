import { SwitchyardError } from '../errors/switchyard-error.js';
import type { ModelEvent } from '../models/types.js';
import type { CallContext } from './call-context.js';
import { abortedError, toSwitchyardError } from './http-error.js';
import { MIN_CONTENT_SECRET_LENGTH, SecretRedactor } from './redact.js';
import type { ProviderCall } from './types.js';

/** The call context minus the parts the guard creates (signal, abort state). */
export type CallContextBase = Omit<CallContext, 'signal' | 'callerAborted'>;

/**
 * Runs one adapter stream under the contract every provider keeps:
 * - the HTTP request is aborted when the caller aborts (`call.signal` or `request.signal`) and when the consumer
 *   stops reading (the loop breaks, or an error is thrown), through an internal controller aborted in `finally`
 *   unless the adapter's stream ran to its end (the response was read in full: nothing left to abort);
 * - every failure leaves as a `SwitchyardError` (SDK errors mapped);
 * - the endpoint's secrets (its configured key, in every form: see `secretForms`) are removed from every string
 *   that leaves: error messages, request ids, causes and codes, and — for keys of 16 characters or more, which
 *   every real API key is — streamed text (even split across deltas) and tool calls;
 * - the stream ends with exactly one `finish`, or throws.
 */
export async function* guardedStream(
  call: ProviderCall,
  base: CallContextBase,
  body: (ctx: CallContext) => AsyncIterable<ModelEvent>,
): AsyncGenerator<ModelEvent, void, undefined> {
  const internal = new AbortController();
  const callerSignals = [call.signal, call.request.signal].filter((s): s is AbortSignal => s !== undefined);
  const ctx: CallContext = {
    ...base,
    signal: AbortSignal.any([internal.signal, ...callerSignals]),
    callerAborted: () => callerSignals.some((s) => s.aborted),
  };
  if (ctx.callerAborted()) throw abortedError(ctx);
  const redactor = new SecretRedactor(base.secrets);
  const content = new SecretRedactor(base.secrets, MIN_CONTENT_SECRET_LENGTH);
  const text = content.textStream();
  let finished = false;
  // Whether the body ran to its end: its response was read in full, so there is no request left to abort.
  let drained = false;
  try {
    read: {
      for await (const event of body(ctx)) {
        if (finished) break read; // content after the finish: stop reading, and abort the request below
        if (event.type === 'finish') finished = true;
        if (!content.active) {
          yield event;
        } else if (event.type === 'text-delta') {
          const released = text.push(event.text);
          if (released !== '') yield { ...event, text: released };
        } else {
          const held = text.flush();
          if (held !== '') yield { type: 'text-delta', text: held };
          yield content.value(event);
        }
      }
      drained = true;
    }
    if (!finished) throw streamEndedError(ctx, 0);
  } catch (error) {
    throw redactor.error(toSwitchyardError(error, ctx));
  } finally {
    // Aborting a finished request costs a DOMException, and the SDK and undici cancel a body already read.
    if (!drained) internal.abort();
  }
}

/**
 * The error for a stream that ended without a finish reason: an empty 200, or a connection that closed cleanly
 * part-way. Never a silent success. `chunks` is how many stream chunks arrived before the end.
 */
export function streamEndedError(ctx: CallContext, chunks: number): SwitchyardError {
  if (ctx.callerAborted()) return abortedError(ctx);
  const what =
    chunks === 0
      ? `returned an empty stream (HTTP 200 with no events)`
      : `ended the stream after ${chunks} chunk(s) without a finish reason (connection cut?)`;
  return new SwitchyardError({
    kind: 'network',
    retryable: true,
    provider: ctx.provider,
    model: ctx.model,
    message: `${ctx.provider} ${what} for model ${ctx.model}; the reply is incomplete, so the call failed.`,
  });
}

/** The error for an endpoint with no API key, raised at call time (never at factory time). */
export function missingKeyError(ctx: CallContextBase): SwitchyardError {
  return new SwitchyardError({
    kind: 'auth',
    retryable: false,
    provider: ctx.provider,
    model: ctx.model,
    message:
      `No API key for endpoint '${ctx.provider}': set ${ctx.envVar} or pass apiKey to the provider factory. ` +
      `An endpoint given an explicit baseURL does not read the environment, so your key never goes to another ` +
      `host by accident (a local server that needs no key accepts any placeholder).`,
  });
}

/**
 * Called by an adapter when the SDK stream is done: the finish reason it saw, or the right error (aborted by the
 * caller, or ended without a finish).
 */
export function finishedOrThrow<R>(ctx: CallContext, finish: R | undefined, chunks: number): R {
  if (ctx.callerAborted()) throw abortedError(ctx);
  if (finish === undefined) throw streamEndedError(ctx, chunks);
  return finish;
}
