import { inflateSync } from 'node:zlib';

// Object streams (PDF 1.5+) hide page objects in compressed streams: at most this much is inflated in all, so a
// compression bomb cannot eat the memory (a PDF whose pages cannot be read this way counts as unreadable).
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
const PAGE_OBJECT = /\/Type\s*\/Page(?![A-Za-z])/g;
const PAGES_ROOT = /\/Type\s*\/Pages(?![A-Za-z])/g;
const OBJECT_STREAM = /\/Type\s*\/ObjStm\b/g;
const STREAM_START = /^\s*stream\r?\n/;

/** Where the `<< … >>` dictionary around `at` starts and ends (nested dictionaries balanced), or undefined. */
function enclosingDict(text: string, at: number): { start: number; end: number } | undefined {
  let depth = 0;
  let start = -1;
  for (let i = at; i > 0; i--) {
    if (text[i] === '>' && text[i - 1] === '>') {
      depth++;
      i--;
    } else if (text[i] === '<' && text[i - 1] === '<') {
      if (depth === 0) {
        start = i - 1;
        break;
      }
      depth--;
      i--;
    }
  }
  if (start < 0) return undefined;
  depth = 0;
  for (let i = start; i < text.length - 1; i++) {
    if (text[i] === '<' && text[i + 1] === '<') {
      depth++;
      i++;
    } else if (text[i] === '>' && text[i + 1] === '>') {
      depth--;
      i++;
      if (depth === 0) return { start, end: i + 1 };
    }
  }
  return undefined;
}

/** The page objects and the largest `/Count` of a page-tree node found in one stretch of PDF text. */
function countIn(text: string): { objects: number; count: number } {
  const objects = text.match(PAGE_OBJECT)?.length ?? 0;
  let count = 0;
  for (const match of text.matchAll(PAGES_ROOT)) {
    const dict = enclosingDict(text, match.index);
    const n = dict === undefined ? undefined : /\/Count\s+(\d+)/.exec(text.slice(dict.start, dict.end))?.[1];
    if (n !== undefined) count = Math.max(count, Number(n));
  }
  return { objects, count };
}

/** The text of every compressed object stream, or undefined when inflating would pass the limit. */
function objectStreams(text: string, bytes: Uint8Array): string[] | undefined {
  const out: string[] = [];
  let inflated = 0;
  for (const match of text.matchAll(OBJECT_STREAM)) {
    const dict = enclosingDict(text, match.index);
    if (dict === undefined || !/\/FlateDecode/.test(text.slice(dict.start, dict.end))) continue;
    const opening = STREAM_START.exec(text.slice(dict.end, dict.end + 16));
    const start = dict.end + (opening?.[0].length ?? 0);
    const end = text.indexOf('endstream', start);
    if (opening === null || end < 0) continue;
    if (inflated >= MAX_INFLATED_BYTES) return undefined;
    try {
      const data = inflateSync(bytes.subarray(start, end), { maxOutputLength: MAX_INFLATED_BYTES - inflated });
      inflated += data.length;
      out.push(data.toString('latin1'));
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
      // a damaged stream: its pages (if any) stay uncounted, and the page tree's /Count still speaks for them
    }
  }
  return out;
}

/**
 * How many pages a PDF has, read from its bytes without rendering it: the larger of the page tree's `/Count` and
 * the number of page objects (`/Type /Page`), including those inside compressed object streams. Taking the larger
 * errs on the side of more pages (a page left behind by an incremental update still counts). Undefined when
 * neither is found (not a PDF, encrypted, or damaged): budgets then assume the provider's page limit.
 */
export function pdfPageCount(bytes: Uint8Array): number | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let { objects, count } = countIn(text);
  const streams = objectStreams(text, bytes);
  if (streams === undefined) return undefined;
  for (const stream of streams) {
    const found = countIn(stream);
    objects += found.objects;
    count = Math.max(count, found.count);
  }
  const pages = Math.max(objects, count);
  return pages > 0 ? pages : undefined;
}
