/** What the first bytes of a file say about it. */
export interface SniffedMedia {
  /** The media type the bytes carry, e.g. 'image/png', 'application/pdf'; undefined when unrecognized. */
  mediaType?: string;
  /** Image width and height in pixels, when the header tells them (PNG, JPEG, GIF, WebP). */
  width?: number;
  height?: number;
}

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  at + length > bytes.length ? '' : String.fromCharCode(...bytes.subarray(at, at + length));
const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const le16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const le24 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const be32 = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;

const sized = (mediaType: string, width: number, height: number): SniffedMedia =>
  width > 0 && height > 0 ? { mediaType, width, height } : { mediaType };

function png(b: Uint8Array): SniffedMedia | undefined {
  if (b.length < 8 || be32(b, 0) !== 0x89504e47 || be32(b, 4) !== 0x0d0a1a0a) return undefined;
  return ascii(b, 12, 4) === 'IHDR' && b.length >= 24 ? sized('image/png', be32(b, 16), be32(b, 20)) : { mediaType: 'image/png' };
}

function gif(b: Uint8Array): SniffedMedia | undefined {
  const magic = ascii(b, 0, 6);
  if (magic !== 'GIF87a' && magic !== 'GIF89a') return undefined;
  return b.length >= 10 ? sized('image/gif', le16(b, 6), le16(b, 8)) : { mediaType: 'image/gif' };
}

// Start-of-frame markers carry the frame's size (all but DHT C4, JPG C8 and DAC CC in C0-CF).
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

/** Walks the JPEG markers up to the first start-of-frame, which holds the height then the width. */
function jpeg(b: Uint8Array): SniffedMedia | undefined {
  if (b.length < 3 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return undefined;
  let at = 2;
  while (at + 3 < b.length) {
    if (b[at] !== 0xff) return { mediaType: 'image/jpeg' };
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (SOF.has(marker) && at + 8 < b.length) return sized('image/jpeg', be16(b, at + 7), be16(b, at + 5));
    if (marker === 0xd9 || marker === 0xda) break;
    at += 2 + be16(b, at + 2);
  }
  return { mediaType: 'image/jpeg' };
}

/** WebP: lossy ('VP8 '), lossless ('VP8L') and extended ('VP8X') headers each store the size their own way. */
function webp(b: Uint8Array): SniffedMedia | undefined {
  if (ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return undefined;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30) return sized('image/webp', le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return sized('image/webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X' && b.length >= 30) return sized('image/webp', le24(b, 24) + 1, le24(b, 27) + 1);
  return { mediaType: 'image/webp' };
}

const HEIF_BRANDS: Readonly<Record<string, string>> = {
  heic: 'image/heic', heix: 'image/heic', hevc: 'image/heic', heim: 'image/heic', heis: 'image/heic',
  mif1: 'image/heif', msf1: 'image/heif', heif: 'image/heif',
};

function heif(b: Uint8Array): SniffedMedia | undefined {
  if (ascii(b, 4, 4) !== 'ftyp') return undefined;
  const mediaType = HEIF_BRANDS[ascii(b, 8, 4)];
  return mediaType === undefined ? undefined : { mediaType };
}

/** A PDF starts with `%PDF-` (readers accept it anywhere in the first 1024 bytes). */
function pdf(b: Uint8Array): SniffedMedia | undefined {
  const head = ascii(b, 0, Math.min(b.length, 1024));
  return head.includes('%PDF-') ? { mediaType: 'application/pdf' } : undefined;
}

const SNIFFERS = [png, jpeg, gif, webp, heif, pdf];

/**
 * Reads a file's media type from its first bytes, and an image's width and height from its header: PNG (IHDR),
 * JPEG (the first start-of-frame marker), GIF (the logical screen) and WebP (VP8, VP8L, VP8X). HEIC/HEIF and PDF are
 * recognized without sizes. Returns `{}` for anything else. Never throws; reads nothing past the header.
 */
export function sniffMedia(bytes: Uint8Array): SniffedMedia {
  for (const sniff of SNIFFERS) {
    const found = sniff(bytes);
    if (found !== undefined) return found;
  }
  return {};
}
