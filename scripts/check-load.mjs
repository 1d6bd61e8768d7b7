// Checks that the built package loads both ways, as users will load it: require() and import(),
// for the main entry and every subpath; and that the optional peers of the bridges (@modelcontextprotocol/sdk,
// @ai-sdk/*) load only when used. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
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
check("require('switchyard-ai/mcp')", require('switchyard-ai/mcp'), ['mcpTools']);
check("import('switchyard-ai/mcp')", await import('switchyard-ai/mcp'), ['mcpTools']);
check("require('switchyard-ai/ai-sdk')", require('switchyard-ai/ai-sdk'), ['aiSdk']);
check("import('switchyard-ai/ai-sdk')", await import('switchyard-ai/ai-sdk'), ['aiSdk']);

// Importing the package, or even the bridges' entries, loads none of their peers: in a fresh process, under
// require (the module cache) and under import (a resolve hook that refuses them).
const PEERS = /[\\/]node_modules[\\/](@modelcontextprotocol|@ai-sdk)[\\/]/;
const entries = ['switchyard-ai', 'switchyard-ai/testing', 'switchyard-ai/mcp', 'switchyard-ai/ai-sdk'];
const requireAll = `${entries.map((e) => `require('${e}');`).join(' ')} process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
const loaded = JSON.parse(execFileSync(process.execPath, ['-e', requireAll], { encoding: 'utf8' }));
assert.deepEqual(loaded.filter((file) => PEERS.test(file)), [], 'require() of the entries loaded an optional peer');
const refuse = `export async function resolve(s, c, next) { const r = await next(s, c); if (${PEERS}.test(r.url)) throw new Error('loaded ' + r.url); return r; }`;
const importAll = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(refuse)})); ${entries.map((e) => `await import('${e}');`).join(' ')}`;
execFileSync(process.execPath, ['--input-type=module', '-e', importAll], { stdio: 'inherit' });

// A real round trip through the built CJS and ESM code: one generate() on the simulated provider.
for (const [label, main, testing] of [['cjs', cjsMain, cjsTesting], ['esm', esmMain, esmTesting]]) {
  const sy = main.createSwitchyard({ providers: [testing.simulated({ reply: { text: 'loaded fine' } })] });
  const answer = await sy.generate({ model: 'gpt-5.4', prompt: 'ping' });
  assert.equal(answer.text, 'loaded fine', `${label}: generate() returned ${JSON.stringify(answer.text)}`);
  assert.ok(answer.costUsd > 0, `${label}: cost should be positive`);
}
console.log(
  'load check: 3 passed, 0 failed (require and import of switchyard-ai and its testing, redis, mcp and ai-sdk subpaths; ' +
    'no optional peer of the bridges loaded by importing them)',
);
