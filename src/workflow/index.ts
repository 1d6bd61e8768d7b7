export { workflow, WorkflowBuilder } from './workflow.js';
export type { Workflow, WorkflowConfig, UntypedWorkflowConfig } from './workflow.js';
export { compileWorkflow } from './compile-workflow.js';
export type { CompiledWorkflow } from './compile-workflow.js';
export type {
  ErrorPolicy,
  NodeRunOptions,
  MapItemOptions,
  NodeOptionsBase,
  LlmPrompt,
  LlmNodeSpec,
  AgentNodeSpec,
  AgentOptions,
  EnsembleNodeSpec,
  EnsembleMembers,
  StepNodeSpec,
  MapItemPrompt,
  MapLlmItem,
  MapRunItem,
  MapNodeSpec,
  WorkflowNodeSpec,
  LoopNodeSpec,
  LoopInputOptions,
  BranchNodeSpec,
  ApprovalNodeSpec,
  WhenMatch,
} from './node-spec.js';
export type {
  NodeDefinition,
  NodeDefinitionBase,
  LlmNodeDefinition,
  AgentNodeDefinition,
  EnsembleNodeDefinition,
  VerifiedNodeFields,
  StepNodeDefinition,
  MapNodeDefinition,
  MapItemDefinition,
  WorkflowNodeDefinition,
  LoopNodeDefinition,
  BranchNodeDefinition,
  ApprovalNodeDefinition,
  NodeKind,
  UntypedContext,
} from './node-definition.js';
export type { Outputs, NodeContext, WhenPredicate, WhenPaths, OutputsOf, AnswersOf } from './workflow-types.js';
