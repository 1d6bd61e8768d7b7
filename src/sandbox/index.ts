export { runInSandbox } from './run-in-sandbox.js';
export { sandboxSupport } from './sandbox-support.js';
export type { SandboxSupport } from './sandbox-support.js';
export type { SandboxEnforcement, SandboxOptions, SandboxResult, SandboxStatus } from './sandbox-options.js';
