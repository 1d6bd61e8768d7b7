// The package as published: publint (package.json fields against the packed files) and are-the-types-wrong (every
// entry resolves to types and code under node10, node16 from CJS and from ESM, and bundlers), on the tarball;
// and every subpath of the exports map has the folder stub that node10 resolution needs. All three run; exits 1
// when any failed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tarballFor } from './pack-tarball.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const dir = mkdtempSync(join(tmpdir(), 'switchyard-package-'));

/** Each subpath 'x' of the exports map has x/package.json pointing at the files its `require` condition names. */
function stubsMatchExports() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const problems = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (subpath === '.' || subpath === './package.json') continue;
    const name = subpath.slice(2);
    let stub;
    try {
      stub = JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8'));
    } catch {
      problems.push(`${name}/package.json is missing (node10 resolution of 'switchyard-ai/${name}' needs it)`);
      continue;
    }
    const want = { main: target.require.default, module: target.import.default, types: target.require.types };
    for (const [field, path] of Object.entries(want)) {
      if (stub[field] !== `.${path}`) problems.push(`${name}/package.json: "${field}" is ${JSON.stringify(stub[field])}, expected ".${path}"`);
    }
    if (!pkg.files.includes(name)) problems.push(`package.json "files" does not list '${name}'`);
  }
  for (const problem of problems) console.error(problem);
  if (problems.length === 0) console.log('subpath stubs: one per exports subpath, matching it');
  return problems.length === 0;
}

let results;
try {
  const tarball = tarballFor(dir);
  const run = (label, command, args) => {
    console.log(`--- ${label}`);
    return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
  };
  results = {
    publint: run('publint', bin('publint'), ['run', tarball, '--strict']),
    attw: run('attw', bin('attw'), [tarball, '--profile', 'strict', '--format', 'table-flipped']),
    stubs: stubsMatchExports(),
  };
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const failed = Object.entries(results).filter(([, ok]) => !ok).map(([name]) => name);
console.log(failed.length === 0 ? 'package: publint, attw and subpath stubs clean' : `package: FAILED ${failed.join(', ')}`);
process.exitCode = failed.length === 0 ? 0 : 1;
