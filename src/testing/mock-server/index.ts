export { startMockServer } from './server.js';
export type { MockServer, MockServerOptions, RecordedRequest } from './types.js';
