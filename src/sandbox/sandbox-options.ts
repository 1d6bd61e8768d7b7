/** What `runInSandbox` runs, and within which limits. */
export interface SandboxOptions {
  /** Files to write into the fresh sandbox directory: relative path → contents. Paths may not leave the directory. */
  files: Readonly<Record<string, string>>;
  /**
   * The command, as an argument list whose first entry is `'node'` (replaced by the running Node binary with the
   * sandbox's flags), e.g. `['node', 'check.mjs']`. Only Node scripts run in the sandbox: other executables would
   * escape Node's permission model. Node flags before the script must be on an allow-list (`--test-reporter=tap`
   * and the other built-in reporters, `--test-name-pattern=…`, `--test-skip-pattern=…`, `--test-only`,
   * `--test-timeout=…`, `--experimental-strip-types`, `--experimental-transform-types`, `--experimental-vm-modules`,
   * `--experimental-detect-module`, `--input-type=…`, `--stack-trace-limit=…`, `--unhandled-rejections=…`,
   * `--trace-uncaught`, `--trace-warnings`, `--trace-deprecation`, `--throw-deprecation`, `--pending-deprecation`,
   * `--no-deprecation`, `--no-warnings`, `--expose-gc`, `--frozen-intrinsics`, `--disable-proto=…`,
   * `--zero-fill-buffers`); any other flag is refused (kind 'invalid_request'). Give `command` or `testFile`.
   */
  command?: readonly string[];
  /**
   * A test file to run with Node (`node:test` tests report and set the exit code when the file is run directly),
   * e.g. `'sum.test.mjs'`. Shorthand for `command: ['node', '--test-reporter=tap', testFile]` (TAP output, the same on
   * every Node version).
   */
  testFile?: string;
  /**
   * Wall-clock limit; the process group is killed (SIGKILL) when it is reached.
   * @default 10_000
   */
  timeoutMs?: number;
  /**
   * Memory cap in MiB: the V8 heap limit (`--max-old-space-size`), and — where `prlimit` exists — an address-space
   * limit of what an idle Node needs plus this plus 256 MiB, which bounds off-heap memory (Buffers) too.
   * @default 256
   */
  memoryMb?: number;
  /**
   * Most bytes of output (stdout and stderr together) kept; past it the process is killed and the result says
   * `'output-limit'`.
   * @default 1_000_000
   */
  maxOutputBytes?: number;
  /**
   * Largest file the process may write, in MiB (`prlimit --fsize`, where available).
   * @default 64
   */
  maxFileMb?: number;
  /**
   * Extra environment variables. The host's environment is never passed in (it may hold API keys). Refused:
   * `PATH`, `HOME` and `TMPDIR` (the sandbox sets them), and variables that change how Node, the dynamic linker or
   * OpenSSL start — `NODE_*` (but `NODE_ENV`), `LD_*`, `DYLD_*`, `GLIBC_*`, `MALLOC_*`, `OPENSSL_*`, `SSL_CERT_*`, `UV_*`.
   */
  env?: Readonly<Record<string, string>>;
  /** Aborting it kills the process (result status `'cancelled'`). */
  signal?: AbortSignal;
  /**
   * Run in new Linux network and PID namespaces (`unshare`) where the host allows it. Set false where
   * namespaces misbehave (some container runtimes); the JavaScript guard still blocks the network and signals.
   * @default true
   */
  namespaces?: boolean;
}

/** How a sandboxed run ended. */
export type SandboxStatus =
  /** Exit code 0. */
  | 'passed'
  /** A non-zero exit code (a failing test, an uncaught error, a refused operation). */
  | 'failed'
  /** Killed at `timeoutMs`. */
  | 'timeout'
  /** Ran out of memory (heap limit or address-space limit). */
  | 'memory'
  /** Killed for writing more than `maxOutputBytes`. */
  | 'output-limit'
  /** Killed by a signal (e.g. the file-size limit's SIGXFSZ). */
  | 'killed'
  /** The caller's signal aborted it. */
  | 'cancelled';

/** What the sandbox enforced for a run (it depends on the Node version and on what the host allows). */
export interface SandboxEnforcement {
  /** The permission-model flag used: `--permission` (Node 22.13+). */
  permissionFlag: string;
  /** Ran in its own network namespace (`unshare --net`): no interface but a loopback that is down. */
  networkNamespace: boolean;
  /** Ran in its own PID namespace: other processes cannot be seen or signalled. */
  pidNamespace: boolean;
  /** The address-space limit in MiB (`prlimit --as`), when applied. */
  addressSpaceMb?: number;
  /** The file-size limit in MiB (`prlimit --fsize`), when applied. */
  fileSizeMb?: number;
  /** The V8 heap limit in MiB. */
  heapMb: number;
}

/** What a sandboxed run produced. */
export interface SandboxResult {
  status: SandboxStatus;
  exitCode: number | null;
  /** The signal that ended the process, if one did. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in arrival order (what to show a model). */
  output: string;
  /** Output was cut at `maxOutputBytes`. */
  truncated: boolean;
  durationMs: number;
  enforcement: SandboxEnforcement;
}
