/**
 * Guard script part: built-in modules that reach outside the permission model are disabled. `node:sqlite` opens and
 * creates database files anywhere on Node 22 and 24 (the permission model does not check its paths), so every export
 * that opens or copies a database throws. The exports object is the one every `require`, `import` and
 * `process.getBuiltinModule` hands out, so locking its members covers them all. Runs inside the guard's IIFE.
 */
export const BUILTINS_GUARD = String.raw`
  let sqlite;
  try { sqlite = require('node:sqlite'); } catch {}
  if (sqlite) {
    for (const key of Object.keys(sqlite)) {
      if (typeof sqlite[key] === 'function') lock(sqlite, key, denied('node:sqlite (it is not confined by the permission model)'));
    }
  }
`;
