export { tool } from './agent-tool.js';
export type { AgentTool, AgentTools, AgentToolsInput, ToolRunOptions } from './agent-tool.js';
export type { ToolSet } from './tool-set.js';
export { verifiers, extractCode, testFeedback } from './verifiers.js';
export type { RunTestsOptions } from './verifiers.js';
export type { Verifier, VerifyContext, VerifyOptions } from './verifier.js';
export type { CascadeOptions, CascadeTier } from './cascade-tier.js';
export type {
  EnsembleCandidateOf,
  EnsembleMember,
  EnsembleMerge,
  EnsembleMergeOptions,
  EnsembleMergeStrategy,
  EnsembleOutput,
  EnsembleReducer,
  JudgeOptions,
} from './ensemble-types.js';
export type {
  AgentStep,
  AgentToolRecord,
  CascadeReport,
  CascadeTierRecord,
  EnsembleCandidate,
  EnsembleMergeRecord,
  NodeDetail,
  Verdict,
  VerifyRound,
} from './node-detail.js';
export type { CallMeter, CallPlace, CallTags, NodeIO, StepLog } from './node-io.js';
export type { ToolApprovalAnswer, ToolDecision } from './tool-approval.js';
