export { simulated } from './simulated.js';
export type { FaultPlan, RandomFaults, SimulatedOptions, SimulatedProvider, SimulatedRequest } from './simulated.js';
export { startMockServer } from './mock-server/index.js';
export type { MockServer, MockServerOptions, RecordedRequest } from './mock-server/index.js';
export { ManualClock } from '../retry/manual-clock.js';
export { chunkText } from './script.js';
export type { Fault, Script, ScriptAttachment, ScriptedReply, ScriptRequestInfo } from './script.js';
export { seededRandom } from './seeded-random.js';
