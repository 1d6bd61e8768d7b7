// Checks that the built package loads both ways, as users will load it: require() and import(),
// for the main entry and 'switchyard/testing'. Run after `npm run build`.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const expectMain = ['createSwitchyard', 'workflow', 'defaultCatalog', 'SwitchyardError', 'BudgetExceededError', 'openai', 'anthropic', 'google', 'costOf'];
const expectTesting = ['simulated', 'startMockServer', 'seededRandom'];

function check(label, mod, names) {
  for (const name of names) assert.ok(mod[name] !== undefined, `${label} is missing export ${name}`);
}

const cjsMain = require('switchyard');
const cjsTesting = require('switchyard/testing');
const esmMain = await import('switchyard');
const esmTesting = await import('switchyard/testing');
check("require('switchyard')", cjsMain, expectMain);
check("require('switchyard/testing')", cjsTesting, expectTesting);
check("import('switchyard')", esmMain, expectMain);
check("import('switchyard/testing')", esmTesting, expectTesting);
check("require('switchyard/redis')", require('switchyard/redis'), ['RedisBudgetLedger']);
check("import('switchyard/redis')", await import('switchyard/redis'), ['RedisBudgetLedger']);

// A real round trip through the built CJS and ESM code: one generate() on the simulated provider.
for (const [label, main, testing] of [['cjs', cjsMain, cjsTesting], ['esm', esmMain, esmTesting]]) {
  const sy = main.createSwitchyard({ providers: [testing.simulated({ reply: { text: 'loaded fine' } })] });
  const answer = await sy.generate({ model: 'gpt-5.4', prompt: 'ping' });
  assert.equal(answer.text, 'loaded fine', `${label}: generate() returned ${JSON.stringify(answer.text)}`);
  assert.ok(answer.costUsd > 0, `${label}: cost should be positive`);
}
console.log('load check: 2 passed, 0 failed (require and import of switchyard, switchyard/testing and switchyard/redis)');
