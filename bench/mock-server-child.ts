import { startMockServer } from '../src/testing/index.js';

/**
 * The mock server in its own process, so that the benchmark process's CPU time counts the client alone. Prints
 * `{"url": …}` on one line, then serves until its stdin closes. The reply text is the first argument.
 */
const server = await startMockServer({ text: process.argv[2] ?? 'ok' });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
