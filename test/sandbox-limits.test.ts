import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runInSandbox, SwitchyardError, type SandboxOptions } from '../src/index.js';
import { sandboxSupport } from '../src/sandbox/index.js';
import { spawnTsx } from './fixtures/spawn-tsx.js';

/** A process's command line ('' once it is gone). */
function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** Runs one ESM script in the sandbox. */
const script = (code: string, options: Partial<SandboxOptions> = {}) =>
  runInSandbox({ files: { 'main.mjs': code }, command: ['node', 'main.mjs'], ...options });

const TESTS = `import test from 'node:test';
import assert from 'node:assert/strict';
import { sum } from './sum.mjs';
test('adds', () => assert.equal(sum(2, 3), 5));
test('adds negatives', () => assert.equal(sum(-2, -3), -5));
`;

describe('sandbox: running tests', () => {
  test('a passing test file passes; a failing one fails with the test output', async () => {
    const good = await runInSandbox({ files: { 'sum.mjs': 'export const sum = (a, b) => a + b;', 'sum.test.mjs': TESTS }, testFile: 'sum.test.mjs' });
    expect(good.status).toBe('passed');
    expect(good.output).toContain('# pass 2');
    const bad = await runInSandbox({ files: { 'sum.mjs': 'export const sum = (a, b) => a - b;', 'sum.test.mjs': TESTS }, testFile: 'sum.test.mjs' });
    expect(bad.status).toBe('failed');
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toContain('# fail 2');
  });

  test('files may live in subdirectories; the directory is removed afterwards', async () => {
    const result = await runInSandbox({
      files: { 'lib/x.mjs': 'export const x = 41;', 'main.mjs': "import { x } from './lib/x.mjs'; console.log(process.cwd(), x + 1);" },
      command: ['node', 'main.mjs'],
    });
    expect(result.status).toBe('passed');
    const [cwd, value] = result.stdout.trim().split(' ');
    expect(value).toBe('42');
    expect(existsSync(cwd!)).toBe(false);
  });
});

describe('sandbox: limits', () => {
  test('an infinite loop is killed at the wall-clock timeout', async () => {
    const started = performance.now();
    const result = await script('for (;;) {}', { timeoutMs: 500 });
    expect(result.status).toBe('timeout');
    expect(result.signal).toBe('SIGKILL');
    expect(performance.now() - started).toBeLessThan(15_000); // generous on a busy machine: not "forever"
  });

  test('the heap is capped (memoryMb)', async () => {
    const result = await script('const keep = []; for (;;) keep.push(new Array(1e5).fill(Math.random()));', { memoryMb: 64, timeoutMs: 20_000 });
    expect(result.status).toBe('memory');
    expect(result.enforcement.heapMb).toBe(64);
  });

  test('off-heap memory (Buffers) is capped by the address-space limit', async () => {
    const result = await script('const keep = []; for (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));', { memoryMb: 64, timeoutMs: 20_000 });
    const support = await sandboxSupport();
    if (!support.prlimit) return expect(result.enforcement.addressSpaceMb).toBeUndefined(); // documented: no prlimit, no cap
    expect(result.enforcement.addressSpaceMb).toBeGreaterThan(64);
    expect(result.status).toBe('memory');
  });

  test('WebAssembly still works under the memory caps', async () => {
    // a module with one 64 KiB memory page: instantiating it reserves address space
    const result = await script(
      'const { instance } = await WebAssembly.instantiate(new Uint8Array([0,97,115,109,1,0,0,0,5,3,1,0,1])); console.log("wasm", typeof instance);',
      { memoryMb: 64 },
    );
    expect(result.stdout.trim()).toBe('wasm object');
  });

  test('output is captured up to maxOutputBytes, then the process is killed', async () => {
    const result = await script("for (;;) process.stdout.write('spam '.repeat(1000));", { maxOutputBytes: 20_000 });
    expect(result.status).toBe('output-limit');
    expect(result.truncated).toBe(true);
    expect(result.output.length).toBe(20_000);
  });

  test('files are capped in size (maxFileMb)', async () => {
    const result = await script(
      "import fs from 'node:fs'; try { fs.writeFileSync('big.bin', Buffer.alloc(3 * 1024 * 1024)); console.log('wrote'); } catch (e) { console.log(e.code); process.exit(3); }",
      { maxFileMb: 1 },
    );
    if (!(await sandboxSupport()).prlimit) return;
    expect(result.status).not.toBe('passed');
    expect(result.output).not.toContain('wrote');
  });

  test.each([true, false])('the sandboxed process and its folder do not outlive the host process (namespaces: %s)', async (namespaces) => {
    const marker = `leftover-${process.pid}-${Date.now()}-${namespaces}`;
    // The sandboxed processes (unshare, prlimit, node --permission): their command lines carry the marker, and the sandbox's flags.
    const running = () => readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && cmdline(pid).includes(marker) && cmdline(pid).includes('--allow-fs-write='));
    const host = spawnTsx('sandbox-host.ts', [marker, String(namespaces)]);
    await host.line((l) => l === 'started');
    const [pid] = running();
    const folder = /--allow-fs-write=([^\0]+)\/work/.exec(cmdline(pid!))?.[1];
    expect(folder && existsSync(folder)).toBe(true);
    expect(await host.exit).toBe(0);
    const deadline = Date.now() + 10_000;
    while (running().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running()).toEqual([]);
    expect(existsSync(folder!)).toBe(false);
  });

  test('the caller can cancel a run', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const result = await script('setInterval(() => {}, 1000);', { signal: controller.signal, timeoutMs: 20_000 });
    expect(result.status).toBe('cancelled');
  });
});

