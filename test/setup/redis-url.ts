/** The URL of the test Redis server started by test/setup/redis.ts; throws (failing the test) when there is none. */
import { inject } from 'vitest';

export function redisUrl(): string {
  const error = inject('redisError');
  if (error) throw new Error(`No Redis server for this test: ${error}`);
  return inject('redisUrl');
}
