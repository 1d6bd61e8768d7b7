// `npm run bench:peers`: installs the peers of bench/peers/package.json (pinned, from its lockfile) into
// bench/peers/node_modules (git ignores it), unless the pinned versions are there already. Not part of `npm ci`:
// the package's users and `npm test` never need them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const dir = new URL('./', import.meta.url);
const pins = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')).dependencies;
const installed = (name) => {
  const file = new URL(`node_modules/${name}/package.json`, dir);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
};
const missing = Object.entries(pins).filter(([name, version]) => installed(name) !== version);
if (missing.length === 0) console.log(`bench peers installed: ${Object.entries(pins).map(([n, v]) => `${n} ${v}`).join(', ')}`);
else {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 13)) throw new Error(`The bench peers (@mastra/core) need Node >= 22.13; this is ${process.version}.`);
  console.log(`installing bench peers (${missing.map(([n, v]) => `${n} ${v}`).join(', ')}) into bench/peers/node_modules`);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, stdio: 'inherit' });
}
