// The resolve hook of use-dist.mjs: the package's entry points in src/ resolve to their builds in dist/ (or in
// the directory SWITCHYARD_DIST names: a copy of an earlier build, for a before/after comparison).
import { pathToFileURL } from 'node:url';

const root = new URL('../', import.meta.url).href;
const dist = process.env.SWITCHYARD_DIST ? `${pathToFileURL(process.env.SWITCHYARD_DIST).href}/` : `${root}dist/`;
const ENTRIES = new Map([
  [`${root}src/index.ts`, `${dist}index.js`],
  [`${root}src/testing/index.ts`, `${dist}testing.js`],
]);

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const built = ENTRIES.get(resolved.url);
  return built === undefined ? resolved : { ...resolved, url: built, format: 'module' };
}
