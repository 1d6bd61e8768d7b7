import type { ConnectionOptions } from 'bullmq';
import type { RedisConnection } from '../redis/redis-connection.js';

/**
 * A switchyard Redis connection as BullMQ connection options (BullMQ opens its own clients from it; its blocking
 * connections need `maxRetriesPerRequest: null`). A client you pass is used as is.
 */
export function bullConnection(connection: RedisConnection): ConnectionOptions {
  if (typeof connection === 'string') return { url: connection, maxRetriesPerRequest: null };
  if (typeof (connection as { duplicate?: unknown }).duplicate === 'function') return connection as ConnectionOptions;
  return { ...(connection as object), maxRetriesPerRequest: null } as ConnectionOptions;
}
