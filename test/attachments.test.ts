/** Content parts before any wire: validation, resolution (sniffing, sizes, pages), token bounds. */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makePdf } from '../examples/tiny-pdf.js';
import { checkMessages } from '../src/call/validate-messages.js';
import { attachmentTokens, MAX_PDF_PAGES, PDF_TEXT_TOKENS_PER_PAGE } from '../src/models/attachment-tokens.js';
import { resolveAttachment, type Attachment } from '../src/models/attachment.js';
import { sniffMedia } from '../src/models/media-sniff.js';
import { pdfPageCount } from '../src/models/pdf-pages.js';
import { countTokens, defaultCatalog, SwitchyardError, textOf, type Message } from '../src/index.js';
import { gifHeader, jpegHeader, makePng, webpHeader } from './fixtures/media.js';

const png = makePng(64, 32);
const pdf = makePdf([['Page one'], ['Page two'], ['Page three']]);

function resolved(part: Parameters<typeof resolveAttachment>[0]): Attachment {
  const out = resolveAttachment(part);
  if (typeof out === 'string') throw new Error(out);
  return out;
}

function refusal(messages: unknown): string {
  try {
    checkMessages(messages as Message[]);
  } catch (error) {
    expect(SwitchyardError.isInstance(error)).toBe(true);
    expect((error as SwitchyardError).kind).toBe('invalid_request');
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('sniffing media types and sizes from headers', () => {
  it('reads PNG, JPEG, GIF and WebP sizes and recognizes PDFs', () => {
    expect(sniffMedia(makePng(300, 200))).toEqual({ mediaType: 'image/png', width: 300, height: 200 });
    expect(sniffMedia(jpegHeader(640, 480))).toEqual({ mediaType: 'image/jpeg', width: 640, height: 480 });
    expect(sniffMedia(gifHeader(10, 20))).toEqual({ mediaType: 'image/gif', width: 10, height: 20 });
    expect(sniffMedia(webpHeader(1000, 700))).toEqual({ mediaType: 'image/webp', width: 1000, height: 700 });
    expect(sniffMedia(pdf)).toEqual({ mediaType: 'application/pdf' });
    expect(sniffMedia(Buffer.from('hello'))).toEqual({});
    expect(sniffMedia(new Uint8Array(0))).toEqual({});
  });

  it('never throws on truncated headers', () => {
    const full = makePng(10, 10);
    for (let n = 0; n < 40; n++) expect(() => sniffMedia(full.subarray(0, n))).not.toThrow();
    for (let n = 0; n < 25; n++) expect(() => sniffMedia(jpegHeader(5, 5).subarray(0, n))).not.toThrow();
  });
});

describe('PDF page counts', () => {
  it('counts the pages of a generated PDF, whose cross-reference table is correct', () => {
    expect(pdfPageCount(pdf)).toBe(3);
    const text = Buffer.from(pdf).toString('latin1');
    const offsets = [...text.matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    offsets.forEach((offset, i) => expect(text.slice(offset)).toMatch(new RegExp(`^${i + 1} 0 obj\\n`)));
  });

  it('finds pages hidden in a compressed object stream', () => {
    const inside = deflateSync(Buffer.from('<< /Type /Page /Parent 3 0 R >> << /Type /Page /Parent 3 0 R >> << /Type /Pages /Kids [1 0 R 2 0 R] /Count 2 >>'));
    const head = Buffer.from(`%PDF-1.7\n4 0 obj\n<< /Filter /FlateDecode /Type /ObjStm /N 3 /First 12 /Length ${inside.length} >>\nstream\n`, 'latin1');
    const bytes = Buffer.concat([head, inside, Buffer.from('\nendstream\nendobj\n%%EOF\n', 'latin1')]);
    expect(pdfPageCount(bytes)).toBe(2);
  });

  it('is undefined when no page can be read', () => {
    expect(pdfPageCount(Buffer.from('%PDF-1.7\n% nothing here\n%%EOF'))).toBeUndefined();
  });
});

describe('resolving parts', () => {
  it('accepts bytes, base64, data: URLs and https: URLs, with the same hash for the same bytes', () => {
    const fromBytes = resolved({ type: 'image', image: png });
    const fromBase64 = resolved({ type: 'image', image: png.toString('base64') });
    const fromDataUrl = resolved({ type: 'image', image: `data:image/png;base64,${png.toString('base64')}` });
    expect(fromBytes).toMatchObject({ type: 'image', source: 'bytes', mediaType: 'image/png', width: 64, height: 32, size: png.length });
    expect(fromBase64.sha256).toBe(fromBytes.sha256);
    expect(fromDataUrl.sha256).toBe(fromBytes.sha256);
    expect(fromBase64.base64()).toBe(png.toString('base64'));
    const url = resolved({ type: 'image', image: new URL('https://example.com/cat.png') });
    expect(url).toMatchObject({ source: 'url', url: 'https://example.com/cat.png' });
    expect(url.mediaType).toBeUndefined();
    const file = resolved({ type: 'file', data: pdf, mediaType: 'application/pdf', filename: 'a.pdf' });
    expect(file).toMatchObject({ type: 'file', mediaType: 'application/pdf', pages: 3, filename: 'a.pdf' });
    expect(resolved({ type: 'file', data: { fileId: 'file-1', provider: 'openai' }, mediaType: 'application/pdf' })).toMatchObject({ source: 'file-id', fileId: 'file-1', provider: 'openai' });
  });

  it('keeps bytes and URLs out of what it shows', () => {
    const info = JSON.stringify(resolved({ type: 'image', image: png }));
    expect(info).not.toContain(png.toString('base64').slice(0, 24));
    expect(JSON.stringify(resolved({ type: 'image', image: 'https://bucket.example.com/x.png?X-Signature=secret' }))).not.toContain('secret');
  });
});

describe('checking messages', () => {
  it('names the message, the part and why', () => {
    expect(refusal([{ role: 'user', content: 42 }])).toBe('Invalid messages[0].content: content must be a string or a non-empty array of parts.');
    expect(refusal([{ role: 'user', content: [] }])).toContain('non-empty array of parts');
    expect(refusal([{ role: 'user', content: 'hi' }, { role: 'user', content: [{ type: 'text', text: 7 }] }])).toBe(
      'Invalid messages[1].content[0].text: text must be a string.',
    );
    expect(refusal([{ role: 'user', content: [{ type: 'video', url: 'x' }] }])).toBe("Invalid messages[0].content[0].type: must be 'text', 'image' or 'file'.");
    expect(refusal([{ role: 'user', content: [{ type: 'image', image: 12 }] }])).toContain('messages[0].content[0].image: must be bytes');
    expect(refusal([{ role: 'user', content: [{ type: 'image', image: Buffer.from('not an image') }] }])).toBe(
      'Invalid messages[0].content[0] (image): its bytes are not a PNG, JPEG, GIF, WebP or HEIC/HEIF image.',
    );
    expect(refusal([{ role: 'user', content: [{ type: 'image', image: png, mediaType: 'image/jpeg' }] }])).toContain('its mediaType says image/jpeg but the bytes are image/png');
    expect(refusal([{ role: 'user', content: [{ type: 'image', image: 'http://example.com/a.png' }] }])).toContain('only https: URLs');
    expect(refusal([{ role: 'user', content: [{ type: 'image', image: 'not base64!' }] }])).toContain('must be base64, a data: URL or an https: URL');
    expect(refusal([{ role: 'user', content: [{ type: 'file', data: pdf }] }])).toContain('a file part needs a mediaType');
    expect(refusal([{ role: 'user', content: [{ type: 'file', data: png, mediaType: 'application/pdf' }] }])).toContain('the bytes are not a PDF');
    expect(refusal([{ role: 'user', content: [{ type: 'file', data: pdf, mediaType: 'application/msword' }] }])).toContain("'application/msword' is not supported");
    expect(refusal([{ role: 'assistant', content: [{ type: 'image', image: png }] }])).toContain('assistant messages carry text only');
    expect(refusal([{ role: 'tool', content: 'x' }])).toContain('toolCallId and toolName');
  });

  it('turns text files into text parts and keeps images and PDFs as they are', () => {
    const image = { type: 'image' as const, image: png };
    const messages = checkMessages([
      { role: 'user', content: [{ type: 'file', data: Buffer.from('a,b\n1,2'), mediaType: 'text/csv', filename: 'data.csv' }, image] },
    ]);
    const content = messages[0]!.content as unknown[];
    expect(content[0]).toEqual({ type: 'text', text: '<file name="data.csv" type="text/csv">\na,b\n1,2\n</file>' });
    expect(content[1]).toBe(image);
    expect(textOf(messages[0]!.content)).toContain('1,2');
  });
});

describe('attachment token bounds', () => {
  const gpt55 = defaultCatalog.get('gpt-5.5');
  const nano = defaultCatalog.get('gpt-5.4-nano');
  const claude = defaultCatalog.get('claude-sonnet-4-6');
  const gemini = defaultCatalog.get('gemini-3.1-pro');
  const image = (width?: number, height?: number) => ({ type: 'image' as const, width, height });

  it('OpenAI: 32-px patches of the image fitted in 2048×2048, at most 2,500, times the model multiplier', () => {
    expect(attachmentTokens(gpt55, image(1024, 1024))).toBe(8 + Math.ceil((1024 * 162) / 100));
    expect(attachmentTokens(nano, image(1024, 1024))).toBe(8 + Math.ceil((1024 * 246) / 100));
    expect(attachmentTokens(gpt55, image(8000, 8000))).toBe(8 + 4050);
    expect(attachmentTokens(gpt55, image())).toBe(8 + 4050); // a URL image: the maximum
  });

  it('Anthropic: ⌈w/28⌉ × ⌈h/28⌉ (or w·h/750) after fitting 2,576 px and 3.75 MP, at most 4,784', () => {
    expect(attachmentTokens(claude, image(280, 280))).toBe(8 + Math.max(100, Math.ceil((280 * 280) / 750)));
    expect(attachmentTokens(claude, image(10_000, 10_000))).toBe(8 + 4784);
    expect(attachmentTokens(claude, image())).toBe(8 + 4784);
  });

  it('Gemini 3: 1,120 per image and 560 per PDF page at the default media resolution', () => {
    expect(attachmentTokens(gemini, image(100, 100))).toBe(8 + 1120);
    expect(attachmentTokens(gemini, { type: 'file', mediaType: 'application/pdf', pages: 10 })).toBe(8 + 5600);
  });

  it('PDFs: pages × (page image + text), the provider page limit when the pages are unknown', () => {
    const perPage = 4050 + PDF_TEXT_TOKENS_PER_PAGE;
    expect(attachmentTokens(gpt55, { type: 'file', mediaType: 'application/pdf', pages: 3 })).toBe(8 + 3 * perPage);
    expect(attachmentTokens(gpt55, { type: 'file', mediaType: 'application/pdf' })).toBe(8 + MAX_PDF_PAGES.openai * perPage);
    expect(attachmentTokens(claude, { type: 'file', mediaType: 'application/pdf', pages: 1 })).toBe(8 + 4784 + PDF_TEXT_TOKENS_PER_PAGE);
    // 600 unknown pages would not fit Claude's window: the bound is what the window holds beside the largest output.
    const opus = defaultCatalog.get('claude-opus-4-7');
    expect(attachmentTokens(opus, { type: 'file', mediaType: 'application/pdf' })).toBe(8 + opus.contextWindow - opus.maxOutputTokens);
  });

  it('a PDF by URL or file id may declare its pages; bytes are counted instead', () => {
    const byUrl = resolved({ type: 'file', data: 'https://example.com/a.pdf', mediaType: 'application/pdf', pages: 12 });
    expect(byUrl.pages).toBe(12);
    expect(resolved({ type: 'file', data: pdf, mediaType: 'application/pdf', pages: 99 }).pages).toBe(3);
    expect(refusal([{ role: 'user', content: [{ type: 'file', data: 'https://example.com/a.pdf', mediaType: 'application/pdf', pages: 0 }] }])).toBe(
      'Invalid messages[0].content[0].pages: pages must be a positive whole number.',
    );
  });

  it('countTokens adds them to the text, unscaled by the tokenizer factor', () => {
    const text: Message[] = [{ role: 'user', content: 'Describe.' }];
    const withImage: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'Describe.' }, { type: 'image', image: png }] }];
    expect(countTokens(gpt55, { messages: withImage }) - countTokens(gpt55, { messages: text })).toBe(attachmentTokens(gpt55, image(64, 32)));
    expect(countTokens(claude, { messages: withImage }) - countTokens(claude, { messages: text })).toBe(attachmentTokens(claude, image(64, 32)));
  });
});
