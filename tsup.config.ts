import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', redis: 'src/redis/index.ts', mcp: 'src/mcp/index.ts', 'ai-sdk': 'src/ai-sdk/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: they would point at src/, which is not shipped; dist is unminified and readable as it is.
  sourcemap: false,
  clean: true,
  target: 'node22',
  splitting: true,
  treeshake: true,
  // Keep the node: prefix: node:sqlite has no bare name.
  removeNodeProtocol: false,
  external: ['openai', '@anthropic-ai/sdk', '@google/genai', 'zod', 'ioredis', 'bullmq', '@opentelemetry/api', '@modelcontextprotocol/sdk', '@ai-sdk/provider'],
});
