import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts', redis: 'src/redis/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  external: ['openai', '@anthropic-ai/sdk', '@google/genai', 'zod', 'better-sqlite3', 'ioredis', 'bullmq', '@opentelemetry/api'],
});
