export { bullmq } from './bullmq-executor.js';
export type { BullmqExecutor, BullmqExecutorOptions } from './bullmq-executor.js';
export { createWorker } from './create-worker.js';
export type { SwitchyardWorker, WorkerOptions } from './create-worker.js';
export type { NodeExecutor } from './node-executor.js';
export type { NodeJobData } from './node-job.js';
export { runWorkerCommand, WORKER_USAGE } from './worker-command.js';
export type { WorkerApp } from './worker-command.js';
