import { runInSandbox } from '../src/sandbox/index.ts';
import { existsSync, rmSync } from 'node:fs';
const target = '/tmp/switchyard-symlink-escape';
rmSync(target, { force: true, recursive: true });
const code = `import fs from 'node:fs';
const out = [];
try { fs.symlinkSync('/tmp', 'abs'); out.push('abs symlink created'); } catch (e) { out.push('abs ' + e.code); }
try { fs.symlinkSync('../../../../../../tmp', 'rel'); out.push('rel symlink created'); } catch (e) { out.push('rel ' + e.code); }
for (const l of ['abs', 'rel']) { try { fs.writeFileSync(l + '/switchyard-symlink-escape', 'x'); out.push(l + ' WROTE THROUGH'); } catch (e) { out.push(l + ' write ' + e.code); } }
try { fs.linkSync('/etc/hostname', 'hard'); out.push('hardlink created'); } catch (e) { out.push('hard ' + e.code); }
console.log(out.join('\\n'));`;
const r = await runInSandbox({ files: { 'a.mjs': code }, command: ['node', 'a.mjs'] });
console.log(r.output, 'escaped:', existsSync(target));
