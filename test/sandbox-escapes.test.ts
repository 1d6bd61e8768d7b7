/**
 * What a hostile test of the sandbox found open on Node 22 and 24, closed: existence probes of host paths
 * (`fs.realpathSync`, `require.resolve`, `import.meta.resolve`, module-not-found errors, package lookups above the
 * sandbox), Node flags that open internals (`--expose-internals`), raw network handles (a TCP connection through
 * `net._createServerHandle`'s handle class, a Unix socket through `process.stdout._handle`'s — even inside a network
 * namespace), `node:sqlite` writing outside, and the host user's identity. CI runs this file on Node 22 and 24.
 */
import { mkdirSync, mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runInSandbox, SwitchyardError, type SandboxOptions } from '../src/index.js';

/** Runs one ESM script in the sandbox. */
const script = (code: string, options: Partial<SandboxOptions> = {}) =>
  runInSandbox({ files: { 'main.mjs': code }, command: ['node', 'main.mjs'], ...options });

/** A host folder the sandboxes are made in (TMPDIR), with things above them a probe could look for. */
let host = '';
const savedTmp = process.env['TMPDIR'];
beforeAll(() => {
  host = mkdtempSync(join(tmpdir(), 'sandbox-escapes-'));
  mkdirSync(join(host, 'node_modules', 'host-only-pkg'), { recursive: true });
  writeFileSync(join(host, 'node_modules', 'host-only-pkg', 'package.json'), '{"name":"host-only-pkg","main":"index.js"}');
  writeFileSync(join(host, 'node_modules', 'host-only-pkg', 'index.js'), 'module.exports = "host code";');
  writeFileSync(join(host, 'package.json'), '{"type":"module","imports":{"#host":"./secret.js"}}');
  writeFileSync(join(host, 'secret.js'), 'export default "host secret";');
  process.env['TMPDIR'] = host;
});
afterAll(() => {
  if (savedTmp === undefined) delete process.env['TMPDIR'];
  else process.env['TMPDIR'] = savedTmp;
  rmSync(host, { recursive: true, force: true });
});

/** A script that runs each probe on `path` and prints their outcomes as JSON (the path written PATH, its own folder SANDBOX). */
function probes(path: string): string {
  return `
    import fs from 'node:fs';
    import Module, { createRequire } from 'node:module';
    const require = createRequire(import.meta.url);
    const target = ${JSON.stringify(path)};
    const out = {};
    const outcome = async (fn) => { try { return { value: await fn() }; } catch (e) { return { code: e.code, message: String(e.message).split('\\n')[0] }; } };
    const probes = {
      realpathSync: () => fs.realpathSync(target),
      realpathNative: () => fs.realpathSync.native(target),
      realpathPromise: () => fs.promises.realpath(target),
      stat: () => fs.statSync(target).size,
      exists: () => fs.existsSync(target),
      access: () => fs.accessSync(target),
      requireResolve: () => require.resolve(target),
      require: () => require(target),
      importMetaResolve: () => import.meta.resolve(target),
      dynamicImport: () => import(target).then(() => 'loaded'),
      findPath: () => Module._findPath(target, ['']),
      stat_: () => Module._stat(target),
      findPackageJSON: () => Module.findPackageJSON(target, import.meta.url),
      relativeRequire: () => require.resolve('../'.repeat(12) + target.replace(/^\\//, '')),
    };
    for (const [name, fn] of Object.entries(probes)) out[name] = await outcome(fn);
    console.log(JSON.stringify(out).split(JSON.stringify(target).slice(1, -1)).join('PATH').split(process.cwd()).join('SANDBOX'));
  `;
}

