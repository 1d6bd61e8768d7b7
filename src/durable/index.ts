export { memoryStore, MemoryCheckpointStore } from './memory-checkpoint-store.js';
export { sqliteStore, SqliteCheckpointStore } from './sqlite-checkpoint-store.js';
export type { SqliteStoreOptions } from './sqlite-checkpoint-store.js';
export type {
  CheckpointStatus,
  CheckpointStore,
  HoldRecord,
  ListRunsFilter,
  NodeCheckpoint,
  NodeShape,
  RunCheckpoint,
  RunSummary,
  SpendRecord,
  StepCheckpoint,
  StoredRun,
  StoredWaiting,
} from './checkpoint-store.js';
