import { isAbsolute, normalize, sep } from 'node:path';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { SandboxOptions } from './sandbox-options.js';

/**
 * The Node flags a command may give, each with the values it may take (`true`: a bare flag). An allow-list: any
 * other flag is refused, since flags can grant permissions (`--allow-*`), open internals (`--expose-internals`),
 * load code (`--require`, `--import`, `--loader`), read host files (`--env-file`) or undo the sandbox's limits.
 */
const ALLOWED_FLAGS: Readonly<Record<string, RegExp | true>> = {
  '--test-reporter': /^(tap|spec|dot|junit|lcov)$/,
  '--test-name-pattern': /^.+$/,
  '--test-skip-pattern': /^.+$/,
  '--test-only': true,
  '--test-timeout': /^\d+$/,
  '--experimental-strip-types': true,
  '--experimental-transform-types': true,
  '--experimental-vm-modules': true,
  '--experimental-detect-module': true,
  '--input-type': /^(module|commonjs)$/,
  '--stack-trace-limit': /^\d+$/,
  '--unhandled-rejections': /^(strict|throw|warn|none|warn-with-error-code)$/,
  '--trace-uncaught': true,
  '--trace-warnings': true,
  '--trace-deprecation': true,
  '--throw-deprecation': true,
  '--pending-deprecation': true,
  '--no-deprecation': true,
  '--no-warnings': true,
  '--expose-gc': true,
  '--frozen-intrinsics': true,
  '--disable-proto': /^(delete|throw)$/,
  '--zero-fill-buffers': true,
};

/** Whether a Node flag (`--name` or `--name=value`) is on the allow-list. */
function allowedFlag(flag: string): boolean {
  const eq = flag.indexOf('=');
  const name = eq < 0 ? flag : flag.slice(0, eq);
  const rule = Object.hasOwn(ALLOWED_FLAGS, name) ? ALLOWED_FLAGS[name] : undefined;
  if (rule === undefined) return false;
  return rule === true ? eq < 0 : eq >= 0 && rule.test(flag.slice(eq + 1));
}

/**
 * Environment variables the sandbox sets itself, or that change how Node, the dynamic linker or OpenSSL start —
 * load native code (`LD_PRELOAD`, `OPENSSL_CONF`), add flags (`NODE_OPTIONS`), read or write host files
 * (`NODE_EXTRA_CA_CERTS`, `NODE_V8_COVERAGE`, `NODE_REDIRECT_WARNINGS`) — refused in `env`. `NODE_ENV` is allowed.
 */
const REFUSED_ENV = /^(PATH|HOME|TMPDIR|NODE_(?!ENV$).*|LD_.*|DYLD_.*|GLIBC_.*|MALLOC_.*|OPENSSL_.*|SSL_CERT_.*|UV_.*)$/i;

function invalid(message: string): SwitchyardError {
  return new SwitchyardError({ kind: 'invalid_request', message: `Sandbox: ${message}` });
}

/** A file path as written under the sandbox directory; absolute paths and `..` escapes are refused. */
export function safeRelativePath(path: string): string {
  const clean = normalize(path);
  if (path === '' || isAbsolute(path) || clean === '..' || clean.startsWith(`..${sep}`) || clean === '.') {
    throw invalid(`the file path ${JSON.stringify(path)} must be relative and stay inside the sandbox directory.`);
  }
  return clean;
}

/** The arguments to give Node after the sandbox's own flags (script and its arguments, and harmless flags). */
export function nodeArguments(options: SandboxOptions): string[] {
  const command = options.command ?? (options.testFile === undefined ? undefined : ['node', '--test-reporter=tap', options.testFile]);
  if (command === undefined || (options.command !== undefined && options.testFile !== undefined)) {
    throw invalid('give exactly one of `command` (e.g. [\'node\', \'check.mjs\']) or `testFile`.');
  }
  if (command[0] !== 'node' || command.length < 2) {
    throw invalid(`the command must be ['node', script, ...args]; got ${JSON.stringify(command)}. Only Node scripts run in the sandbox.`);
  }
  const args = command.slice(1);
  const script = args.findIndex((arg) => !arg.startsWith('-'));
  const flags = script < 0 ? args : args.slice(0, script);
  const refused = flags.find((flag) => !allowedFlag(flag));
  if (refused !== undefined) {
    throw invalid(`the Node flag ${refused} is not allowed in the sandbox (allowed: ${Object.keys(ALLOWED_FLAGS).join(', ')}).`);
  }
  if (script >= 0) safeRelativePath(args[script]!);
  return args;
}

/** The environment of the sandboxed process: a minimal one, never the host's. */
export function sandboxEnv(dir: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const refused = Object.keys(extra).find((key) => REFUSED_ENV.test(key));
  if (refused !== undefined) {
    throw invalid(
      `the environment variable ${refused} may not be set: the sandbox sets PATH, HOME and TMPDIR itself, and NODE_*, ` +
        'LD_*, DYLD_*, GLIBC_*, MALLOC_*, OPENSSL_*, SSL_CERT_* and UV_* change how Node starts (NODE_ENV is allowed).',
    );
  }
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir, TMPDIR: dir, LANG: 'C.UTF-8', NODE_ENV: 'test', ...extra };
}
