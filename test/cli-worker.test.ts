/** `switchyard worker`: the CLI starts a real BullMQ worker that runs a caller's nodes, and stops on SIGTERM. */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { createSwitchyard } from '../src/index.js';
import { bullmq } from '../src/redis/index.js';
import { simulated } from '../src/testing/index.js';
import { triage } from '../examples/workers.js';
import { redisUrl } from './setup/redis-url.js';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const app = fileURLToPath(new URL('./fixtures/worker-app.ts', import.meta.url));

test('switchyard worker runs the nodes of a run enqueued by a caller', async () => {
  const url = redisUrl();
  const queue = `cli-${randomUUID().slice(0, 8)}`;
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'worker', '--app', app, '--connection', url, '--queue', queue], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    await new Promise<void>((resolve, reject) => {
      // Starting tsx and the worker takes a second here, and much longer on a loaded machine.
      const timer = setTimeout(() => reject(new Error(`worker not ready: ${output}`)), 90_000);
      child.stdout.on('data', () => output.includes('ready') && (clearTimeout(timer), resolve()));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
    });
    // The caller's own provider would say something else: the outputs prove the nodes ran on the CLI worker.
    const sy = createSwitchyard({ providers: [simulated({ reply: { text: 'from the caller' } })] });
    const result = await sy.run(triage, { ticket: 'Export fails' }, { executor: bullmq({ connection: url, queue }) }).result;
    expect(result.status).toBe('succeeded');
    expect(result.outputs.reply).toBe('from the cli worker');
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}, 120_000);

test('switchyard worker without --app says what is missing and exits non-zero', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, 'worker'], { encoding: 'utf8' });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/--app is required/);
});
