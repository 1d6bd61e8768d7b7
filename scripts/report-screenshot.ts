/**
 * Remakes docs/report.png, the README's picture of the run report, from what `npm run demo` produces: runs the demo
 * as on a machine without API keys (the simulated provider), then opens the report page it wrote in Chromium
 * (Debian's, at /usr/bin/chromium; scripts/ensure-chromium.sh installs it) and saves a full-page screenshot.
 *
 *   npm run docs:screenshot
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { main } from '../examples/demo.js';
import { demoProviders } from '../examples/demo-providers.js';
import { CHROMIUM, CHROMIUM_ARGS } from '../test/setup/chromium.js';

const out = fileURLToPath(new URL('../docs/report.png', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'switchyard-screenshot-'));
try {
  const outBase = join(dir, 'switchyard-demo');
  const result = await main({ providers: demoProviders({}, console.log), outBase });
  if (result.status !== 'succeeded') throw new Error(`the demo ended ${result.status}; not taking a picture of that`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(`${outBase}.html`).href);
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(`\nWrote ${out} from the demo's report.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
