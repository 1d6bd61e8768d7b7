export { RedisBudgetLedger } from './redis-budget-ledger.js';
export type { RedisBudgetLedgerOptions } from './redis-budget-ledger.js';
export type { RedisConnection } from './redis-connection.js';
export { redisShared } from './redis-shared.js';
export type { RedisShared, RedisSharedOptions } from './redis-shared.js';
export { bullmq, createWorker, runWorkerCommand } from '../executor/index.js';
export type { BullmqExecutor, BullmqExecutorOptions, NodeExecutor, NodeJobData, SwitchyardWorker, WorkerApp, WorkerOptions } from '../executor/index.js';
