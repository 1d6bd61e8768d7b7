import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // Limits for a hung test, not for speed: on a loaded 2-core machine a test that spawns processes or builds the
    // tokenizer may take many times its usual time, and no test may fail for that (timings belong in bench/).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Starts a loopback redis-server for the Redis and BullMQ tests (see test/setup/redis.ts); makes sure Chromium is
    // installed for the report's browser test (see test/setup/chromium.ts).
    globalSetup: ['./test/setup/redis.ts', './test/setup/chromium.ts'],
  },
});
