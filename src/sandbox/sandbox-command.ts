import { isAbsolute, normalize, sep } from 'node:path';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { SandboxOptions } from './sandbox-options.js';

/** Node flags that would grant what the sandbox withholds, or turn its checks off. */
const REFUSED_FLAG =
  /^(--allow-|--no-|--permission|--experimental-permission|--inspect|--debug|--max-old-space-size|-r$|--require|--env-file|--experimental-loader|--loader)/;

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
  const refused = flags.find((flag) => REFUSED_FLAG.test(flag));
  if (refused !== undefined) throw invalid(`the Node flag ${refused} is not allowed in the sandbox.`);
  if (script >= 0) safeRelativePath(args[script]!);
  return args;
}

/** The environment of the sandboxed process: a minimal one, never the host's. */
export function sandboxEnv(dir: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  if (Object.keys(extra).some((key) => key.toUpperCase() === 'NODE_OPTIONS')) {
    throw invalid('NODE_OPTIONS may not be set: it would change the sandbox\'s Node flags.');
  }
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir, TMPDIR: dir, LANG: 'C.UTF-8', NODE_ENV: 'test', ...extra };
}
