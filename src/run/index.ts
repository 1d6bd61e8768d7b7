export { startRun } from './engine.js';
export type { EngineHost } from './engine-host.js';
export type { Run, RunOptions, RunResult, NodeResult, NodeStatus, ModelTotals, RunError, RunEventHandler } from './run-types.js';
export type { FlowDetail, LoopIteration } from './flow-detail.js';
export type {
  RunEvent,
  RunEventBase,
  RunEventPayload,
  RunEventType,
  RunEventOf,
  RunStatus,
  StampedPayload,
  WaitingEntry,
  BudgetFigures,
  RouteCandidate,
} from './events.js';
