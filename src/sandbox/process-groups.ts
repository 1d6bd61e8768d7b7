/** Process groups of sandboxed runs still alive, killed if the host process exits first. */
const live = new Set<number>();
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

/** Tracks a group until the returned function is called; the host's exit kills every tracked group. */
export function trackGroup(pid: number | undefined): () => void {
  if (pid === undefined) return () => {};
  live.add(pid);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const group of live) killGroup(group);
    });
  }
  return () => live.delete(pid);
}
