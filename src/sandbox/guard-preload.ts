import { BUILTINS_GUARD } from './guard-builtins.js';
import { NETWORK_GUARD } from './guard-network.js';
import { PATHS_GUARD } from './guard-paths.js';
import { PROCESSES_GUARD } from './guard-processes.js';

/**
 * The script preloaded (`--require`) into every sandboxed Node process, before any user code. Node's permission
 * model (Node 22 and 24) confines file contents, child processes, workers, native addons, WASI and the inspector,
 * but not the network, signals to other processes, some existence probes of paths, or `node:sqlite`; the guard
 * closes those from JavaScript (see each part) by replacing entry points with functions that throw, locked
 * (non-writable, non-configurable) so user code cannot put the originals back. With the permission model on, user
 * code cannot reach the native bindings behind them (`process.binding`, addons and `--expose-internals` are
 * denied). A network namespace (`unshare --net`) is added where the host allows it.
 */
export const GUARD_PRELOAD = String.raw`'use strict';
(() => {
  const denied = (what) =>
    function sandboxDenied() {
      const error = new Error(what + ' is disabled in the switchyard sandbox');
      error.code = 'ERR_SANDBOX_DENIED';
      throw error;
    };
  const lock = (target, key, value) => {
    if (target == null) return;
    Object.defineProperty(target, key, { value, writable: false, configurable: false, enumerable: false });
  };
${NETWORK_GUARD}
${PROCESSES_GUARD}
${PATHS_GUARD}
${BUILTINS_GUARD}
})();
`;
