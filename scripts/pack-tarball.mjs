// Packs the package as `npm publish` would, from the dist/ already built (scripts off: `npm test` built it a step
// earlier; a plain `npm pack` runs the build itself through `prepack`). Returns the tarball's path.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Packs into `dir` and returns the .tgz path; throws when there is no build to pack. */
export function packTarball(dir) {
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('pack: dist/ is missing; run `npm run build` first.');
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const [info] = JSON.parse(out);
  const path = join(dir, info.filename);
  console.log(`packed ${info.filename}: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} kB`);
  return path;
}

/** The tarball `npm test` packed (SWITCHYARD_TARBALL), or a fresh one in `dir` when a check runs on its own. */
export function tarballFor(dir) {
  const given = process.env['SWITCHYARD_TARBALL'];
  if (given) return given;
  return packTarball(dir);
}
