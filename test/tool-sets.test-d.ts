import { describe, expectTypeOf, test } from 'vitest';
import { z } from 'zod';
import { jsonSchema, tool, workflow, type ProviderFamily } from '../src/index.js';
import type { McpTool, McpToolSet } from '../src/mcp/index.js';

const input = z.object({});
declare const files: McpToolSet;
declare const github: McpToolSet;

describe('tool sets and JSON Schema tools', () => {
  test('a tool set goes to .agent as it is, or spread beside typed tools of its own', () => {
    workflow({ name: 'w', input }).agent('a', { prompt: 'x', tools: files });
    workflow({ name: 'w', input }).agent('b', {
      prompt: 'x',
      tools: {
        ...files,
        ...github,
        note: {
          parameters: z.object({ text: z.string() }),
          execute: ({ text }) => {
            expectTypeOf(text).toEqualTypeOf<string>();
            return text;
          },
        },
      },
    });
    expectTypeOf(files.close).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf({ ...files }).toEqualTypeOf<{ [name: string]: McpTool }>(); // the tools, without the close() method
  });

  test('an object that only looks like a tool set, or a function as a tool, is a compile error', () => {
    // @ts-expect-error a close method does not make a tool set
    workflow({ name: 'w', input }).agent('a', { prompt: 'x', tools: { close: async () => {} } });
    // @ts-expect-error a tool is { parameters, execute }, not a function
    workflow({ name: 'w', input }).agent('b', { prompt: 'x', tools: { ...files, bad: () => 1 } });
  });

  test('jsonSchema() types execute by its type argument', () => {
    const search = tool({
      parameters: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }),
      execute: (args) => {
        expectTypeOf(args).toEqualTypeOf<{ q: string }>();
        return args.q;
      },
    });
    workflow({ name: 'w', input }).agent('a', { prompt: 'x', tools: { search } });
  });

  test('provider families: the built-in names and any other', () => {
    expectTypeOf<'openai'>().toMatchTypeOf<ProviderFamily>();
    expectTypeOf<'local'>().toMatchTypeOf<ProviderFamily>();
    expectTypeOf<ProviderFamily>().toMatchTypeOf<string>();
  });
});
