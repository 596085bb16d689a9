// Value module: metrics in the eight categories and the self-contained HTML report.
export * from './metrics.ts';
export {
  formatValueTable,
  type ReportInput,
  type ReportRun,
  renderChartSvg,
  renderReportHtml,
} from './report-html.ts';
