import type { Redis, RedisOptions } from 'ioredis';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { defaultOf, loadOptional } from '../durable/load-optional.js';

/** A Redis connection: a `redis://` URL, ioredis options, or an ioredis client you own. */
export type RedisConnection = string | RedisOptions | Redis;

function isClient(connection: RedisConnection): connection is Redis {
  return typeof connection === 'object' && typeof (connection as Redis).evalsha === 'function';
}

/**
 * Options switchyard sets on the clients it creates: a command fails (rather than queueing for ever) when Redis
 * stays unreachable, so work waiting on Redis ends with a typed error instead of hanging.
 */
const FAIL_FAST: RedisOptions = { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 5_000 };

/** Opens (or adopts) an ioredis client. `owned` says whether switchyard must close it. */
export async function openRedis(connection: RedisConnection, what: string): Promise<{ client: Redis; owned: boolean }> {
  if (isClient(connection)) return { client: connection, owned: false };
  const module = await loadOptional('ioredis@6', what, () => import('ioredis'));
  const RedisClass = (module as { Redis?: typeof Redis }).Redis ?? defaultOf<typeof Redis>(module);
  const client =
    typeof connection === 'string' ? new RedisClass(connection, FAIL_FAST) : new RedisClass({ ...FAIL_FAST, ...connection });
  client.on('error', () => {}); // failures reach callers as typed errors; an unhandled 'error' event would crash
  return { client, owned: true };
}

/** Any failure to talk to Redis as a SwitchyardError of kind 'store_unavailable' (retryable). */
export function storeUnavailable(error: unknown, what: string): SwitchyardError {
  if (SwitchyardError.isInstance(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new SwitchyardError({
    kind: 'store_unavailable',
    retryable: true,
    message: `Redis could not ${what}: ${reason}. Check that Redis is running and reachable at the configured URL.`,
    cause: error,
  });
}

/** Runs a Redis operation, turning its failure into a typed error. */
export async function viaRedis<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storeUnavailable(error, what);
  }
}
