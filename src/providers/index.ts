export { openai } from './openai.js';
export type { OpenAIProviderOptions } from './openai.js';
export type { MaxTokensField } from './openai-request.js';
export { anthropic } from './anthropic.js';
export type { AnthropicProviderOptions } from './anthropic.js';
export { google } from './google.js';
export type { GoogleProviderOptions } from './google.js';
export type { EndpointOptions, Provider, ProviderCall } from './types.js';
export { parseRetryAfter } from './retry-after.js';
