#!/usr/bin/env node
/**
 * The `switchyard` command.
 *   switchyard report <trace.jsonl> [-o report.html] [--title "…"]
 *   switchyard worker --app <module> [--connection redis://…] [--queue name] [--concurrency n]
 */
import { basename, extname } from 'node:path';
import { writeReport } from './observe/report/write-report.js';

const USAGE = `Usage: switchyard report <trace.jsonl> [-o <report.html>] [--title <title>]
       switchyard worker --app <module> [--connection redis://…] [--queue <name>] [--concurrency <n>]

  report: writes one self-contained HTML page (no network needed) for a run trace recorded with
  sy.run(workflow, input, { trace: 'trace.jsonl' }).
  worker: runs workflow nodes from a BullMQ queue (see docs/scale-out.md; 'switchyard worker --help').

  -o, --out     where to write the page (default: the trace's name with .html)
  --title       the page title
  -h, --help    show this help`;

interface ReportArgs {
  trace: string;
  out: string;
  title?: string;
}

function parseReportArgs(args: readonly string[]): ReportArgs | string {
  let trace: string | undefined;
  let out: string | undefined;
  let title: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-o' || arg === '--out') out = args[++i];
    else if (arg === '--title') title = args[++i];
    else if (arg.startsWith('--out=')) out = arg.slice(6);
    else if (arg.startsWith('-')) return `Unknown option ${arg}.`;
    else if (trace === undefined) trace = arg;
    else return `Unexpected argument ${arg}: give one trace file.`;
  }
  if (trace === undefined) return 'Give the trace file to read.';
  if (out === undefined || out === '') out = `${basename(trace, extname(trace))}.html`;
  return title === undefined ? { trace, out } : { trace, out, title };
}

/** Runs the command line; returns the exit code. */
function main(argv: readonly string[], log = console.log, fail = console.error): number {
  const [command, ...rest] = argv;
  if (command === 'worker') {
    // Runs until SIGTERM/SIGINT; see docs/scale-out.md.
    import('./executor/worker-command.js')
      .then(({ runWorkerCommand }) => runWorkerCommand(rest))
      .catch((error: unknown) => {
        fail(`switchyard worker: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      });
    return 0;
  }
  if (command === undefined || command === '-h' || command === '--help' || rest.includes('-h') || rest.includes('--help')) {
    log(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command !== 'report') {
    fail(`Unknown command '${command}'.\n\n${USAGE}`);
    return 1;
  }
  const args = parseReportArgs(rest);
  if (typeof args === 'string') {
    fail(`${args}\n\n${USAGE}`);
    return 1;
  }
  try {
    const written = writeReport(args.trace, args.out, args.title === undefined ? {} : { title: args.title });
    const size = written.bytes >= 1_000_000 ? `${(written.bytes / 1_000_000).toFixed(1)} MB` : `${Math.ceil(written.bytes / 1000)} KB`;
    const note = written.incomplete ? ' (the trace ends mid-run: the report shows what was recorded)' : '';
    log(`Wrote ${written.path}: ${written.nodes.toLocaleString('en-US')} nodes, ${written.events.toLocaleString('en-US')} events, ${size}${note}.`);
    return 0;
  } catch (error) {
    fail(`switchyard report: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