describe('sandbox: isolation', () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('reached the host'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const probeNetwork = (p: number) => `
    import net from 'node:net';
    const results = [];
    try { const r = await fetch('http://127.0.0.1:${p}/'); results.push('fetch ok ' + (await r.text())); } catch (e) { results.push('fetch ' + (e.cause?.code ?? e.code ?? e.message)); }
    await new Promise((resolve) => {
      try {
        const s = net.connect(${p}, '127.0.0.1');
        s.on('connect', () => { results.push('net ok'); s.destroy(); resolve(); });
        s.on('error', (e) => { results.push('net ' + e.code); resolve(); });
      } catch (e) { results.push('net ' + e.code); resolve(); }
    });
    console.log(results.join('; '));
  `;

  test.each([true, false])('no network to a loopback server on the host (namespaces: %s)', async (namespaces) => {
    connections = 0;
    const result = await script(probeNetwork(port), { namespaces });
    expect(result.stdout).not.toContain(' ok');
    expect(result.stdout).toMatch(/fetch \S+; net \S+/);
    expect(connections).toBe(0);
  });

  test('no writes (or reads) outside the sandbox directory', async () => {
    const outside = join(tmpdir(), `switchyard-escape-${process.pid}-${Date.now()}.txt`);
    const result = await script(`
      import fs from 'node:fs';
      try { fs.writeFileSync(${JSON.stringify(outside)}, 'escaped'); console.log('write ok'); } catch (e) { console.log('write', e.code); }
      try { fs.readFileSync('/etc/hostname'); console.log('read ok'); } catch (e) { console.log('read', e.code); }
      fs.writeFileSync('inside.txt', 'fine'); console.log('inside', fs.readFileSync('inside.txt', 'utf8'));
    `);
    expect(result.stdout).toContain('write ERR_ACCESS_DENIED');
    expect(result.stdout).toContain('read ERR_ACCESS_DENIED');
    expect(result.stdout).toContain('inside fine');
    expect(existsSync(outside)).toBe(false);
  });

  test('no escape through links: creating symbolic or hard links is refused', async () => {
    const result = await script(`
      import fs from 'node:fs';
      for (const [kind, make] of [['symlink', () => fs.symlinkSync('/tmp', 'out')], ['rel', () => fs.symlinkSync('../../..', 'up')], ['hard', () => fs.linkSync('/etc/hostname', 'h')]]) {
        try { make(); console.log(kind, 'created'); } catch (e) { console.log(kind, e.code); }
      }
    `);
    expect(result.stdout).not.toContain('created');
    expect(result.stdout.match(/ERR_ACCESS_DENIED/g)).toHaveLength(3);
  });

  test('no child processes or workers (a fork bomb stops at the first spawn)', async () => {
    const result = await script(`
      import cp from 'node:child_process';
      import { Worker } from 'node:worker_threads';
      try { for (;;) cp.spawn(process.execPath, ['-e', '1']); } catch (e) { console.log('spawn', e.code); }
      try { new Worker('1', { eval: true }); console.log('worker ok'); } catch (e) { console.log('worker', e.code); }
    `);
    expect(result.stdout).toContain('spawn ERR_ACCESS_DENIED');
    expect(result.stdout).toContain('worker ERR_ACCESS_DENIED');
  });

  test('no native addons, WASI, inspector or process.binding', async () => {
    const result = await script(`
      import inspector from 'node:inspector';
      import { WASI } from 'node:wasi';
      const out = [];
      const attempt = (name, fn) => { try { fn(); out.push(name + ' allowed'); } catch (e) { out.push(name + ' ' + e.code); } };
      attempt('addon', () => process.dlopen({ exports: {} }, './addon.node'));
      attempt('wasi', () => new WASI({ version: 'preview1' }));
      attempt('inspector', () => inspector.open(0));
      attempt('session', () => new inspector.Session().connect());
      attempt('binding', () => process.binding('fs'));
      console.log(out.join('; '));
    `);
    expect(result.stdout).not.toContain('allowed');
    expect(result.stdout.trim()).toMatch(/^addon ERR_\w+; wasi ERR_ACCESS_DENIED; inspector ERR_ACCESS_DENIED; session ERR_ACCESS_DENIED; binding ERR_ACCESS_DENIED$/);
  });

  test.each([true, false])('no signals to host processes (namespaces: %s)', async (namespaces) => {
    const victim = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const result = await script(
        `for (const kill of [process.kill, process._kill]) { try { kill(${victim.pid}, 'SIGKILL'); console.log('killed'); } catch (e) { console.log(e.code); } }`,
        { namespaces },
      );
      expect(result.stdout).not.toContain('killed');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(victim.exitCode).toBeNull();
      expect(victim.signalCode).toBeNull();
    } finally {
      victim.kill('SIGKILL');
    }
  });

  test("the host's environment (API keys) is not passed in", async () => {
    process.env.SWITCHYARD_SANDBOX_SECRET = 'sk-should-not-leak';
    try {
      const result = await script('console.log(JSON.stringify(process.env));', { env: { EXTRA: 'given' } });
      expect(result.stdout).not.toContain('sk-should-not-leak');
      expect(JSON.parse(result.stdout)).toMatchObject({ EXTRA: 'given' });
    } finally {
      delete process.env.SWITCHYARD_SANDBOX_SECRET;
    }
  });

  test('refuses escaping paths, non-Node commands and flags that grant permissions', async () => {
    const refused = async (options: SandboxOptions) => {
      const error = await runInSandbox(options).then(() => undefined, (e: unknown) => e);
      expect(SwitchyardError.isInstance(error) && error.kind).toBe('invalid_request');
      return (error as Error).message;
    };
    expect(await refused({ files: { '../escape.mjs': '' }, command: ['node', 'main.mjs'] })).toContain('../escape.mjs');
    expect(await refused({ files: { '/etc/x.mjs': '' }, command: ['node', 'main.mjs'] })).toContain('relative');
    expect(await refused({ files: {}, command: ['sh', '-c', 'echo hi'] })).toContain('Only Node scripts');
    expect(await refused({ files: {}, command: ['node', '--allow-child-process', 'main.mjs'] })).toContain('--allow-child-process');
    expect(await refused({ files: {}, command: ['node', 'main.mjs'], env: { NODE_OPTIONS: '--allow-worker' } })).toContain('NODE_OPTIONS');
  });
});
