import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as nodeModule from 'node:module';

/** What this host and Node version let the sandbox use (probed once per process). */
export interface SandboxSupport {
  /** `--permission` (Node 22.13+) or `--experimental-permission` (older Node); undefined without a permission model. */
  permissionFlag?: string;
  /** The `unshare` arguments that give a new network and PID namespace, when the host allows it. */
  unshare?: string[];
  /** Whether `prlimit` is available (address-space and file-size limits). */
  prlimit: boolean;
  /** Virtual memory of an idle Node process, in KiB (the base of the address-space limit). */
  idleVmKb?: number;
  /**
   * Whether Node has `--disable-wasm-trap-handler` (20.15+, 22.2+): WebAssembly then checks bounds inline instead
   * of reserving ~10 GiB of address space per memory, so it keeps working under the address-space limit.
   */
  wasmWithoutTrapHandler: boolean;
  /**
   * Whether Node has `module.registerHooks` (22.15+): the guard confines module resolution with it, and the sandbox
   * does not run without it.
   */
  resolveHooks: boolean;
}

function succeeds(file: string, args: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 5_000 }, (error) => resolve(error === null));
  });
}

function output(file: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 5_000 }, (error, stdout) => resolve(error === null ? stdout : undefined));
  });
}

function permissionFlag(): string | undefined {
  const flags = process.allowedNodeEnvironmentFlags;
  if (flags.has('--permission')) return '--permission';
  if (flags.has('--experimental-permission')) return '--experimental-permission';
  return undefined;
}

/** Namespaces: as root directly; otherwise through an unprivileged user namespace, when the kernel allows one. */
async function unshareArgs(): Promise<string[] | undefined> {
  const candidates = [
    ['--net', '--pid', '--fork', '--kill-child'],
    ['--map-root-user', '--net', '--pid', '--fork', '--kill-child'],
  ];
  for (const args of candidates) if (await succeeds('unshare', [...args, 'true'])) return args;
  return undefined;
}

async function idleVmKb(): Promise<number | undefined> {
  const script = "process.stdout.write(require('fs').readFileSync('/proc/self/status','utf8'))";
  const status = await output(process.execPath, ['-e', script]).catch(() => undefined);
  const match = status === undefined ? null : /VmSize:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) : undefined;
}

async function probe(): Promise<SandboxSupport> {
  const linux = process.platform === 'linux' && (await readFile('/proc/self/status', 'utf8').then(() => true, () => false));
  const [unshare, prlimit, vm] = linux
    ? await Promise.all([unshareArgs(), succeeds('prlimit', ['--version']), idleVmKb()])
    : [undefined, false, undefined];
  const wasmWithoutTrapHandler = process.allowedNodeEnvironmentFlags.has('--disable-wasm-trap-handler');
  const resolveHooks = typeof (nodeModule as { registerHooks?: unknown }).registerHooks === 'function';
  const support: SandboxSupport = { prlimit: prlimit && vm !== undefined, wasmWithoutTrapHandler, resolveHooks };
  const flag = permissionFlag();
  if (flag !== undefined) support.permissionFlag = flag;
  if (unshare !== undefined) support.unshare = unshare;
  if (vm !== undefined) support.idleVmKb = vm;
  return support;
}

let cached: Promise<SandboxSupport> | undefined;

/** What the sandbox can use here, probed on first use and cached for the process. */
export function sandboxSupport(): Promise<SandboxSupport> {
  cached ??= probe();
  return cached;
}
