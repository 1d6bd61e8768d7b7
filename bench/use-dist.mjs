// Runs a benchmark against the built package (dist/, as an application imports it) instead of src/ through tsx:
// tsx compiles with esbuild's keepNames, which wraps every named function and closure in a `__name(…)` call
// (defineProperty on each closure made: CPU, and a property array of ~256 bytes per closure kept alive), a cost
// the published build does not have. Build first (`npm run build`), then:
//   node --import tsx --import ./bench/use-dist.mjs bench/<benchmark>.ts
import { register } from 'node:module';

register('./dist-resolve.mjs', import.meta.url);
