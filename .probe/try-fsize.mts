import { runInSandbox } from '../src/sandbox/index.ts';
const r = await runInSandbox({ files: { 'a.mjs': "import fs from 'node:fs'; try { fs.writeFileSync('big.bin', Buffer.alloc(3*1024*1024, 1)); console.log('WROTE') } catch (e) { console.log('err', e.code) }" }, command: ['node', 'a.mjs'], maxFileMb: 1 });
console.log(r.status, r.exitCode, r.signal, r.output);
const r2 = await runInSandbox({ files: { 'a.mjs': "for (;;) process.stdout.write('spam '.repeat(1000))" }, command: ['node', 'a.mjs'], maxOutputBytes: 10000 });
console.log(r2.status, r2.exitCode, r2.signal, r2.output.length, r2.truncated);
