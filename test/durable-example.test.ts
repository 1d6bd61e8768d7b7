/** examples/durable-resume.ts runs, and its resumed run requests only the node that had not completed. */
import { expect, test, vi } from 'vitest';
import { main } from '../examples/durable-resume.js';

test('the durable-resume example: 3 nodes, 3 model requests in all, the run succeeds after resume', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const { result, requests } = await main();
    expect(result.status).toBe('succeeded');
    expect(requests).toBe(3); // outline and draft once (before the "crash"), review once (after the resume)
    expect(result.nodes.outline.status).toBe('succeeded');
  } finally {
    log.mockRestore();
  }
});
