/**
 * Any provider family name: a catalog entry `{ provider: 'local' }` is valid and is served by the endpoint named
 * 'local' (a native endpoint serves its own family's models and those named after it); a model no endpoint serves
 * says which endpoint to add.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createCatalog, createSwitchyard, defaultCatalog, openai, SwitchyardError, type ModelOverride } from '../src/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';

const house: ModelOverride = {
  provider: 'local',
  contextWindow: 32_000,
  maxOutputTokens: 2_000,
  pricing: { input: 0, output: 0, source: 'self-hosted', asOf: '2026-05-01' },
  capabilities: { tools: true, structuredOutput: true, vision: false, reasoning: false },
  tasks: ['chat'],
};

const servers: MockServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('provider families', () => {
  test('any endpoint name is a valid provider; an empty or odd one is refused with what a name may hold', () => {
    expect(createCatalog(defaultCatalog, { 'house-model': house }).get('house-model').provider).toBe('local');
    for (const provider of ['', 'has space', 42]) {
      expect(() => createCatalog(defaultCatalog, { bad: { ...house, provider } as ModelOverride })).toThrow(
        expect.objectContaining({
          kind: 'invalid_config',
          message: expect.stringContaining("provider ('openai', 'anthropic', 'google', or the name of the endpoint that serves it"),
        }),
      );
    }
  });

  test("an endpoint named 'local' serves the catalog's 'local' models beside its own family's", async () => {
    const server = await startMockServer({ text: 'from the house' });
    servers.push(server);
    const local = openai({ name: 'local', baseURL: server.openaiBaseURL, apiKey: 'k' });
    const catalog = createCatalog(defaultCatalog, { 'house-model': house });
    expect(local.serves(catalog.get('house-model'))).toBe(true);
    expect(local.serves(catalog.get('gpt-5.4'))).toBe(true);
    expect(local.serves(catalog.get('claude-opus-4-7'))).toBe(false);
    const answer = await createSwitchyard({ catalog, providers: [local] }).generate({ model: 'house-model', prompt: 'hi' });
    expect(answer).toMatchObject({ text: 'from the house', provider: 'local', model: 'house-model', costUsd: 0 });
    expect(server.requests[0]!.model).toBe('house-model');
  });

  test('a model of a family no endpoint is named after: the refusal says which endpoint would serve it', async () => {
    const server = await startMockServer({ text: 'x' });
    servers.push(server);
    const catalog = createCatalog(defaultCatalog, { 'house-model': house });
    const sy = createSwitchyard({ catalog, providers: [openai({ name: 'hub', baseURL: server.openaiBaseURL, apiKey: 'k' })] });
    const error = await sy.generate({ model: 'house-model', prompt: 'hi' }).catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('no_provider');
    expect((error as Error).message).toContain("no configured endpoint serves it (its provider is 'local': name an endpoint 'local', or list house-model in an endpoint's models)");
    expect(server.requests).toHaveLength(0);
  });
});
