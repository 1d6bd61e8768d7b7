import dc from 'node:diagnostics_channel';
import { machineLine } from './machine.js';
import { adapterOnly, rawOpenAI, startServer, switchyard, type Api, type Client } from './streamed-call.js';
import { importBuild, option } from './cli.js';

/**
 * New connections per call: section 7's streamed call (30 words over SSE from the mock server in a child process),
 * `--calls` calls one after another per client, counting the TCP connections fetch opens (undici's
 * `undici:client:connected` diagnostics channel). A client that keeps its connection alive opens none after the
 * first call; one that cuts each request before the end of its body opens one per cut, and over the internet each
 * is a TCP and TLS handshake.
 *
 *   npm run bench:connections -- [--calls=200] [--builds=.tmp-before,dist]
 *   (against the build in dist/, see use-dist.mjs; `--builds`: the adapter alone and `sy.stream` on each build)
 */

let connected = 0;
dc.subscribe('undici:client:connected', () => connected++);

async function main(): Promise<void> {
  const calls = Number(option('calls') ?? 200);
  const builds = option('builds')?.split(',') ?? ['dist'];
  console.log(machineLine());
  const { child, baseURL } = await startServer();
  const clients: Array<[string, Client]> = [['raw openai SDK', rawOpenAI(baseURL)]];
  for (const dir of builds) {
    const lib = (await importBuild(dir)).index;
    clients.push([`openai() adapter alone [${dir}]`, adapterOnly(baseURL, lib)], [`sy.stream → openai() [${dir}]`, switchyard(baseURL, lib)]);
  }
  console.log(`\nNew connections over ${calls} calls in a row, after one call to open the first\n`);
  console.log(`| Client | ${(['chat', 'responses'] as Api[]).map((api) => (api === 'chat' ? 'Chat Completions' : 'Responses API')).join(' | ')} |`);
  console.log('|---|---|---|');
  try {
    for (const [name, client] of clients) {
      const counts: number[] = [];
      for (const api of ['chat', 'responses'] as Api[]) {
        const call = client(api);
        await call();
        connected = 0;
        for (let i = 0; i < calls; i++) await call();
        counts.push(connected);
      }
      console.log(`| ${name} | ${counts.join(' | ')} |`);
    }
  } finally {
    child.stdin!.end();
  }
}

await main();
