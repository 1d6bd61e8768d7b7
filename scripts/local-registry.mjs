// A loopback npm registry (127.0.0.1) that serves the packages this project installed, so that a check can run
// `npm install` in a fresh app as a user would, through npm's real resolver (versions, peer dependencies, engines),
// with no internet. It speaks the registry's wire format: GET /<name> returns the package's document (every version
// of it found in node_modules, as listed in package-lock.json), GET of a version's tarball returns the tarball
// `npm ci` downloaded, from npm's cache (byte for byte what the registry published; its integrity is in the
// document, and npm checks it) — or, when the cache no longer has it, the version packed from node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where npm's cache keeps the content with this integrity (cacache's content-v2 layout), if it is there. */
function cachedFile(cache, integrity) {
  const [algorithm, digest] = (integrity ?? '').split(' ')[0].split('-');
  if (!algorithm || !digest) return undefined;
  const hex = Buffer.from(digest, 'base64').toString('hex');
  const path = join(cache, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
  return existsSync(path) ? path : undefined;
}

/** name → version → { dir, integrity }, for every installed package of the lock file at `root`. */
function installedPackages(root) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const packages = new Map();
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.includes('node_modules/') || entry.link) continue;
    const dir = join(root, key);
    if (!existsSync(join(dir, 'package.json'))) continue; // an optional dependency for another platform
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    if (!packages.has(name)) packages.set(name, new Map());
    packages.get(name).set(entry.version, { dir, integrity: entry.integrity });
  }
  return packages;
}

const byVersion = (a, b) => {
  const [pa, pb] = [a, b].map((v) => v.split(/[.+-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x)));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    if (typeof pa[i] === 'number' && typeof pb[i] === 'number') return pa[i] - pb[i];
    return String(pa[i] ?? '').localeCompare(String(pb[i] ?? ''));
  }
  return 0;
};

/**
 * Starts the registry. `requested` lists the names npm asked for; `close()` stops it and removes the tarballs.
 * Versions are those of the lock file, so a check answers for the versions this project tests with. `cache` is
 * the npm cache `npm ci` filled (npm passes its own to scripts as npm_config_cache).
 */
export async function startLocalRegistry(root, cache = process.env['npm_config_cache'] || join(homedir(), '.npm')) {
  const packages = installedPackages(root);
  const packDir = mkdtempSync(join(tmpdir(), 'switchyard-registry-'));
  const tarballs = new Map();
  const requested = [];
  let base = '';

  const document = (name) => {
    const versions = {};
    const sorted = [...packages.get(name).keys()].sort(byVersion);
    for (const version of sorted) {
      const { dir, integrity } = packages.get(name).get(version);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const file = `${name.split('/').pop()}-${version}.tgz`;
      const dist = { tarball: `${base}/${encodeURIComponent(name)}/-/${file}`, ...(cachedFile(cache, integrity) ? { integrity } : {}) };
      versions[version] = { ...manifest, name, version, dist };
    }
    return { name, 'dist-tags': { latest: sorted.at(-1) }, versions };
  };

  const tarball = (name, version) => {
    const key = `${name}@${version}`;
    if (!tarballs.has(key)) {
      const { dir, integrity } = packages.get(name).get(version);
      const cached = cachedFile(cache, integrity);
      if (cached) tarballs.set(key, readFileSync(cached));
      else {
        const out = execFileSync('npm', ['pack', dir, '--ignore-scripts', '--json', '--pack-destination', packDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        tarballs.set(key, readFileSync(join(packDir, JSON.parse(out)[0].filename)));
      }
    }
    return tarballs.get(key);
  };

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname).slice(1);
    const [name, file] = path.split('/-/');
    requested.push(name);
    const versions = packages.get(name);
    if (!versions) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Not found' }));
      return;
    }
    if (file === undefined) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document(name)));
      return;
    }
    const version = file.slice(name.split('/').pop().length + 1, -'.tgz'.length);
    if (!versions.has(version)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarball(name, version));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: `${base}/`,
    requested,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(packDir, { recursive: true, force: true });
    },
  };
}
