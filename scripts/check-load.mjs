// Checks that the built package loads both ways, as users will load it: require() and import(),
// for the main entry and 'switchyard-ai/testing'. Run after `npm run build`.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const expectMain = ['createSwitchyard', 'workflow', 'defaultCatalog', 'SwitchyardError', 'BudgetExceededError', 'openai', 'anthropic', 'google', 'costOf'];
const expectTesting = ['simulated', 'startMockServer', 'seededRandom'];

function check(label, mod, names) {
  for (const name of names) assert.ok(mod[name] !== undefined, `${label} is missing export ${name}`);
}

const cjsMain = require('switchyard-ai');
const cjsTesting = require('switchyard-ai/testing');
const esmMain = await import('switchyard-ai');
const esmTesting = await import('switchyard-ai/testing');
check("require('switchyard-ai')", cjsMain, expectMain);
check("require('switchyard-ai/testing')", cjsTesting, expectTesting);
check("import('switchyard-ai')", esmMain, expectMain);
check("import('switchyard-ai/testing')", esmTesting, expectTesting);
check("require('switchyard-ai/redis')", require('switchyard-ai/redis'), ['RedisBudgetLedger']);
check("import('switchyard-ai/redis')", await import('switchyard-ai/redis'), ['RedisBudgetLedger']);

// A real round trip through the built CJS and ESM code: one generate() on the simulated provider.
for (const [label, main, testing] of [['cjs', cjsMain, cjsTesting], ['esm', esmMain, esmTesting]]) {
  const sy = main.createSwitchyard({ providers: [testing.simulated({ reply: { text: 'loaded fine' } })] });
  const answer = await sy.generate({ model: 'gpt-5.4', prompt: 'ping' });
  assert.equal(answer.text, 'loaded fine', `${label}: generate() returned ${JSON.stringify(answer.text)}`);
  assert.ok(answer.costUsd > 0, `${label}: cost should be positive`);
}
console.log('load check: 2 passed, 0 failed (require and import of switchyard-ai, switchyard-ai/testing and switchyard-ai/redis)');
