import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { Switchyard } from '../switchyard.js';
import type { Workflow } from '../workflow/workflow.js';
import { createWorker } from './create-worker.js';

/** What the `--app` module of `switchyard worker` exports (named, or as its default export). */
export interface WorkerApp {
  switchyard: Switchyard;
  workflows: readonly Workflow<any, any, any>[];
}

export const WORKER_USAGE = `Usage: switchyard worker --app <module> [--connection redis://host:6379] [--queue name] [--prefix p] [--concurrency n]
  --app          a module exporting { switchyard, workflows } (the same workflows your callers run)
  --connection   Redis URL (default: $REDIS_URL, else redis://127.0.0.1:6379)
  --queue        BullMQ queue name (default: switchyard-nodes)
  --prefix       key prefix of results and run channels (default: switchyard:exec:)
  --concurrency  nodes run at once (default: 16)`;

function flags(args: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!;
    if (!arg.startsWith('--')) throw usageError(`unexpected argument '${arg}'`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string?];
    const value = inline ?? args[++k];
    if (value === undefined) throw usageError(`--${name} needs a value`);
    map.set(name, value);
  }
  return map;
}

function usageError(problem: string): SwitchyardError {
  return new SwitchyardError({ kind: 'invalid_config', message: `switchyard worker: ${problem}.\n${WORKER_USAGE}` });
}

/**
 * `switchyard worker`: starts a worker for the app's workflows and runs until SIGTERM or SIGINT, then finishes
 * its running nodes and exits. Resolves once the worker is ready (prints 'switchyard worker ready').
 */
export async function runWorkerCommand(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const options = flags(args);
  const appPath = options.get('app');
  if (!appPath) throw usageError('--app is required');
  const module = (await import(pathToFileURL(resolve(appPath)).href)) as Partial<WorkerApp> & { default?: Partial<WorkerApp> };
  const app = module.switchyard ? module : module.default;
  if (!app?.switchyard || !Array.isArray(app.workflows)) throw usageError(`${appPath} must export switchyard and workflows`);
  const concurrency = options.get('concurrency');
  const worker = await createWorker({
    connection: options.get('connection') ?? env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    switchyard: app.switchyard,
    workflows: app.workflows,
    ...(options.has('queue') && { queue: options.get('queue') }),
    ...(options.has('prefix') && { prefix: options.get('prefix') }),
    ...(concurrency !== undefined && { concurrency: Number(concurrency) }),
  });
  const stop = () => void worker.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write('switchyard worker ready\n');
}
