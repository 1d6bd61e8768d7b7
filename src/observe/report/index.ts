export { reportHtml, writeReport } from './write-report.js';
export type { ReportOptions, WrittenReport } from './write-report.js';
export { buildReportData } from './report-data.js';
export type { AttemptBar, AttemptOutcome, BudgetPoint, ReportData, ReportNode } from './report-data.js';
export { renderReport } from './render-report.js';
