/**
 * What the docs test does with the commands of an ```sh block. Each command (lines split at `&&` and `;`, `#`
 * comments dropped) is one of:
 *   - `npm ci`, `npm test`, `npm run <script>`: checked — the lock file, or the script, exists in package.json.
 *     Not run: they install or run the whole project (the suite runs them itself: `npm test`, the demo's test).
 *   - `npm install <packages>`: checked — each package is this one or one of its dependencies or peer
 *     dependencies, and a version given for a peer dependency is one its range admits (by major).
 *   - `npx tsx <script> --flags`: checked — the script exists and its source mentions each flag. Not run: these
 *     are the benchmarks, minutes long.
 *   - `npx switchyard <command> ...`: run, in the doc's working folder, at its place among the doc's blocks.
 * Anything else fails the test until a rule for it is added here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type ShCommand = { kind: 'checked'; text: string; problem?: string } | { kind: 'run'; text: string; args: string[] };

interface PackageJson {
  name: string;
  scripts: Record<string, string>;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/** The majors a range like '^6.49.0 || ^7.0.0' admits. */
function majors(range: string): number[] {
  return [...range.matchAll(/(?:^|\|\|)\s*[\^~>=]*\s*(\d+)/g)].map((m) => Number(m[1]));
}

function checkInstall(pkg: PackageJson, specs: string[]): string | undefined {
  const known = { ...pkg.dependencies, ...pkg.peerDependencies };
  for (const spec of specs.filter((s) => !s.startsWith('-'))) {
    const at = spec.indexOf('@', 1);
    const name = at === -1 ? spec : spec.slice(0, at);
    const version = at === -1 ? undefined : spec.slice(at + 1);
    if (name === pkg.name) continue;
    const range = known[name];
    if (range === undefined) return `'${name}' is neither ${pkg.name} nor one of its dependencies or peer dependencies`;
    if (version !== undefined && !majors(range).includes(Number(/^\D*(\d+)/.exec(version)?.[1]))) {
      return `'${spec}': ${pkg.name} declares ${name}@'${range}'`;
    }
  }
  return undefined;
}

function tsxScript(root: string, script: string, flags: string[]): { problem?: string } {
  const path = join(root, script);
  if (!existsSync(path)) return { problem: `${script} does not exist` };
  const source = readFileSync(path, 'utf8');
  const unknown = flags.map((f) => /^--([\w-]+)/.exec(f)?.[1]).filter((name) => name !== undefined && !source.includes(name));
  return unknown.length > 0 ? { problem: `${script} does not mention ${unknown.join(', ')}` } : {};
}

function classify(root: string, pkg: PackageJson, text: string): ShCommand {
  const [tool, sub, ...rest] = text.split(/\s+/);
  if (tool === 'npm' && sub === 'ci') {
    return { kind: 'checked', text, ...(existsSync(join(root, 'package-lock.json')) ? {} : { problem: 'there is no package-lock.json' }) };
  }
  if (tool === 'npm' && (sub === 'test' || sub === 'run')) {
    const script = sub === 'test' ? 'test' : rest[0];
    return { kind: 'checked', text, ...(script && pkg.scripts[script] ? {} : { problem: `package.json has no script '${script}'` }) };
  }
  if (tool === 'npm' && (sub === 'install' || sub === 'i' || sub === 'add')) {
    const problem = checkInstall(pkg, rest);
    return { kind: 'checked', text, ...(problem ? { problem } : {}) };
  }
  if (tool === 'npx' && sub !== undefined && pkg.bin[sub]) return { kind: 'run', text, args: rest };
  if (tool === 'npx' && sub === 'tsx' && rest[0]) return { kind: 'checked', text, ...tsxScript(root, rest[0], rest.slice(1)) };
  return { kind: 'checked', text, problem: 'the docs test has no rule for this command (see test/docs/sh-commands.ts)' };
}

/** The commands of an sh block, each checked or marked to run. */
export function shCommands(root: string, code: string): ShCommand[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  return code
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .flatMap((line) => line.split(/&&|;/).map((part) => part.trim()))
    .filter(Boolean)
    .map((text) => classify(root, pkg, text));
}
