import { PDF, resolveAttachment, type AttachmentInfo } from './attachment.js';
import type { ContentPart, Message, ModelInfo } from './types.js';

/*
 * Upper bounds on the input tokens of an image or a PDF, by provider, from each provider's published rules (read
 * 2026-12-06). Budgets reserve these; settlement then charges what the provider reports. Where a rule depends on
 * what the bytes do not say (a URL image's size, an unreadable PDF's pages), the provider's maximum is used.
 *
 * OpenAI (developers.openai.com/api/docs/guides/images-vision, …/guides/pdf-files): GPT-5.x models count images in
 * 32×32-pixel patches times a per-model multiplier. switchyard sends every image with `detail: 'high'`, which fits
 * the image in 2048×2048 and caps it at 2,500 patches. The published multipliers of the family are 1.62 (mini) and
 * 2.46 (nano); users measured 1.2 on gpt-5.4 and its mini and nano. Bound: 2.46 for nano models, 1.62 for the others.
 * A PDF page is its extracted text plus an image of the page; 100 pages per request at most.
 *
 * Anthropic (platform.claude.com/docs/en/build-with-claude/vision, …/pdf-support): an image costs ⌈w/28⌉ × ⌈h/28⌉
 * tokens (earlier docs: w × h / 750; the larger is used) after resizing to the model's native size — at most 2,576
 * px on the long edge and 4,784 tokens on Opus 4.7 (the largest of any Claude model; earlier models stop near
 * 1,600). A PDF page costs its text (1,500–3,000 tokens per page, as published) plus its page image; 600 pages at most.
 *
 * Google (ai.google.dev/gemini-api/docs/media-resolution, …/docs/tokens): Gemini 3 spends at most 1,120 tokens per
 * image and 560 per PDF page at the default media resolution (which switchyard leaves unset); Gemini 1.x/2.x count
 * images as 258 tokens per 768×768 tile (258 for images within 384×384) and 258 per PDF page; 1,000 pages at most.
 */

/** Text tokens one PDF page may add beside its page image: the top of Anthropic's published 1,500–3,000 range. */
export const PDF_TEXT_TOKENS_PER_PAGE = 3_000;
/** Tokens of framing each attachment adds (its block or part markers). */
const FRAMING = 8;

const OPENAI_PATCH = 32;
const OPENAI_MAX_SIDE = 2048;
const OPENAI_MAX_PATCHES = 2_500;
const ANTHROPIC_PATCH = 28;
const ANTHROPIC_MAX_EDGE = 2_576;
const ANTHROPIC_MAX_PIXELS = 3_750_000;
const ANTHROPIC_MAX_IMAGE = 4_784;
const GEMINI_IMAGE = 1_120;
const GEMINI_TILE = 258;
const GEMINI_PAGE = 560;

/** Most PDF pages each provider reads in one request: the bound for a PDF whose pages cannot be counted. */
export const MAX_PDF_PAGES: Readonly<Record<'openai' | 'anthropic' | 'google', number>> = { openai: 100, anthropic: 600, google: 1_000 };

/** What an attachment's bound reads of a model: its provider and id, and its window for a PDF of unknown length. */
export type AttachmentModel = Pick<ModelInfo, 'id' | 'provider'> & Partial<Pick<ModelInfo, 'contextWindow' | 'maxOutputTokens'>>;
type Model = AttachmentModel;
type Size = { width: number; height: number };

/** Scales a size down (never up) so it fits `maxSide` × `maxSide` and `maxPixels`. */
function fit({ width, height }: Size, maxSide: number, maxPixels = Infinity): Size {
  const scale = Math.min(1, maxSide / Math.max(width, height), Math.sqrt(maxPixels / (width * height)));
  return { width: Math.max(1, Math.floor(width * scale)), height: Math.max(1, Math.floor(height * scale)) };
}

/** The patch multiplier in hundredths (integers: 2,500 × 1.62 must be 4,050, not 4,050.0000000000005). */
function openaiMultiplier(model: Model): number {
  return /nano/.test(model.id) ? 246 : 162;
}

function openaiImage(model: Model, size: Size | undefined): number {
  let patches = OPENAI_MAX_PATCHES;
  if (size !== undefined) {
    const fitted = fit(size, OPENAI_MAX_SIDE);
    patches = Math.min(OPENAI_MAX_PATCHES, Math.ceil(fitted.width / OPENAI_PATCH) * Math.ceil(fitted.height / OPENAI_PATCH));
  }
  return Math.ceil((patches * openaiMultiplier(model)) / 100);
}

function anthropicImage(size: Size | undefined): number {
  if (size === undefined) return ANTHROPIC_MAX_IMAGE;
  const { width, height } = fit(size, ANTHROPIC_MAX_EDGE, ANTHROPIC_MAX_PIXELS);
  const patches = Math.ceil(width / ANTHROPIC_PATCH) * Math.ceil(height / ANTHROPIC_PATCH);
  return Math.min(ANTHROPIC_MAX_IMAGE, Math.max(patches, Math.ceil((width * height) / 750)));
}

