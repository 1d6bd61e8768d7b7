/**
 * vitest globalSetup: makes sure Debian's Chromium is at /usr/bin/chromium for the report's browser test
 * (installs it with scripts/ensure-chromium.sh when missing). Fails the run when it cannot be had: the browser
 * test must fail, never skip.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = '/usr/bin/chromium';
/** Headless, no sandbox (root in CI), and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default function setup(): void {
  if (existsSync(CHROMIUM)) return;
  const script = fileURLToPath(new URL('../../scripts/ensure-chromium.sh', import.meta.url));
  try {
    execFileSync('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  } catch (error) {
    throw new Error(`Chromium is needed for test/report-browser.test.ts and could not be installed (${(error as Error).message}).`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`scripts/ensure-chromium.sh ran but ${CHROMIUM} is still missing.`);
}
