import { existsSync } from 'node:fs';
import { BenchWorker } from './worker-client.js';

/** Where `npm run bench:peers` installs the peers that are not devDependencies (Mastra). */
const PEERS = new URL('./peers/node_modules/@mastra/core/package.json', import.meta.url);

let shared: BenchWorker | undefined;

/** The one Mastra worker a bench run uses (Mastra runs in a worker thread: see peers/mastra-worker.ts). */
export function mastraWorker(): BenchWorker {
  if (!existsSync(PEERS)) throw new Error('Mastra is not installed: run `npm run bench:peers` first (installs bench/peers, pinned).');
  shared ??= new BenchWorker('Mastra', new URL('./peers/mastra-worker.ts', import.meta.url));
  return shared;
}

export async function closeMastraWorker(): Promise<void> {
  await shared?.close();
  shared = undefined;
}
