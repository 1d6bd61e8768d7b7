import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Starts a loopback redis-server for the Redis and BullMQ tests (see test/setup/redis.ts).
    globalSetup: ['./test/setup/redis.ts'],
  },
});
