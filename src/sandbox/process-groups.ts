import { rmSync } from 'node:fs';

/** Process groups of sandboxed runs still alive (with their folders), killed if the host process exits first. */
const live = new Map<number, string | undefined>();
let hooked = false;

/** Sends SIGKILL to a whole process group (the sandbox leader and anything it started). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Tracks a group until the returned function is called; the host's exit kills every tracked group and removes its
 * `folder` (the run's `finally` never comes once the host exits).
 */
export function trackGroup(pid: number | undefined, folder?: string): () => void {
  if (pid === undefined) return () => {};
  live.set(pid, folder);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const [group, dir] of live) {
        killGroup(group);
        if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  return () => live.delete(pid);
}
