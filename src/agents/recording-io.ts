import { ZERO_USAGE } from '../models/usage.js';
import type { CallMeter, NodeIO } from './node-io.js';

/** A NodeIO that also keeps a meter per call it makes (success or not), in `log`. */
export function recordingIO(io: NodeIO, log: CallMeter[]): NodeIO {
  return {
    runId: io.runId,
    nodeId: io.nodeId,
    get signal() {
      return io.signal;
    },
    catalog: io.catalog,
    call: (options, messages, place = {}) => {
      const meter: CallMeter = place.meter ?? { usage: { ...ZERO_USAGE }, costUsd: 0 };
      log.push(meter);
      return io.call(options, messages, { ...place, meter });
    },
    emit: (payload, tags) => io.emit(payload, tags),
    spent: () => io.spent(),
    steps: io.steps,
    answer: io.answer,
  };
}
