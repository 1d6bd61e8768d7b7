// `npm test`: every part of the test suite, in order, each one run whatever happened to the ones before it (a
// failing type check must not hide a failing load check), then one summary line per part. Exits 1 when any part
// failed. The parts are also npm scripts of their own (`npm run typecheck`, `npm run test:unit`, ...).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packTarball } from './pack-tarball.mjs';

const packDir = mkdtempSync(join(tmpdir(), 'switchyard-pack-'));
let tarball;

/** The parts: a name, and a function that runs it and returns true when it passed. */
const parts = [
  ['type check', () => npm('typecheck')],
  ['build', () => npm('build')],
  ['unit, wire, docs and type tests', () => npm('test:unit')],
  ['load check of the built package', () => npm('test:load')],
  ['npm pack', () => Boolean((tarball = packTarball(packDir)))],
  ['publint and attw', () => npm('test:package', { SWITCHYARD_TARBALL: tarball ?? '' })],
  ['a new app installs the tarball and runs the Quick start', () => npm('test:app', { SWITCHYARD_TARBALL: tarball ?? '' })],
];

function npm(script, env = {}) {
  const run = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit', env: { ...process.env, ...env } });
  return run.status === 0;
}

const results = [];
for (const [name, run] of parts) {
  console.log(`\n=== npm test: ${name} ===`);
  const started = performance.now();
  let passed;
  try {
    passed = run();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    passed = false;
  }
  results.push({ name, passed, seconds: (performance.now() - started) / 1000 });
}
rmSync(packDir, { recursive: true, force: true });

const failed = results.filter((r) => !r.passed);
console.log('\n=== npm test: summary ===');
for (const r of results) console.log(`${r.passed ? 'passed' : 'FAILED'}  ${r.name} (${r.seconds.toFixed(0)} s)`);
console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
process.exitCode = failed.length === 0 ? 0 : 1;
