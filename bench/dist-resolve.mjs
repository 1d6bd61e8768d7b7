// The resolve hook of use-dist.mjs: the package's entry points in src/ resolve to their builds in dist/.
const root = new URL('../', import.meta.url).href;
const ENTRIES = new Map([
  [`${root}src/index.ts`, `${root}dist/index.js`],
  [`${root}src/testing/index.ts`, `${root}dist/testing.js`],
]);

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  const built = ENTRIES.get(resolved.url);
  return built === undefined ? resolved : { ...resolved, url: built, format: 'module' };
}
