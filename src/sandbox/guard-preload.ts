/**
 * The script preloaded (`--require`) into every sandboxed Node process, before any user code. Node's permission
 * model (Node 22 and 24) confines the file system, child processes, workers, native addons, WASI and the
 * inspector, but not the network and not signals to other processes; this closes those from JavaScript by
 * replacing the entry points with functions that throw, locked (non-writable, non-configurable) so user code
 * cannot put the originals back. With the permission model on, user code cannot reach the native bindings
 * behind them (`process.binding` and addons are denied). A network namespace (`unshare --net`) is added where the
 * host allows it.
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
  const net = require('node:net');
  lock(net.Socket.prototype, 'connect', denied('network access'));
  lock(net.Server.prototype, 'listen', denied('listening on the network'));
  const dgram = require('node:dgram');
  for (const key of ['bind', 'connect', 'send']) lock(dgram.Socket.prototype, key, denied('network access'));
  const dns = require('node:dns');
  const lookups = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa',
    'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv',
    'resolveTxt', 'reverse'];
  for (const target of [dns, dns.promises, dns.Resolver.prototype, dns.promises.Resolver.prototype]) {
    for (const key of lookups) if (typeof target[key] === 'function') lock(target, key, denied('DNS'));
  }
  const own = (pid) => Number(pid) === process.pid;
  const kill = process.kill;
  const rawKill = process._kill;
  lock(process, 'kill', function (pid, signal) {
    if (!own(pid)) denied('signalling other processes')();
    return kill.call(process, pid, signal);
  });
  if (typeof rawKill === 'function') {
    lock(process, '_kill', function (pid, signal) {
      if (!own(pid)) denied('signalling other processes')();
      return rawKill.call(process, pid, signal);
    });
  }
  const os = require('node:os');
  const setPriority = os.setPriority;
  lock(os, 'setPriority', function (pid, priority) {
    if (priority !== undefined && pid !== 0 && !own(pid)) denied('changing the priority of other processes')();
    return priority === undefined ? setPriority(pid) : setPriority(pid, priority);
  });
})();
`;
