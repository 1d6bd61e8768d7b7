/**
 * A tiny PDF writer for the examples and tests: pages of text lines in Helvetica, one object per page and content
 * stream, a correct cross-reference table. Enough for any PDF reader (and for the providers' PDF support); no
 * fonts embedded, no compression, ASCII text only (anything else becomes '?').
 */
const escape = (line: string) => line.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');

/** The content stream of one page: its lines from the top, 14 points apart. */
function pageStream(lines: readonly string[]): string {
  const shown = lines.map((line, i) => `${i === 0 ? '' : 'T* '}(${escape(line)}) Tj`).join('\n');
  return `BT /F1 11 Tf 14 TL 56 760 Td\n${shown}\nET`;
}

/**
 * A PDF with one page per entry of `pages`, each a list of text lines.
 * @example writeFileSync('out.pdf', makePdf([['Page one'], ['Page two']]));
 */
export function makePdf(pages: ReadonlyArray<readonly string[]>): Uint8Array {
  const objects: string[] = [];
  const font = 3 + pages.length * 2;
  const kids = pages.map((_, i) => `${3 + i * 2} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  pages.forEach((lines, i) => {
    const stream = pageStream(lines);
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${4 + i * 2} 0 R >>`);
    objects.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  });
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
