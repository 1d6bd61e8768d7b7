import type { Waiting } from './flow-context.js';

/** Thrown by a node that waits for a person (an `.approval`, a nested graph that paused): it ends as 'waiting'. */
export class NodePaused extends Error {
  constructor(readonly waiting: Waiting[]) {
    super(`Waiting for ${waiting.map((w) => `'${w.nodeId}'`).join(', ')}`);
  }
}
