import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardError } from '../../src/errors/index.js';
import { anthropic, google, openai } from '../../src/providers/index.js';
import type { Provider } from '../../src/providers/types.js';
import { startMockServer, type MockServer } from '../../src/testing/mock-server/index.js';
import { drain, modelInfo, userRequest } from './families.js';

const ENV = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'GOOGLE_API_KEY'];
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
let server: MockServer;

beforeAll(async () => {
  server = await startMockServer({ text: 'ok' });
});
afterAll(() => server.close());
afterEach(() => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function clearEnv(): void {
  for (const name of ENV) delete process.env[name];
}

async function failure(provider: Provider, family: 'openai' | 'anthropic' | 'google'): Promise<SwitchyardError> {
  const { error } = await drain(provider.stream({ model: modelInfo('m', family), request: userRequest('x') }));
  expect(SwitchyardError.isInstance(error)).toBe(true);
  return error as SwitchyardError;
}

describe('API keys', () => {
  it.each([
    { family: 'openai' as const, make: () => openai(), envVar: 'OPENAI_API_KEY' },
    { family: 'anthropic' as const, make: () => anthropic(), envVar: 'ANTHROPIC_API_KEY' },
    { family: 'google' as const, make: () => google(), envVar: 'GEMINI_API_KEY' },
  ])('$family without a key: the factory works, the call fails with auth naming $envVar', async ({ family, make, envVar }) => {
    clearEnv();
    const provider = make();
    const error = await failure(provider, family);
    expect(error.kind).toBe('auth');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(envVar);
  });

  it('keys are read from the environment when the factory is called', async () => {
    clearEnv();
    process.env['OPENAI_BASE_URL'] = server.openaiBaseURL;
    process.env['OPENAI_API_KEY'] = 'env-key-123456';
    const provider = openai();
    delete process.env['OPENAI_API_KEY'];
    const { error } = await drain(provider.stream({ model: modelInfo('gpt-5.5', 'openai'), request: userRequest('x') }));
    expect(error).toBeUndefined();
    expect(server.requests.at(-1)!.apiKeyPresent).toBe(true);
  });

  it('an explicit baseURL never receives the key from the environment', async () => {
    clearEnv();
    process.env['OPENAI_API_KEY'] = 'sk-real-openai-key-123456';
    process.env['ANTHROPIC_API_KEY'] = 'sk-ant-real-key-123456';
    process.env['GEMINI_API_KEY'] = 'gemini-real-key-123456';
    const before = server.requests.length;
    const providers = [
      [openai({ baseURL: server.openaiBaseURL }), 'openai'],
      [anthropic({ baseURL: server.anthropicBaseURL }), 'anthropic'],
      [google({ baseURL: server.googleBaseURL }), 'google'],
    ] as const;
    for (const [provider, family] of providers) expect((await failure(provider, family)).kind).toBe('auth');
    expect(server.requests.length).toBe(before);
  });
});
