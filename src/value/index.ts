// Value module: metrics in the eight categories and the self-contained HTML report.
export * from './coordination-outcome.ts';
export * from './coordination-table.ts';
export { buildGridSnapshot, type FeederSnapshot, type GridSnapshot } from './grid-snapshot.ts';
export * from './metrics.ts';
export { renderChartSvg } from './render-chart-svg.ts';
export type { ReportRun } from './report-charts.ts';
export { formatValueTable, type ReportInput, renderReportHtml } from './report-html.ts';
export * from './run-summary.ts';
export { type StageRules, stageRules, stagesHtml } from './stages-summary.ts';
