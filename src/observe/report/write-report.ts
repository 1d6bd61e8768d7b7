import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseTrace, readTrace, type ParsedTrace } from '../read-trace.js';
import { buildReportData } from './report-data.js';
import { renderReport } from './render-report.js';

/** Options of the run report. */
export interface ReportOptions {
  /**
   * The page title.
   * @default '<workflow> · switchyard run report'
   */
  title?: string;
}

/** The report page for a trace (its text, or a parsed trace), as an HTML string. */
export function reportHtml(trace: string | ParsedTrace, options: ReportOptions = {}): string {
  const parsed = typeof trace === 'string' ? parseTrace(trace) : trace;
  return renderReport(buildReportData(parsed), options.title);
}

/** What `writeReport` wrote. */
export interface WrittenReport {
  path: string;
  bytes: number;
  nodes: number;
  events: number;
  incomplete: boolean;
}

/**
 * Reads a trace file and writes its report page (one self-contained HTML file). The same as
 * `npx switchyard report <trace> -o <out>`.
 */
export function writeReport(tracePath: string, outPath: string, options: ReportOptions = {}): WrittenReport {
  const trace = readTrace(tracePath);
  const data = buildReportData(trace);
  const html = renderReport(data, options.title);
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, html);
  return { path: outPath, bytes: Buffer.byteLength(html), nodes: data.nodes.length, events: trace.events.length, incomplete: trace.incomplete };
}
