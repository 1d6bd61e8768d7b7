import { PDF, resolveAttachment, textFileContent } from './attachment.js';
import { attachmentTokensOf, type AttachmentModel } from './attachment-tokens.js';
import type { ContentPart, Message, MessageContent, OutputSpec, TextPart, ToolSpec } from './types.js';
import { utf8Bytes } from './utf8-bytes.js';

/** What token counting reads of a request (a `ModelRequest` fits). */
export interface TokenCountRequest {
  system?: string;
  messages: readonly Message[];
  tools?: readonly ToolSpec[];
  output?: OutputSpec;
}

/** Tokens a provider adds around the texts of a request: chat markup, and the rendering of tools and schemas. */
export interface Framing {
  perMessage: number;
  reply: number;
  tools: number;
  perTool: number;
  output: number;
}

/** OpenAI's chat format: 3 tokens per message plus its role, 3 to prime the reply; tools and schemas estimated. */
export const CHAT_FRAMING: Framing = { perMessage: 3, reply: 3, tools: 12, perTool: 8, output: 8 };

/**
 * Allowances above every provider's framing, for the bound. OpenAI documents 3 tokens per message and 3 to prime
 * the reply; Anthropic's tool-use system prompt is documented at up to ~350 tokens, and providers render tool
 * definitions and output schemas into their own prompt formats (the renderings documented and observed are shorter
 * than the JSON they come from, which is counted in full). These allowances cost a fraction of a cent to reserve.
 */
export const BOUND_FRAMING: Framing = { perMessage: 8, reply: 8, tools: 600, perTool: 32, output: 256 };

/** Tokens of one text under some measure (its UTF-8 bytes, its o200k count, ...). */
export type TextMeasure = (text: string) => number;

const json = (value: unknown): string => JSON.stringify(value) ?? '';

/**
 * The texts of a message's content under a measure: the string, or each text part and each text file as it is
 * sent (its text framed with its name and type, see `textFileContent`). Images and PDFs are not text: their
 * tokens are their provider's bound for the model (`attachmentTokensOf`), added by whoever knows the model.
 */
function measureContent(content: MessageContent | readonly TextPart[], measure: TextMeasure): number {
  if (typeof content === 'string') return measure(content);
  let total = 0;
  for (const part of content as readonly ContentPart[]) {
    if (part.type === 'text') total += measure(part.text);
    else if (part.type === 'file') {
      const attachment = resolveAttachment(part);
      if (typeof attachment !== 'string' && attachment.mediaType !== PDF) total += measure(textFileContent(attachment));
    }
  }
  return total;
}

function measureMessage(message: Message, measure: TextMeasure, framing: Framing): number {
  let total = framing.perMessage + measure(message.role) + measureContent(message.content, measure);
  if (message.role === 'tool') total += measure(message.toolCallId) + measure(message.toolName);
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      total += framing.perMessage + measure(call.id) + measure(call.name) + measure(json(call.args));
    }
  }
  return total;
}

/**
 * The tokens of a request's texts under a measure and a framing: the system prompt and every message (content,
 * role, tool calls and results), tool definitions and the output schema as their JSON text, plus the framing's
 * tokens around them. Images and PDFs are counted apart, per model (see `measureContent`).
 */
export function measureRequest(request: TokenCountRequest, measure: TextMeasure, framing: Framing): number {
  let total = framing.reply;
  if (request.system !== undefined && request.system.length > 0) {
    total += framing.perMessage + measure('system') + measure(request.system);
  }
  for (const message of request.messages) total += measureMessage(message, measure, framing);
  if (request.tools !== undefined && request.tools.length > 0) {
    total += framing.tools;
    for (const tool of request.tools) total += framing.perTool + measure(json(tool));
  }
  if (request.output !== undefined) {
    total += framing.output + measure(request.output.name) + measure(json(request.output.schema));
  }
  return total;
}

/**
 * An upper bound on the input tokens of a request for any model whose tokenizer is byte-level BPE (OpenAI's
 * o200k_base and cl100k_base; the Claude and Gemini tokenizers work on bytes or characters with byte fallback):
 * the UTF-8 bytes of every text sent, plus `BOUND_FRAMING`, plus each image's and PDF's bound by the model's
 * provider's published rules (`attachmentTokens`; without a model, the largest any provider's rules give). No
 * tokenizer is loaded; it runs at about 1 GB/s.
 *
 * Why no input can beat it: byte-level BPE starts from one token per byte, and every merge joins two adjacent
 * tokens into one, so the tokens of a text partition its bytes into non-empty parts and there are at most as
 * many tokens as bytes. tiktoken applies this to each piece its pattern splits the text into; the pieces
 * partition the text, so the bound holds for the whole text. A tokenizer over characters with byte fallback
 * emits at most one token per character or per byte, and a character is at least one byte. Text that spells a
 * special token (`<|endoftext|>`) is sent and encoded as ordinary text, so the same holds. The only tokens not
 * covered by the bytes are the provider's framing, which the allowances cover.
 * @example inputTokenBound({ messages }, defaultCatalog.get('gpt-5.5')) // what a budget reserves for gpt-5.5's input
 */
export function inputTokenBound(request: TokenCountRequest, model?: AttachmentModel): number {
  return measureRequest(request, utf8Bytes, BOUND_FRAMING) + attachmentTokensOf(model, request.messages);
}

/** A token per four UTF-8 bytes, rounded up: the estimate's measure. */
export const quarterBytes: TextMeasure = (text) => Math.ceil(utf8Bytes(text) / 4);

/**
 * A realistic estimate of a request's input tokens without a tokenizer: a token per four UTF-8 bytes (o200k
 * averages about 4.5 bytes per token on English prose, 3–4 on code and on CJK text) in OpenAI's chat framing.
 * Images and PDFs count their bound, as in `inputTokenBound`. For rate limits, which providers count by an
 * estimate of their own, and for the simulated provider's usage. Never above `inputTokenBound`.
 */
export function inputTokenEstimate(request: TokenCountRequest, model?: AttachmentModel): number {
  return measureRequest(request, quarterBytes, CHAT_FRAMING) + attachmentTokensOf(model, request.messages);
}
