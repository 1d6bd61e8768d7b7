/**
 * The docs test's own parts (test/docs/*), on small inputs: they find every block (indented ones too) with its
 * marker, merge imports without hiding a clash, and flag commands that do not exist — so a doc cannot pass the
 * docs test by being skipped or misread.
 */
import { describe, expect, test } from 'vitest';
import { buildProgram } from './docs/doc-program.js';
import { parseDoc } from './docs/markdown-blocks.js';
import { root } from './docs/run-doc.js';
import { shCommands } from './docs/sh-commands.js';

const fence = '```';

describe('parseDoc', () => {
  test('finds fenced blocks at any indentation, with their language, skip marker and the hidden setup', () => {
    const doc = parseDoc('x.md', [
      '# Title', '<!-- doc-test: setup', 'const providers = [];', '-->',
      `${fence}ts`, 'one();', fence,
      '1. a list item:', '', `   ${fence}ts`, '   two();', '     nested();', `   ${fence}`,
      '<!-- doc-test: skip — an event, shown -->', `${fence}text`, '{ type }', fence,
      `${fence}${fence.slice(0, 1)}`, `${fence}sh`, 'inside a longer fence', `${fence}${fence.slice(0, 1)}`,
      fence, 'no language', fence,
    ].join('\n'));
    expect(doc.setup.trim()).toBe('const providers = [];');
    expect(doc.blocks.map((b) => [b.lang, b.code, b.skip])).toEqual([
      ['ts', 'one();', undefined],
      ['ts', 'two();\n  nested();', undefined],
      ['text', '{ type }', 'an event, shown'],
      ['', `${fence}sh\ninside a longer fence`, undefined],
      ['', 'no language', undefined],
    ]);
    expect(doc.blocks.map((b) => b.line)).toEqual([5, 10, 15, 18, 22]);
  });
});

describe('buildProgram', () => {
  const steps = (...codes: string[]) => codes.map((code, i) => ({ index: i + 1, where: `x.md:${i}`, code }));

  test('hoists and merges the imports of every block; each block is nested in the ones before it', () => {
    const program = buildProgram(
      "import { z } from 'zod';",
      steps("import { z } from 'zod';\nimport { a, type B } from 'pkg';\nconst x = a;", "import { b as c } from 'pkg';\nconst x = c; // shadows"),
      (spec) => `resolved:${spec}`,
    );
    expect(program.split('\n').filter((l) => l.startsWith('import'))).toEqual([
      "import { z } from 'resolved:zod';",
      "import { a, type B, b as c } from 'resolved:pkg';",
    ]);
    expect(program.indexOf('const x = a;')).toBeLessThan(program.indexOf('const x = c;'));
    expect(program).toMatch(/\{ __docs\.enter\(1\);[\s\S]*\{ __docs\.enter\(2\);[\s\S]*__docs\.enter\(-1\);\n\}\}\}\n$/);
  });

  test('a name imported from two modules is an error, not a silent pick', () => {
    expect(() => buildProgram('', steps("import { x } from 'a';", "import { x } from 'b';"), (s) => s)).toThrow("`x` is imported from both 'a' and 'b'");
  });
});

describe('shCommands', () => {
  const problems = (code: string) => shCommands(root, code).map((c) => (c.kind === 'checked' ? c.problem : 'runs'));

  test('npm scripts and the lock file must exist', () => {
    expect(problems('npm ci && npm test\nnpm run demo   # a comment')).toEqual([undefined, undefined, undefined]);
    expect(problems('npm run no-such-script')).toEqual(["package.json has no script 'no-such-script'"]);
  });

  test('install lines name this package or its (peer) dependencies, at majors the ranges admit', () => {
    expect(problems('npm install switchyard-ai zod openai@7 @google/genai@3')).toEqual([undefined]);
    expect(problems('npm install left-pad')).toEqual(["'left-pad' is neither switchyard-ai nor one of its dependencies or peer dependencies"]);
    expect(problems('npm install openai@5')[0]).toMatch(/^'openai@5': switchyard-ai declares openai@'\^6/);
  });

  test('npx switchyard runs; benchmark scripts must exist with their flags; anything else needs a rule', () => {
    expect(problems('npx switchyard report run.jsonl')).toEqual(['runs']);
    expect(problems('npx tsx bench/run.ts --quick --no-write')).toEqual([undefined]);
    expect(problems('npx tsx bench/run.ts --no-such-flag')).toEqual(['bench/run.ts does not mention no-such-flag']);
    expect(problems('curl https://example.com')[0]).toMatch(/no rule for this command/);
  });
});
