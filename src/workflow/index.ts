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
  StepNodeSpec,
  MapItemPrompt,
  MapLlmItem,
  MapRunItem,
  MapNodeSpec,
} from './node-spec.js';
export type {
  NodeDefinition,
  NodeDefinitionBase,
  LlmNodeDefinition,
  StepNodeDefinition,
  MapNodeDefinition,
  MapItemDefinition,
  NodeKind,
  UntypedContext,
} from './node-definition.js';
export type { Outputs, NodeContext, WhenPredicate } from './workflow-types.js';
