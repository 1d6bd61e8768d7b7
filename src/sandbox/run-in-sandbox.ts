import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SwitchyardError } from '../errors/switchyard-error.js';
import { GUARD_PRELOAD } from './guard-preload.js';
import { OutputCapture } from './output-capture.js';
import { nodeArguments, safeRelativePath, sandboxEnv } from './sandbox-command.js';
import type { SandboxEnforcement, SandboxOptions, SandboxResult, SandboxStatus } from './sandbox-options.js';
import { sandboxSupport, type SandboxSupport } from './sandbox-support.js';
import { killGroup, trackGroup } from './process-groups.js';

const MIB = 1024 * 1024;
/** Address space allowed above an idle Node process and the heap cap (off-heap buffers, code, stacks). */
const ADDRESS_SPACE_HEADROOM_MB = 256;
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Array buffer allocation failed|Cannot allocate memory|std::bad_alloc|Out of memory/i;

interface Plan {
  argv: string[];
  enforcement: SandboxEnforcement;
}

/** The full command line: namespaces, resource limits, then Node with the permission model and the guard. */
function plan(support: SandboxSupport, dirs: { work: string; guard: string }, options: SandboxOptions): Plan {
  const heapMb = options.memoryMb ?? 256;
  const fileMb = options.maxFileMb ?? 64;
  const unshare = options.namespaces === false ? undefined : support.unshare;
  const enforcement: SandboxEnforcement = {
    permissionFlag: support.permissionFlag!,
    networkNamespace: unshare !== undefined,
    pidNamespace: unshare !== undefined,
    heapMb,
  };
  const argv: string[] = [];
  if (unshare) argv.push('unshare', ...unshare, '--');
  // Without the trap handler's huge reservations, WebAssembly (undici's HTTP parser among others) fits the limit.
  const limitAddressSpace = support.prlimit && support.idleVmKb !== undefined && support.wasmWithoutTrapHandler;
  if (limitAddressSpace) {
    const addressSpaceMb = Math.ceil(support.idleVmKb! / 1024) + heapMb + ADDRESS_SPACE_HEADROOM_MB;
    argv.push('prlimit', `--as=${addressSpaceMb * MIB}`, `--fsize=${fileMb * MIB}`, '--');
    Object.assign(enforcement, { addressSpaceMb, fileSizeMb: fileMb });
  }
  argv.push(
    process.execPath,
    support.permissionFlag!,
    '--disable-warning=ExperimentalWarning',
    `--allow-fs-read=${dirs.work}`,
    `--allow-fs-read=${dirs.guard}`,
    `--allow-fs-write=${dirs.work}`,
    `--max-old-space-size=${heapMb}`,
    ...(limitAddressSpace ? ['--disable-wasm-trap-handler'] : []),
    '--require',
    dirs.guard,
    ...nodeArguments(options),
  );
  return { argv, enforcement };
}

async function writeFiles(dir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [path, contents] of Object.entries(files)) {
    const target = join(dir, safeRelativePath(path));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contents);
  }
}

function statusOf(killedFor: SandboxStatus | undefined, code: number | null, signal: string | null, output: string): SandboxStatus {
  if (killedFor !== undefined) return killedFor;
  if (code === 0) return 'passed';
  if (OUT_OF_MEMORY.test(output)) return 'memory';
  return signal !== null ? 'killed' : 'failed';
}

/** Spawns the planned command in its own process group and collects it, killing the group at any limit. */
function execute(argv: string[], cwd: string, options: SandboxOptions, enforcement: SandboxEnforcement): Promise<SandboxResult> {
  const started = performance.now();
  const capture = new OutputCapture(options.maxOutputBytes ?? 1_000_000);
  const child = spawn(argv[0]!, argv.slice(1), { cwd, env: sandboxEnv(cwd, options.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const untrack = trackGroup(child.pid, dirname(cwd));
  let killedFor: SandboxStatus | undefined;
  const stop = (why: SandboxStatus) => {
    killedFor ??= why;
    killGroup(child.pid);
  };
  const timer = setTimeout(() => stop('timeout'), options.timeoutMs ?? 10_000);
  const onAbort = () => stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  child.stdout.on('data', (chunk: Buffer) => capture.add('stdout', chunk) || stop('output-limit'));
  child.stderr.on('data', (chunk: Buffer) => capture.add('stderr', chunk) || stop('output-limit'));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      untrack();
      reject(new SwitchyardError({ kind: 'invalid_config', message: `Sandbox: could not start ${argv[0]} (${error.message}).`, cause: error }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      killGroup(child.pid); // anything the process left behind in its group
      untrack();
      const { stdout, stderr, output, truncated } = capture;
      const status = statusOf(killedFor, code, signal, output);
      resolve({ status, exitCode: code, signal, stdout, stderr, output, truncated, durationMs: performance.now() - started, enforcement });
    });
  });
}

/**
 * Runs a Node script or test file on generated code in a separate process: a fresh temporary directory holding
 * `files` (removed afterwards), a wall-clock timeout and a memory cap, no network, no reads or writes outside
 * its directory, no child processes or workers, no signals to other processes, and output captured up to a cap.
 * Past any limit the whole process group is killed (SIGKILL) and the result says why. What is enforced, and how,
 * on Node 22 and 24: see docs/verifier-and-sandbox.md and `result.enforcement`.
 * @example
 * const result = await runInSandbox({ files: { 'sum.mjs': code, 'sum.test.mjs': tests }, testFile: 'sum.test.mjs' });
 * if (result.status !== 'passed') console.log(result.output);
 */
export async function runInSandbox(options: SandboxOptions): Promise<SandboxResult> {
  options.signal?.throwIfAborted();
  nodeArguments(options);
  sandboxEnv('', options.env);
  for (const path of Object.keys(options.files)) safeRelativePath(path);
  const support = await sandboxSupport();
  if (support.permissionFlag === undefined || !support.resolveHooks) {
    throw new SwitchyardError({
      kind: 'invalid_config',
      message:
        `Sandbox: Node ${process.version} lacks ${support.permissionFlag === undefined ? 'the permission model' : 'module.registerHooks'}, ` +
        'which the sandbox needs to confine file access and module resolution; use Node 22.15 or later.',
    });
  }
  const base = await mkdtemp(join(tmpdir(), 'switchyard-sandbox-'));
  try {
    const work = join(base, 'work');
    const guard = join(base, 'guard.cjs');
    await mkdir(work);
    await writeFile(guard, GUARD_PRELOAD);
    // Package-scope lookups (module type, #imports, self-reference) walk up from the script: they stop here, at an
    // empty package.json of ours, instead of reading the host's.
    await writeFile(join(base, 'package.json'), '{}\n');
    await writeFiles(work, options.files);
    const { argv, enforcement } = plan(support, { work, guard }, options);
    return await execute(argv, work, options, enforcement);
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}
