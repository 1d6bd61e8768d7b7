import { sampleFromSchema } from './schema-sample.js';
import type { ScriptedReply } from './script.js';

/** What a generated reply is made from: the same facts whether `simulated()` or the mock server answers. */
export interface ReplyContext {
  /** The catalog model id (the mock server maps a wire id back to it when the default catalog knows it). */
  model: string;
  /** The text of the last user message. */
  lastUser: string;
  /** The JSON Schema of a structured-output request. */
  output?: Record<string, unknown>;
  /** Whether the request asks the model to reason (an effort other than 'none'). */
  reasoning: boolean;
}

function gist(ctx: ReplyContext): string {
  return ctx.lastUser.trim().split(/\s+/).slice(0, 8).join(' ');
}

/** The generated text: for structured output a JSON value of the schema's shape, else a sentence naming the model. */
export function generatedText(ctx: ReplyContext): string {
  if (ctx.output !== undefined) return JSON.stringify(sampleFromSchema(ctx.output));
  const about = gist(ctx);
  return `Simulated reply from ${ctx.model}${about === '' ? '' : ` to: ${about}`}.`;
}

/** The generated reasoning of a request that asks for reasoning. */
export function generatedReasoning(ctx: ReplyContext): string | undefined {
  if (!ctx.reasoning) return undefined;
  const about = gist(ctx);
  return `Simulated reasoning of ${ctx.model}${about === '' ? '' : ` about: ${about}`}.`;
}

/**
 * A reply with content: the scripted one; generated text (and reasoning, when asked for) where the script gives
 * none; a scripted reply with neither `text` nor `toolCalls` keeps its other settings (usage, timing, fault).
 */
export function completeReply(reply: ScriptedReply | undefined, ctx: ReplyContext): ScriptedReply {
  if (reply !== undefined && (reply.text !== undefined || reply.toolCalls !== undefined)) return reply;
  const reasoning = reply?.reasoning ?? generatedReasoning(ctx);
  const text = generatedText(ctx);
  return reasoning === undefined ? { ...reply, text } : { ...reply, text, reasoning };
}
