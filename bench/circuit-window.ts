import { createSwitchyard } from '../src/index.js';
import { ManualClock, simulated } from '../src/testing/index.js';
import { currentLoad, machineLine } from './machine.js';
import { fmt } from './stats.js';
import { option } from './cli.js';

/**
 * A long-running instance: one endpoint × model takes a call every millisecond (a `ManualClock` moves 1 ms per call),
 * so after a minute of traffic the circuit breaker's failure-rate window (`windowMs`, 60 s by default) holds 60,000
 * outcomes and drops one per call. CPU per `sy.generate` call while the window fills, and once it is full: a window
 * whose pruning costs O(outcomes in it) makes the second much slower than the first.
 *
 *   npm run bench:circuit-window -- [--fill=60000] [--full=20000]
 *   (against the build in dist/, see use-dist.mjs; SWITCHYARD_DIST=<dir> measures an earlier build)
 */
async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => Number(option(name) ?? fallback);
  const fill = arg('fill', 60_000);
  const full = arg('full', 20_000);
  console.log(machineLine());
  const clock = new ManualClock();
  const sy = createSwitchyard({ providers: [simulated({ reply: { text: 'ok' } })], clock });
  const phase = async (calls: number): Promise<number> => {
    const start = process.cpuUsage();
    for (let i = 0; i < calls; i++) {
      await clock.advance(1);
      await sy.generate({ model: 'gpt-5.4', prompt: 'hi', maxOutputTokens: 16 });
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / calls;
  };
  const filling = await phase(fill);
  const pruning = await phase(full);
  console.log(`\nCPU µs per call (load ${currentLoad()}): window filling (first ${fmt.int(fill)} calls) ${fmt.us(filling)}; window full (next ${fmt.int(full)}) ${fmt.us(pruning)}; ratio ${fmt.ratio(pruning / filling)}`);
}

await main();
