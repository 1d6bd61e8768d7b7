import { readFileSync } from 'node:fs';
import { SwitchyardError } from '../errors/switchyard-error.js';
import type { RunEvent } from '../run/events.js';
import type { TraceHeader } from './trace-types.js';

/** A trace read back: its header (absent in a trace written by a bare writer) and its events in order. */
export interface ParsedTrace {
  header?: TraceHeader;
  events: RunEvent[];
  /** Lines that were not valid JSON (a last line cut by a crash counts here). */
  badLines: number;
  /** True when the run's `run-end` is missing: the process stopped mid-run. */
  incomplete: boolean;
}

/** Parses the text of a JSON-lines trace. Lines that do not parse are skipped and counted. */
export function parseTrace(text: string): ParsedTrace {
  const events: RunEvent[] = [];
  let header: TraceHeader | undefined;
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      badLines++;
      continue;
    }
    const type = (record as { type?: unknown } | null)?.type;
    if (type === 'trace-start') header ??= record as TraceHeader;
    else if (typeof type === 'string') events.push(record as RunEvent);
    else badLines++;
  }
  const incomplete = !events.some((event) => event.type === 'run-end');
  return header === undefined ? { events, badLines, incomplete } : { header, events, badLines, incomplete };
}

/** Reads and parses a trace file. Throws kind 'invalid_request' when the file cannot be read or holds no event. */
export function readTrace(path: string): ParsedTrace {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SwitchyardError({ kind: 'invalid_request', message: `Cannot read the trace '${path}': ${(error as Error).message}.`, cause: error });
  }
  const trace = parseTrace(text);
  if (trace.events.length === 0 && trace.header === undefined) {
    throw new SwitchyardError({
      kind: 'invalid_request',
      message: `'${path}' holds no run events: pass a trace written by sy.run(wf, input, { trace: '${path}' }).`,
    });
  }
  return trace;
}
