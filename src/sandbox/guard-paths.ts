/**
 * Guard script part: path resolution stays inside the sandbox directory. The permission model checks reads, but
 * on Node 22 and 24 some existence probes skip it — `fs.realpathSync`, the CommonJS loader's `Module._stat` (behind
 * `require`, `require.resolve`, `Module._findPath`), the ES module resolver (`import`, `import.meta.resolve`) and
 * `module.findPackageJSON` — so model-written code could learn which host files exist from a result or an error's
 * kind. Here:
 * - `fs.realpathSync` throws ERR_ACCESS_DENIED, like the checked APIs, for any path the sandbox may not read;
 * - the CommonJS loader's stat reports every path outside the directory as missing (set through `Module._stat`'s
 *   own setter, then locked), so outside files are "not found" whether or not they exist;
 * - a resolve hook (`module.registerHooks`, run for `import`, `import.meta.resolve` and `require`) refuses relative,
 *   absolute and `file:` specifiers that point outside, looks bare packages up only in `node_modules` folders inside
 *   the directory (a package whose `main` points outside is refused), and answers every such refusal, and every
 *   failure of a `#import`, with the same "cannot find" error whatever exists outside;
 * - `module.findPackageJSON` answers only inside the directory.
 * The host writes an empty `package.json` just above the directory, so package-scope lookups (module type, `#imports`,
 * self-reference) stop there instead of reading the host's. Runs inside the guard's IIFE (`denied`, `lock` in scope).
 */
