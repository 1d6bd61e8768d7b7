// A user's first five minutes, on the packed tarball: a new app runs the README's install line (with the tarball
// in place of 'switchyard-ai'), and npm prints no warning at all: no ERESOLVE, no EBADENGINE, nothing on stderr.
// Then the README's Quick start runs in it as written, with its providers swapped for simulated() from
// 'switchyard-ai/testing' (no keys, no network), and ends with status 'succeeded' under its own $0.50 run budget.
//
// npm resolves against a loopback registry serving the versions this project installed (scripts/local-registry.mjs;
// their tarballs are read from your npm cache), with a cache and a user config of its own: no internet, and nothing
// written to your npm cache.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalRegistry } from './local-registry.mjs';
import { tarballFor } from './pack-tarball.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The Quick start section of the README: its `npm install` line and its TypeScript program. */
function quickStart(text) {
  const section = text.split(/^## Quick start$/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error('README.md has no "## Quick start" section');
  const install = /```sh\n(npm install [^\n#]+)/.exec(section)?.[1]?.trim();
  const program = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!install || !program) throw new Error('the Quick start needs an ```sh block with its npm install line and a ```ts block');
  return { install, program };
}

/** The program with its `providers: [...]` replaced by `[simulated()]` from 'switchyard-ai/testing'. */
function withSimulatedProviders(program) {
  const swapped = program.replace(/providers:\s*\[[^\]]*\]/, 'providers: [simulated()]');
  if (swapped === program) throw new Error('the Quick start has no `providers: [...]` to swap for simulated()');
  return `import { simulated } from 'switchyard-ai/testing';\n${swapped}`;
}

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const problems = [];
const scratch = mkdtempSync(join(tmpdir(), 'switchyard-new-app-'));
const registry = await startLocalRegistry(root);
try {
  const started = performance.now();
  const { install, program } = quickStart(readme);
  const app = join(scratch, 'app');
  const npmEnv = { ...process.env, npm_config_userconfig: join(scratch, 'npmrc'), npm_config_cache: join(scratch, 'npm-cache'), npm_config_registry: registry.url, npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
  writeFileSync(join(scratch, 'npmrc'), '');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-app', version: '1.0.0', private: true, type: 'module' }, null, 2));

  const args = install.split(/\s+/).slice(1).map((arg) => (arg === 'switchyard-ai' ? tarballFor(scratch) : arg));
  console.log(`$ npm ${args.join(' ')}   (Node ${process.version}, loopback registry)`);
  const installed = await run('npm', args, { cwd: app, env: npmEnv });
  process.stdout.write(installed.stdout);
  process.stderr.write(installed.stderr);
  if (installed.code !== 0) problems.push(`npm install exited with ${installed.code}`);
  // npm writes warnings (ERESOLVE, EBADENGINE, deprecations) and errors to stderr; a clean install writes nothing there
  const warnings = installed.stderr.split('\n').filter((line) => line.trim() !== '');
  if (warnings.length > 0) problems.push(`npm install printed ${warnings.length} lines on stderr:\n  ${warnings.join('\n  ')}`);
  const version = (name) => JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')).version;
  if (installed.code === 0) console.log(`installed switchyard-ai ${version('switchyard-ai')}, zod ${version('zod')}, openai ${version('openai')}`);
  const installSeconds = (performance.now() - started) / 1000;

  writeFileSync(join(app, 'quickstart.ts'), withSimulatedProviders(program));
  const flags = process.features.typescript ? [] : ['--experimental-strip-types'];
  const quick = await run(process.execPath, [...flags, 'quickstart.ts'], { cwd: app, env: { ...process.env, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' } });
  console.log('--- the Quick start (providers: [simulated()]) printed:');
  process.stdout.write(quick.stdout);
  process.stderr.write(quick.stderr);
  const lines = quick.stdout.trim().split('\n');
  if (quick.code !== 0) problems.push(`the Quick start exited with ${quick.code}`);
  if (quick.stderr.trim() !== '') problems.push('the Quick start wrote to stderr');
  if (!/^bug gpt-5\.4 \d/.test(lines[0] ?? '')) problems.push(`its one call should print "bug gpt-5.4 <cost>", printed ${JSON.stringify(lines[0])}`);
  if (!/^succeeded \d/.test(lines.at(-1) ?? '')) problems.push(`its workflow should end "succeeded <cost>" under its $0.50 budget, printed ${JSON.stringify(lines.at(-1))}`);
  console.log(`(install ${installSeconds.toFixed(1)} s, Quick start ${((performance.now() - started) / 1000 - installSeconds).toFixed(1)} s)`);
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  await registry.close();
  rmSync(scratch, { recursive: true, force: true });
}
for (const problem of problems) console.error(`new app: ${problem}`);
console.log(problems.length === 0 ? 'new app: installs without a warning; the Quick start succeeds' : `new app: FAILED (${problems.length} problems)`);
process.exitCode = problems.length === 0 ? 0 : 1;