describe('sandbox: no existence probes outside its directory', () => {
  test.each([
    ['a system file', '/etc/passwd', '/etc/switchyard-no-such-file'],
    ['a file next to the sandboxes', () => join(host, 'secret.js'), () => join(host, 'no-such.js')],
    ["the project's package.json", join(process.cwd(), 'package.json'), join(process.cwd(), 'no-such.json')],
  ])('%s: every probe answers the same whether it exists or not', async (_what, existing, missing) => {
    const [there, absent] = [typeof existing === 'function' ? existing() : existing, typeof missing === 'function' ? missing() : missing];
    const [a, b] = await Promise.all([script(probes(there)), script(probes(absent))]);
    expect(a.status, a.output).toBe('passed');
    expect(b.status, b.output).toBe('passed');
    const [seenThere, seenAbsent] = [JSON.parse(a.stdout) as Record<string, unknown>, JSON.parse(b.stdout) as Record<string, unknown>];
    expect(Object.keys(seenThere)).toHaveLength(14);
    for (const probe of Object.keys(seenThere)) expect(seenThere[probe], probe).toEqual(seenAbsent[probe]);
    expect(JSON.stringify(seenThere)).not.toMatch(/"value":"(PATH|file:\/\/PATH)"/);
  });

  test('packages and package.json files above the sandbox are not found, read or reported', async () => {
    const result = await script(`
      import Module, { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const out = [];
      const tryIt = async (name, fn) => { try { out.push(name + ' ' + JSON.stringify(await fn())); } catch (e) { out.push(name + ' ' + e.code); } };
      await tryIt('import', () => import('host-only-pkg'));
      await tryIt('require', () => require('host-only-pkg'));
      await tryIt('resolve', () => import.meta.resolve('host-only-pkg'));
      await tryIt('imports', () => import('#host'));
      await tryIt('findPackageJSON', () => Module.findPackageJSON('host-only-pkg', import.meta.url) ?? 'none');
      await tryIt('findParent', () => Module.findPackageJSON('..', import.meta.url) ?? 'none');
      console.log(out.join('\\n'));
    `);
    expect(result.stdout).not.toContain('host code');
    expect(result.stdout).not.toContain('host secret');
    expect(result.stdout).not.toContain(host);
    expect(result.stdout.trim().split('\n')).toEqual([
      'import ERR_MODULE_NOT_FOUND',
      'require MODULE_NOT_FOUND',
      'resolve ERR_MODULE_NOT_FOUND',
      'imports ERR_MODULE_NOT_FOUND',
      'findPackageJSON "none"',
      'findParent "none"',
    ]);
  });

  test('modules inside the sandbox resolve as usual: packages, scopes, self-reference, #imports, module type', async () => {
    const result = await runInSandbox({
      files: {
        'package.json': '{"name":"app","type":"module","imports":{"#util":"./util.js"},"exports":{".":"./main.js"}}',
        'util.js': 'export const util = "util";',
        'node_modules/esm-lib/package.json': '{"name":"esm-lib","type":"module","exports":{".":"./index.js","./sub":"./sub.js"}}',
        'node_modules/esm-lib/index.js': 'export default "esm-lib";',
        'node_modules/esm-lib/sub.js': 'export default "esm-lib/sub";',
        'node_modules/cjs-lib/package.json': '{"name":"cjs-lib","main":"lib/main.js"}',
        'node_modules/cjs-lib/lib/main.js': 'module.exports = "cjs-lib";',
        'node_modules/@scope/pkg/package.json': '{"name":"@scope/pkg","main":"index.js"}',
        'node_modules/@scope/pkg/index.js': 'module.exports = "@scope/pkg";',
        'main.js': `
          import { createRequire } from 'node:module';
          import esm from 'esm-lib';
          import sub from 'esm-lib/sub';
          import cjs from 'cjs-lib';
          import scoped from '@scope/pkg';
          import { util } from '#util';
          const require = createRequire(import.meta.url);
          const self = import.meta.resolve('app').endsWith('/main.js');
          console.log([esm, sub, cjs, scoped, util, require('cjs-lib'), self].join(' '));
        `,
      },
      command: ['node', 'main.js'],
    });
    expect(result.status, result.output).toBe('passed');
    expect(result.stdout.trim()).toBe('esm-lib esm-lib/sub cjs-lib @scope/pkg util cjs-lib true');
  });

  test("the host user's name and home folder are not reported", async () => {
    const result = await script("import os from 'node:os'; const u = os.userInfo(); console.log(u.username, u.homedir === process.cwd(), os.homedir() === process.cwd());");
    expect(result.stdout.trim()).toBe('sandbox true true');
  });
});