export const PATHS_GUARD = String.raw`
  const path = require('node:path');
  const fs = require('node:fs');
  const Module = require('node:module');
  const { fileURLToPath, pathToFileURL } = require('node:url');
  const root = process.cwd();
  const roots = [root];
  try { const real = fs.realpathSync.native(root); if (real !== root) roots.push(real); } catch {}
  const inside = (p) => roots.some((r) => p === r || p.startsWith(r + path.sep));
  const asPath = (p) => {
    if (typeof p === 'string') return path.resolve(p);
    if (Buffer.isBuffer(p)) return path.resolve(p.toString());
    if (p instanceof URL) return p.protocol === 'file:' ? fileURLToPath(p) : undefined;
    return undefined;
  };
  const accessDenied = (resource) => {
    const error = new Error('Access to this API has been restricted. Use --allow-fs-read to manage permissions.');
    error.code = 'ERR_ACCESS_DENIED';
    error.permission = 'FileSystemRead';
    error.resource = resource;
    return error;
  };

  // fs.realpathSync walks the path with unchecked lstat calls.
  const originalRealpath = fs.realpathSync;
  const confinedRealpath = function realpathSync(p, options) {
    const target = asPath(p);
    if (target !== undefined && !process.permission.has('fs.read', target)) throw accessDenied(target);
    return originalRealpath(p, options);
  };
  confinedRealpath.native = originalRealpath.native;
  lock(fs, 'realpathSync', confinedRealpath);

  // The CommonJS loader's existence checks: outside the directory, nothing exists.
  const loaderStat = Module._stat;
  const confinedStat = function stat(filename) {
    return typeof filename === 'string' && inside(path.resolve(filename)) ? loaderStat(filename) : -2;
  };
  Module._stat = confinedStat;
  if (Module._stat !== confinedStat) throw new Error('switchyard sandbox: could not confine the module loader');
  Object.defineProperty(Module, '_stat', { get: () => confinedStat, set: denied('replacing Module._stat'), enumerable: false, configurable: false });

  // The ES module resolver (and require, through the same hooks).
  const notFound = (specifier, parentURL, context, what) => {
    const parent = typeof parentURL === 'string' && parentURL.startsWith('file:') ? fileURLToPath(parentURL) : parentURL;
    const error = new Error('Cannot find ' + what + " '" + specifier + "'" + (parent ? ' imported from ' + parent : ''));
    const required = Array.isArray(context && context.conditions) && context.conditions.includes('require');
    error.code = required ? 'MODULE_NOT_FOUND' : 'ERR_MODULE_NOT_FOUND';
    return error;
  };
  const parentDir = (parentURL) => {
    try { return typeof parentURL === 'string' && parentURL.startsWith('file:') ? path.dirname(fileURLToPath(parentURL)) : root; } catch { return root; }
  };
  const isDirectory = (p) => { try { return fs.statSync(p).isDirectory(); } catch { return false; } };
  const readJson = (p) => { try { return JSON.parse(fs.readFileSync(p, 'utf8')); } catch { return undefined; } };
  const packageName = (specifier) => {
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  };
  /** The package directory a bare specifier names, looked up only inside the sandbox; undefined when none. */
  const findPackage = (name, from) => {
    for (let dir = from; inside(dir); dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (isDirectory(candidate)) return candidate;
      const own = readJson(path.join(dir, 'package.json'));
      if (own && own.name === name && own.exports !== undefined) return dir; // self-reference
      if (dir === path.dirname(dir)) break;
    }
    return undefined;
  };
  const resolvedInside = (result) => !result || typeof result.url !== 'string' || !result.url.startsWith('file:') || inside(fileURLToPath(result.url));
  const resolveSpecifier = (specifier, context, nextResolve) => {
    const parentURL = context && context.parentURL;
    if (Module.isBuiltin(specifier)) return nextResolve(specifier, context);
    const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(specifier);
    const isPath = specifier.startsWith('/') || specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
    if (scheme && scheme[1].toLowerCase() !== 'file') return nextResolve(specifier, context);
    if (scheme || isPath) {
      let targets;
      try {
        const base = typeof parentURL === 'string' ? parentURL : pathToFileURL(root + path.sep).href;
        targets = [fileURLToPath(new URL(specifier, base)), ...(scheme ? [] : [path.resolve(parentDir(parentURL), specifier)])];
      } catch { targets = [path.sep]; }
      if (!targets.every(inside)) throw notFound(specifier, parentURL, context, 'module');
      return nextResolve(specifier, context);
    }
    if (specifier.startsWith('#')) {
      let result;
      try { result = nextResolve(specifier, context); } catch { throw notFound(specifier, parentURL, context, 'module'); }
      if (!resolvedInside(result)) throw notFound(specifier, parentURL, context, 'module');
      return result;
    }
    const name = packageName(specifier);
    const found = findPackage(name, parentDir(parentURL));
    if (found === undefined) throw notFound(name, parentURL, context, 'package');
    const manifest = readJson(path.join(found, 'package.json'));
    if (manifest && manifest.exports === undefined && typeof manifest.main === 'string' && !inside(path.resolve(found, manifest.main))) {
      throw notFound(name, parentURL, context, 'package');
    }
    const result = nextResolve(specifier, context);
    if (!resolvedInside(result)) throw notFound(name, parentURL, context, 'package');
    return result;
  };
  if (typeof Module.registerHooks !== 'function') throw new Error('switchyard sandbox: module.registerHooks is missing (Node 22.15 or later is needed)');
  Module.registerHooks({ resolve: resolveSpecifier });

  // module.findPackageJSON walks up from what it resolves, with unchecked reads.
  if (typeof Module.findPackageJSON === 'function') {
    const findPackageJSON = Module.findPackageJSON;
    lock(Module, 'findPackageJSON', function findPackageJSONInside(specifier, base) {
      const text = specifier instanceof URL ? specifier.href : String(specifier);
      const parentURL = base === undefined ? undefined : base instanceof URL ? base.href : String(base);
      if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(text) && !path.isAbsolute(text) && !text.startsWith('.')) {
        const found = findPackage(packageName(text), parentDir(parentURL));
        const manifest = found && path.join(found, 'package.json');
        return manifest && fs.existsSync(manifest) ? manifest : undefined;
      }
      let target;
      try { target = fileURLToPath(new URL(text, parentURL || pathToFileURL(root + path.sep))); } catch { return undefined; }
      if (!inside(target)) return undefined;
      const result = findPackageJSON(specifier, base);
      return typeof result === 'string' && inside(result) ? result : undefined;
    });
  }
`;
