export { aiSdk } from './ai-sdk.js';
export type { AiSdkOptions } from './ai-sdk.js';
