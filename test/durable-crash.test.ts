/**
 * The crash test: a child process runs the durable workflow with a SQLite checkpoint store against a mock server
 * living in this (parent) process, and is SIGKILLed the moment node 'd' reaches the wire — after 'a', 'b' and
 * 'c' committed. A new process resumes the run: its outputs equal those of an uninterrupted run, and the mock
 * server's request log shows every completed node requested exactly once across both processes. The attempt that
 * was on the wire at the kill had its budget hold recorded before its request went out: the resumed run charges it
 * at that hold (its worst case, which no bill can exceed), so spend the provider may have billed is not lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { costOf, createSwitchyard, defaultCatalog, openai, sqliteStore, worstCaseCostOf } from '../src/index.js';
import { startMockServer, type MockServer } from '../src/testing/index.js';
import { durableWorkflow, nodeOf, replyTo } from './fixtures/durable-workflow.js';

const dir = mkdtempSync(join(tmpdir(), 'sy-durable-'));
const servers: MockServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

function child(args: string[]): { proc: ChildProcess; lines: string[]; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/durable-child.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    }),
  );
  return { proc, lines, exit };
}

const resultOf = (lines: string[]) => JSON.parse(lines.find((l) => l.startsWith('result '))!.slice('result '.length));

test('SIGKILL mid-run, resume in a new process: same outputs, no completed node requested twice', async () => {
  // The uninterrupted reference, in process, against its own server.
  const reference = await startMockServer((info) => replyTo(info));
  servers.push(reference);
  const sy = createSwitchyard({ providers: [openai({ name: 'hub', baseURL: reference.openaiBaseURL, apiKey: 'k' })] });
  const expected = await sy.run(durableWorkflow(), { topic: 'durable runs' }).result;
  expect(expected.status).toBe('succeeded');

  let victim: ChildProcess | undefined;
  const server = await startMockServer((info) => {
    if (nodeOf(info.text) === 'd' && victim) {
      victim.kill('SIGKILL'); // mid-node: 'd' is on the wire, 'a', 'b', 'c' have committed
      victim = undefined;
    }
    return replyTo(info, 20);
  });
  servers.push(server);
  const path = join(dir, 'runs.db');
  const first = child(['run', server.openaiBaseURL, path, 'run_crash']);
  victim = first.proc;
  expect(await first.exit).toBeNull(); // killed by the signal
  expect(first.lines.some((l) => l.startsWith('result'))).toBe(false);

  const store = sqliteStore({ path });
  const checkpoint = await store.loadRun('run_crash');
  await store.close?.();
  expect(checkpoint?.status).toBe('running');
  expect(Object.keys(checkpoint!.nodes).sort()).toEqual(['a', 'b', 'c']);
  // d's attempt was on the wire: its hold (d's worst case) is in the checkpoint, unsettled.
  expect(checkpoint!.holds).toHaveLength(1);
  const hold = checkpoint!.holds![0]!;
  expect(hold.nodeId).toBe('d');
  const worst = worstCaseCostOf(defaultCatalog.get('gpt-5.4-mini'), hold.tokens - 200, 200);
  expect(hold.usd).toBeCloseTo(worst, 9);
  const spentBeforeKill = checkpoint!.spent.usd;
  const requestsBeforeResume = server.requests.length;

  const second = child(['resume', server.openaiBaseURL, path, 'run_crash']);
  expect(await second.exit).toBe(0);
  const resumed = resultOf(second.lines);
  expect(resumed.status).toBe('succeeded');
  expect(resumed.outputs).toEqual(expected.outputs);
  expect(second.lines).toEqual(expect.arrayContaining(['node-end a cached', 'node-end b cached', 'node-end c cached', 'node-end d', 'node-end e']));

  const asked = (node: string) => server.requests.filter((r) => nodeOf(JSON.stringify(r.body)) === node).length;
  for (const node of ['a', 'b', 'c', 'e']) expect(asked(node), `requests for node ${node}`).toBe(1);
  expect(asked('d')).toBe(2); // in flight at the kill: it runs again
  expect(server.requests.slice(requestsBeforeResume).map((r) => nodeOf(JSON.stringify(r.body)))).toEqual(['d', 'e']);
  // The resumed run's cost covers the restored nodes and the attempt cut by the kill, charged at its hold; its
  // budget continues from all of it.
  expect(spentBeforeKill).toBeGreaterThan(0);
  expect(resumed.costUsd).toBeCloseTo(expected.costUsd + hold.usd, 9);
  const run = resumed.budget.find((b: { level: string }) => b.level === 'run');
  expect(run.spentUsd).toBeCloseTo(expected.costUsd + hold.usd, 9);
  // What the server billed for the killed request (its input and the tokens it sent) is within that hold.
  const killed = server.requests.find((r) => nodeOf(JSON.stringify(r.body)) === 'd')!;
  expect(killed.billed).toBeDefined();
  expect(costOf(defaultCatalog.get('gpt-5.4-mini'), killed.billed!)).toBeLessThanOrEqual(hold.usd);
  const reopened = sqliteStore({ path });
  const after = await reopened.loadRun('run_crash');
  await reopened.close?.();
  expect(after!.holds).toEqual([]); // settled at the resume: a second resume would not charge it again
}, 120_000);
