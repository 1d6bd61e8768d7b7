import { describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../src/errors/index.js';
import { loadSdk } from '../../src/providers/load-sdk.js';

describe('loadSdk', () => {
  it('loads an installed SDK', async () => {
    const sdk = await loadSdk('openai', () => import('openai'));
    expect(typeof sdk.OpenAI).toBe('function');
  });

  it.each([
    ['openai', 'npm install openai@7'],
    ['@anthropic-ai/sdk', 'npm install @anthropic-ai/sdk@1'],
    ['@google/genai', 'npm install @google/genai@3'],
  ] as const)('a missing %s is a missing_dependency error naming the install command', async (pkg, command) => {
    const missing = 'switchyard-test-package-that-does-not-exist';
    const error = await loadSdk(pkg, () => import(missing)).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error)).toBe(true);
    expect((error as SwitchyardError).kind).toBe('missing_dependency');
    expect((error as SwitchyardError).message).toContain(command);
  });

  it('other import failures pass through unchanged', async () => {
    const boom = new Error('boom');
    await expect(loadSdk('openai', () => Promise.reject(boom))).rejects.toBe(boom);
  });
});
