import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Starts a loopback redis-server for the Redis and BullMQ tests (see test/setup/redis.ts); makes sure Chromium is
    // installed for the report's browser test (see test/setup/chromium.ts).
    globalSetup: ['./test/setup/redis.ts', './test/setup/chromium.ts'],
  },
});
