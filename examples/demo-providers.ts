import { anthropic, google, openai, type Provider } from '../src/index.js';
import { simulated, type ScriptRequestInfo, type ScriptedReply } from '../src/testing/index.js';

/** Replies the simulated models give in the demo, so the offline run reads like a real one. */
export function demoReply(info: ScriptRequestInfo): ScriptedReply {
  const body = info.body as { output?: unknown };
  if (body.output) return { text: '{"kind":"bug","severity":"high","area":"login"}', firstTokenMs: 120 };
  if (/summar/i.test(info.text)) {
    return { text: 'Logins fail with HTTP 500 since the last deploy when the user name contains an apostrophe.\nLikely an unescaped quote in the login query; high impact, easy to reproduce.', firstTokenMs: 150 };
  }
  // The fix is agentic coding: reasoning effort 'high' by default, so the model thinks before it answers.
  const reasons = (body as { reasoning?: { effort?: string } }).reasoning?.effort !== undefined;
  return {
    ...(reasons
      ? { reasoning: 'A 500 only for names with an apostrophe: the name must reach the SQL unescaped. Check how the login query is built.' }
      : {}),
    text:
      'Root cause: the login query interpolates the user name into SQL, so an apostrophe breaks it.\n' +
      'Fix: use a parameterized query:\n' +
      "  db.query('SELECT * FROM users WHERE name = $1', [name])\n" +
      'Add a regression test with the name "O\'Brien".',
    firstTokenMs: 250,
  };
}

/**
 * Real providers for the keys that are set; the simulated provider when none is. (An app reading its own
 * environment: switchyard itself reads keys only in the provider factories.)
 */
export function demoProviders(env: NodeJS.ProcessEnv, log: (line: string) => void): Provider[] {
  const real: Provider[] = [];
  if (env.OPENAI_API_KEY) real.push(openai());
  if (env.ANTHROPIC_API_KEY) real.push(anthropic());
  if (env.GEMINI_API_KEY || env.GOOGLE_API_KEY) real.push(google());
  if (real.length > 0) {
    log(`Using ${real.map((p) => p.name).join(', ')} (API keys found in the environment).`);
    return real;
  }
  log('No OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY set: using the simulated provider (offline).');
  return [simulated({ reply: demoReply, tokensPerSecond: 120 })];
}
