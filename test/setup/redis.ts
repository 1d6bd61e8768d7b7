/**
 * vitest globalSetup: starts a throwaway `redis-server` (Debian package; scripts/ensure-redis.sh installs it) on a
 * free loopback port — no persistence, bound to 127.0.0.1 — for the Redis and BullMQ tests, and stops it after.
 * The URL reaches the tests through `inject('redisUrl')` (and REDIS_URL for child processes). When the server
 * cannot be started, `redisError` says why and the Redis tests FAIL with it (they never skip); other tests run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    redisError: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', () => resolve(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}

/** Starts a throwaway redis-server on a free loopback port and waits until it answers PING. */
export async function startRedisServer(): Promise<{ url: string; proc: ChildProcess }> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error('redis-server is not installed: run scripts/ensure-redis.sh (as root) — the Redis and BullMQ tests need it.');
  }
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const exited = new Promise<never>((_, reject) => proc.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}`))));
  exited.catch(() => {});
  for (let i = 0; i < 100; i++) {
    if (await Promise.race([ping(port), exited])) return { url: `redis://127.0.0.1:${port}`, proc };
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within 5 s`);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let proc: ChildProcess | undefined;
  try {
    const started = await startRedisServer();
    proc = started.proc;
    process.env['REDIS_URL'] = started.url;
    project.provide('redisUrl', started.url);
    project.provide('redisError', '');
  } catch (error) {
    project.provide('redisUrl', '');
    project.provide('redisError', (error as Error).message);
  }
  return async () => {
    if (!proc || proc.exitCode !== null) return;
    const exit = new Promise((resolve) => proc!.once('exit', resolve));
    proc.kill('SIGTERM');
    await exit;
  };
}
