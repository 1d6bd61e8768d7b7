/**
 * The fenced code blocks of a markdown file, with what the docs test needs to know about each: its language, where
 * it is, and the `doc-test` marker written on the line before it, if any. Also the doc's hidden setup code.
 *
 * Markers are HTML comments (invisible on GitHub and npm):
 *   <!-- doc-test: skip — why this block cannot run -->     on the line right before a fence
 *   <!-- doc-test: setup
 *   code that defines what the doc leaves to the reader (your providers, your workflow)
 *   -->                                                      anywhere in the doc; runs before its first block
 */
import { readFileSync } from 'node:fs';

export interface CodeBlock {
  /** 'README.md' or 'docs/<name>.md'. */
  file: string;
  /** 1-based position among the file's blocks. */
  index: number;
  /** 1-based line of the opening fence. */
  line: number;
  /** The first word of the fence's info string ('' when there is none). */
  lang: string;
  code: string;
  /** Set by a `<!-- doc-test: skip — reason -->` on the line before the fence. */
  skip?: string;
}

export interface DocFile {
  file: string;
  blocks: CodeBlock[];
  /** The code of `<!-- doc-test: setup ... -->` comments, in order. */
  setup: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const SKIP = /<!--\s*doc-test:\s*skip\s*[—:-]\s*(.+?)\s*-->\s*$/;

/** A closing fence: only the opening fence's character, at least as many of them. */
function closes(line: string, fence: string): boolean {
  const t = line.trim();
  return t.length >= fence.length && [...t].every((c) => c === fence[0]);
}

/** Removes the fence's indentation from each line of a block (blocks inside list items are indented). */
function dedent(lines: string[], indent: number): string {
  return lines.map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n');
}

export function parseDoc(file: string, text: string): DocFile {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !closes(lines[j]!, fence!)) body.push(lines[j++]!);
    const skip = SKIP.exec(lines[i - 1] ?? '')?.[1];
    blocks.push({ file, index: blocks.length + 1, line: i + 1, lang: lang ?? '', code: dedent(body, indent!.length), ...(skip ? { skip } : {}) });
    i = j;
  }
  const setup = [...text.matchAll(/<!--\s*doc-test:\s*setup\s*\n([\s\S]*?)-->/g)].map((m) => m[1]!).join('\n');
  return { file, blocks, setup };
}

export function readDoc(root: string, file: string): DocFile {
  return parseDoc(file, readFileSync(`${root}/${file}`, 'utf8'));
}
