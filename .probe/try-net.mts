import { runInSandbox } from '../src/sandbox/index.ts';
import { createServer } from 'node:http';
const server = createServer((_q, r) => r.end('x')); await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as any).port;
const code = `import net from 'node:net'; const out = []; try { await fetch('http://127.0.0.1:${port}/'); out.push('fetch OK') } catch (e) { out.push('fetch ' + (e.cause?.code ?? e.code) + ' ' + (e.cause?.message ?? e.message)) }
try { net.connect(${port}, '127.0.0.1').on('error', (e) => console.log('net async', e.code)) } catch (e) { out.push('net ' + e.code) } console.log(out.join(' | '))`;
for (const namespaces of [true, false]) { const r = await runInSandbox({ files: { 'a.mjs': code }, command: ['node', 'a.mjs'], namespaces }); console.log(namespaces, r.status, r.output); }
server.close();