const isOlderGemini = (model: Model) => /gemini-(1|2)(\b|\.)/.test(model.id);

function googleImage(model: Model, size: Size | undefined): number {
  if (!isOlderGemini(model)) return GEMINI_IMAGE;
  // Gemini 1.x/2.x: no published cap; an image of unknown size is bounded as a 3072×3072 one (16 tiles).
  const { width, height } = size ?? { width: 3072, height: 3072 };
  if (width <= 384 && height <= 384) return GEMINI_TILE;
  return Math.max(GEMINI_IMAGE, Math.ceil(width / 768) * Math.ceil(height / 768) * GEMINI_TILE);
}

/**
 * Tokens of one image for this model's provider. A model of another family (an AI SDK endpoint, a hub's own
 * family) has no published rule here: the most any of the three rules gives, so the bound still holds.
 */
function imageTokens(model: Model, size: Size | undefined): number {
  switch (model.provider) {
    case 'openai':
      return openaiImage(model, size);
    case 'anthropic':
      return anthropicImage(size);
    case 'google':
      return googleImage(model, size);
    default:
      return Math.max(openaiImage(model, size), anthropicImage(size), googleImage(model, size));
  }
}

/** The provider's PDF page limit; for another family, the largest of the three. */
function maxPdfPages(model: Model): number {
  return Object.hasOwn(MAX_PDF_PAGES, model.provider) ? MAX_PDF_PAGES[model.provider as keyof typeof MAX_PDF_PAGES] : Math.max(...Object.values(MAX_PDF_PAGES));
}

/** Tokens of one PDF page at most: its page image plus its text (Gemini 3 counts the page as one image). */
function pdfPageTokens(model: Model): number {
  if (model.provider === 'google') return GEMINI_PAGE;
  return imageTokens(model, undefined) + PDF_TEXT_TOKENS_PER_PAGE;
}

/**
 * The most input tokens an attachment can cost on this model's provider: an image by the provider's rule for
 * its size (its maximum when the size is unknown), a PDF as pages × the per-page maximum (when the pages cannot be
 * counted or are not declared: the provider's page limit, capped by the model's window less its largest output).
 * Text files are sent as text and counted as text, not here.
 * @example attachmentTokens({ id: 'gpt-5.5', provider: 'openai' }, { type: 'image', width: 1024, height: 1024, … }) // 1659 + 8
 */
export function attachmentTokens(model: Model, attachment: Pick<AttachmentInfo, 'type' | 'mediaType' | 'width' | 'height' | 'pages'>): number {
  if (attachment.type === 'image') {
    const size = attachment.width && attachment.height ? { width: attachment.width, height: attachment.height } : undefined;
    return FRAMING + imageTokens(model, size);
  }
  if (attachment.mediaType !== PDF) return 0;
  if (attachment.pages !== undefined) return FRAMING + attachment.pages * pdfPageTokens(model);
  return FRAMING + Math.min(maxPdfPages(model) * pdfPageTokens(model), roomFor(model));
}

/**
 * The most input a request to this model can bill while leaving room for its largest output: a PDF of unknown
 * length can cost no more (a longer one is refused by the provider, unbilled). The reservation stays a true worst
 * case: input beyond this would only displace output, which bills at a higher price.
 */
function roomFor(model: Model): number {
  return model.contextWindow === undefined ? Infinity : Math.max(1, model.contextWindow - (model.maxOutputTokens ?? 0));
}

/**
 * Stand-ins for the costliest model of each provider family (OpenAI's nano multiplier, Gemini 1.x/2.x tiles, no
 * window to cap a PDF of unknown length): the bound for a request whose model is not known yet.
 */
const COSTLIEST: readonly Model[] = [
  { id: 'nano', provider: 'openai' },
  { id: 'claude', provider: 'anthropic' },
  { id: 'gemini-2', provider: 'google' },
];

/**
 * Attachment tokens of every image and PDF in the messages, for this model — or, without one, the largest any
 * provider's rules give. Token counting adds them to the text (see `inputTokenBound`). A part that cannot be
 * resolved counts nothing here: the request is refused before any call.
 */
export function attachmentTokensOf(model: Model | undefined, messages: readonly Message[]): number {
  let total = 0;
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content as readonly ContentPart[]) {
      if (part.type === 'text') continue;
      const attachment = resolveAttachment(part);
      if (typeof attachment === 'string') continue;
      total += model ? attachmentTokens(model, attachment) : Math.max(...COSTLIEST.map((m) => attachmentTokens(m, attachment)));
    }
  }
  return total;
}
