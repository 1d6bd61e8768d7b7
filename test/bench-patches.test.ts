/**
 * docs/benchmarks.md measures what parts of the engine cost with benchmark-only patches (bench/patches/*.patch,
 * applied by `npm run bench:ablation` and by hand for runless-stream). A patch that no longer applies to the
 * source would leave a documented command failing: each must apply to the source as it is, and the ablation's
 * four together (its `all` build), as one series.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ABLATION_PATCHES } from '../bench/ablation.js';

const ROOT = resolve(import.meta.dirname, '..');
const PATCHES = join(ROOT, 'bench', 'patches');

/** `git apply --check` of the patches in order; the error output when they do not apply. */
function check(...names: string[]): string {
  try {
    execFileSync('git', ['apply', '--check', ...names.map((n) => join(PATCHES, n))], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    return '';
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    return `${stderr.trim()}\nRemake the patch against the current source (see the header of bench/ablation.ts).`;
  }
}

describe('bench/patches', () => {
  const patches = readdirSync(PATCHES).filter((f) => f.endsWith('.patch'));

  test('holds the ablation patches bench/ablation.ts applies', () => {
    expect(patches).toEqual(expect.arrayContaining(ABLATION_PATCHES.map((name) => `${name}.patch`)));
  });

  test.each(patches)('%s applies to the source as it is', (patch) => {
    expect(check(patch)).toBe('');
  });

  test('the four ablation patches apply together', () => {
    expect(check(...ABLATION_PATCHES.map((name) => `${name}.patch`))).toBe('');
  });
});