describe('sandbox: Node flags and environment', () => {
  const refused = async (options: SandboxOptions) => {
    const error = await runInSandbox(options).then(() => undefined, (e: unknown) => e);
    expect(SwitchyardError.isInstance(error) && error.kind).toBe('invalid_request');
    return (error as Error).message;
  };

  test.each([
    '--expose-internals',
    '--expose_internals',
    '--allow-fs-read=/',
    '--inspect-brk',
    '--require=./x.cjs',
    '--import=./x.mjs',
    '--env-file=/etc/passwd',
    '--experimental-loader=./x.mjs',
    '--test-reporter=./reporter.mjs',
    '--max-old-space-size=100000',
    '--no-experimental-permission',
    '-r',
  ])('refuses %s (only an allow-list of flags is accepted)', async (flag) => {
    expect(await refused({ files: { 'main.mjs': '' }, command: ['node', flag, 'main.mjs'] })).toContain(flag);
  });

  test('allowed flags work', async () => {
    const result = await runInSandbox({
      files: { 'main.mjs': 'console.log(typeof gc, Error.stackTraceLimit);' },
      command: ['node', '--expose-gc', '--stack-trace-limit=7', '--no-warnings', 'main.mjs'],
    });
    expect(result.stdout.trim()).toBe('function 7');
  });

  test.each(['NODE_OPTIONS', 'NODE_PATH', 'NODE_EXTRA_CA_CERTS', 'LD_PRELOAD', 'OPENSSL_CONF', 'PATH', 'GLIBC_TUNABLES'])(
    'refuses the environment variable %s',
    async (name) => {
      expect(await refused({ files: { 'main.mjs': '' }, command: ['node', 'main.mjs'], env: { [name]: 'x' } })).toContain(name);
    },
  );
});

describe('sandbox: no raw network handles', () => {
  let http: Server;
  let port = 0;
  let reached = 0;
  let socketPath = '';
  const unix = createNetServer((socket) => {
    reached++;
    socket.destroy();
  });
  beforeAll(async () => {
    http = createHttpServer((_req, res) => res.end('reached the host'));
    http.on('connection', () => reached++);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    port = (http.address() as AddressInfo).port;
    socketPath = join(mkdtempSync(join(tmpdir(), 'sandbox-sock-')), 'host.sock');
    await new Promise<void>((resolve) => unix.listen(socketPath, resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await new Promise<void>((resolve) => unix.close(() => resolve()));
  });

  // Each outcome is printed at once: on an unguarded Node the UDP attempt aborts the process (a C++ assertion).
  const rawHandles = () => `
    import net from 'node:net';
    import dgram from 'node:dgram';
    import dns from 'node:dns';
    const attempt = (name, fn) => { try { console.log(name, fn()); } catch (e) { console.log(name, e.code); } };
    attempt('tcp', () => { const TCP = net._createServerHandle('127.0.0.1', 0, 4).constructor; return new TCP(0).connect(new TCP(0), '127.0.0.1', ${port}); });
    attempt('tcp-socket', () => { const s = new net.Socket(); return s.connect(${port}, '127.0.0.1') && 'connecting'; });
    attempt('listen2', () => { const s = new net.Server(); s._listen2('127.0.0.1', 0, 4); return 'listening'; });
    attempt('pipe', () => { const Pipe = process.stdout._handle.constructor; return new Pipe(0).connect(new Pipe(0), ${JSON.stringify(socketPath)}); });
    attempt('dns', () => { const r = new dns.Resolver(); return r._handle.queryA({ oncomplete() {} }, 'example.com'); });
    await new Promise((resolve) => setTimeout(resolve, 300));
    attempt('udp', () => { const s = dgram.createSocket('udp4'); const state = Object.getOwnPropertySymbols(s).map((k) => s[k]).find((v) => v && v.handle); return state.handle.send(new (state.handle.constructor)(), [Buffer.from('x')], 1, ${port}, '127.0.0.1', false); });
  `;

  test.each([false, true])('TCP, Unix-socket, UDP and DNS handles are locked (namespaces: %s)', async (namespaces) => {
    reached = 0;
    const result = await script(rawHandles(), { namespaces });
    expect(reached).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['tcp', 'tcp-socket', 'listen2', 'pipe', 'dns', 'udp'].map((name) => `${name} ERR_SANDBOX_DENIED`));
  });
});

describe('sandbox: node:sqlite', () => {
  test('cannot open or create a database, outside the directory or in it', async () => {
    const outside = join(host, 'escape.db');
    const result = await script(`
      import { DatabaseSync, backup } from 'node:sqlite';
      const out = [];
      for (const path of [${JSON.stringify(outside)}, 'inside.db', ':memory:']) {
        try { new DatabaseSync(path); out.push('opened'); } catch (e) { out.push(e.code); }
      }
      try { process.getBuiltinModule('node:sqlite').DatabaseSync = class {}; out.push('replaced'); } catch (e) { out.push(e.constructor.name); }
      console.log(out.join(' '), typeof backup);
    `);
    expect(result.stdout.trim()).toBe('ERR_SANDBOX_DENIED ERR_SANDBOX_DENIED ERR_SANDBOX_DENIED TypeError function');
    expect(existsSync(outside)).toBe(false);
  });
});
