import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { option } from './cli.js';
import { currentLoad, machineLine } from './machine.js';
import { fmt, median } from './stats.js';

/**
 * Where a `.llm` node's CPU goes, subsystem by subsystem: builds of the committed source (HEAD) with one
 * subsystem cut out by a benchmark-only patch (`bench/patches/no-*.patch`), run side by side with the unpatched
 * build by `bench/fixed-cost.ts` (one process, interleaved repetitions, medians), or each alone in its own process
 * (`--solo`). The patched builds are not switchyard: they exist to say how much of a node's time a subsystem takes,
 * which is what a redesign of the call path has to win back. The patches:
 * - `no-metrics`: the hub feeds the run's metrics collector nothing (`result.metrics` and `sy.metrics()` stay at zero;
 *   with nobody listening, no event is built either, as in HEAD);
 * - `no-circuits`: no circuit breaker permit or verdict, no latency tracking, routing sees every circuit closed;
 * - `no-routing`: each model's first route plan is reused (routing costs nothing after the first call);
 * - `no-budget`: no endpoint gate, reservation, holds or settlement (no budget events; cost stays at zero);
 * - `all`: the four together;
 * - `no-budget-events` (not in `all`, nor run unless named in --patches): no `budget` event; the ledger still works.
 *
 *   npm run bench:ablation -- [--patches=no-metrics,no-circuits,no-routing,no-budget,all] [--reps=15] [--no-build]
 *   (--no-build: measure the builds the last run left in .tmp-ablation, e.g. on another Node version)
 *   npm run bench:ablation -- --solo[=5] [--no-build]
 *   (each build alone in a process of its own, in turn, 5 rounds: bench/ablation-solo.ts; the 100-node DAG only)
 *
 * It clones HEAD into `.tmp-ablation/repo` (uncommitted changes are not measured), builds each variant there with
 * `npm run build`, copies each `dist/` to `.tmp-ablation/<variant>`, then measures those builds. A patch
 * that no longer applies to HEAD stops it with git's message (and test/bench-patches.test.ts fails): remake it against
 * the new source — make the same cut in src/, `git diff src > bench/patches/<name>.patch`, `git checkout src`.
 */

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, '.tmp-ablation');
const REPO = join(WORK, 'repo');
const PATCHES = join(ROOT, 'bench', 'patches');
/** The patches of the `all` build (and of the default run, with `all`). */
export const ABLATION_PATCHES = ['no-metrics', 'no-circuits', 'no-routing', 'no-budget'];

function git(...args: string[]): void {
  execFileSync('git', ['-C', REPO, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A fresh clone of HEAD sharing this checkout's node_modules. */
function cloneHead(): void {
  rmSync(WORK, { recursive: true, force: true });
  execFileSync('git', ['clone', '--quiet', '--no-local', ROOT, REPO], { stdio: 'inherit' });
  git('checkout', '--quiet', execFileSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim());
  symlinkSync(join(ROOT, 'node_modules'), join(REPO, 'node_modules'), 'dir');
}

/** Builds the clone with `patches` applied and keeps its dist/ as `.tmp-ablation/<name>`; the clone is reset after. */
function buildVariant(name: string, patches: string[]): string {
  for (const patch of patches) git('apply', join(PATCHES, `${patch}.patch`));
  try {
    const built = spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) throw new Error(`The build of '${name}' failed (exit ${built.status}).`);
    const out = join(WORK, name);
    cpSync(join(REPO, 'dist'), out, { recursive: true });
    return out;
  } finally {
    git('checkout', '--quiet', '--', '.');
  }
}

function main(): void {
  const wanted = (option('patches') ?? [...ABLATION_PATCHES, 'all'].join(',')).split(',');
  const known = new Set(readdirSync(PATCHES).map((f) => f.replace(/\.patch$/, '')));
  const unknown = wanted.filter((p) => p !== 'all' && !known.has(p));
  if (unknown.length > 0) throw new Error(`No patch ${unknown.join(', ')} in bench/patches (have: ${[...known].join(', ')}, or 'all').`);
  let builds: string[];
  if (process.argv.includes('--no-build')) {
    builds = ['main', ...wanted].map((name) => join(WORK, name));
    const missing = builds.filter((dir) => !existsSync(join(dir, 'index.js')));
    if (missing.length > 0) throw new Error(`No build in ${missing.join(', ')}: run once without --no-build.`);
  } else {
    cloneHead();
    console.log(`Building HEAD and ${wanted.length} variant(s) in ${REPO} …`);
    builds = [buildVariant('main', [])];
    for (const name of wanted) builds.push(buildVariant(name, name === 'all' ? ABLATION_PATCHES : [name]));
  }
  const relative = builds.map((dir) => dir.slice(ROOT.length + 1));
  const solo = option('solo') ?? (process.argv.includes('--solo') ? '5' : undefined);
  if (solo !== undefined) return soloRounds(relative, Number(solo));
  const args = ['--import', 'tsx', 'bench/fixed-cost.ts', `--builds=${relative.join(',')}`, `--reps=${option('reps') ?? 15}`];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) process.exitCode = run.status ?? 1;
}

/**
 * Each build alone in a process of its own (bench/ablation-solo.ts), the builds in turn, `rounds` times: what an
 * application's process sees, with no other build's heap or code beside it. Prints the median of the rounds.
 */
function soloRounds(builds: string[], rounds: number): void {
  console.log(machineLine());
  const samples = new Map<string, number[]>(builds.map((b) => [b, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const build of builds) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--import', './bench/use-dist.mjs', 'bench/ablation-solo.ts'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, SWITCHYARD_DIST: join(ROOT, build) },
      });
      samples.get(build)!.push(Number(out.trim().split('\n').at(-1)));
    }
    console.log(`  round ${round} of ${rounds} done (load ${currentLoad()})`);
  }
  const main = median(samples.get(builds[0]!)!);
  console.log(`\nMain-thread CPU µs per run of the 100-node random .llm DAG, each build alone in its process; median of ${rounds} rounds; load at the end ${currentLoad()}\n`);
  console.log('| Build | µs per run | / main | rounds |');
  console.log('|---|---|---|---|');
  for (const [build, values] of samples) {
    console.log(`| ${build} | ${fmt.us(median(values))} | ${fmt.ratio(median(values) / main)} | ${values.map((v) => fmt.us(v)).join(', ')} |`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
