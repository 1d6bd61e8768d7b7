/**
 * Guard script part: no signals to (or priority changes of) other processes — not covered by the permission model —
 * and no host identity: `os.userInfo()` answers with the sandbox's home, not the host user's name and home folder.
 * Runs inside the guard's IIFE (`denied`, `lock` in scope).
 */
export const PROCESSES_GUARD = String.raw`
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
  const home = process.cwd();
  const user = os.userInfo();
  lock(os, 'userInfo', function userInfo(options) {
    const encode = (text) => (options && options.encoding === 'buffer' ? Buffer.from(text) : text);
    return { uid: user.uid, gid: user.gid, username: encode('sandbox'), homedir: encode(home), shell: null };
  });
`;
