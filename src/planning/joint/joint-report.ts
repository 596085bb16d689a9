// joint-plan.html: sequential against joint planning as a stacked cost chart (SVG, no scripts) and the upgrades.
import { escapeHtml } from '../../value/escape-html.ts';
import { renderChartSvg } from '../../value/render-chart-svg.ts';
import type { JointComparison } from './joint-plan.ts';

export async function renderJointPlanHtml(c: JointComparison): Promise<string> {
  const plans = [
    ['sequential', c.sequential],
    ['joint', c.joint],
  ] as const;
  const svg = renderChartSvg(
    {
      title: { text: 'Total system cost (EUR/yr)', left: 'center' },
      legend: { bottom: 0 },
      grid: { left: 110, right: 30, bottom: 60 },
      xAxis: { type: 'category', data: plans.map(([n]) => n) },
      yAxis: { type: 'value', min: 'dataMin' },
      series: [
        { name: 'operation', type: 'bar', stack: 'cost', data: plans.map(([, p]) => p.operationEurPerYr) },
        {
          name: 'upgrades (annualised)',
          type: 'bar',
          stack: 'cost',
          data: plans.map(([, p]) => p.capexEurPerYr),
        },
      ],
    },
    720,
    360,
    'joint',
  );
  const rows = plans
    .map(
      ([n, p]) =>
        `<tr><td>${n}</td><td>${p.totalCostEurPerYr.toFixed(0)}</td><td>${p.capexEurPerYr.toFixed(0)}</td><td>${escapeHtml(p.transmissionUpgrades.join(', ') || 'none')}</td><td>${escapeHtml(p.distributionUpgrades.join(', ') || 'none')}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(c.study)} joint plan</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}</style></head><body>
<h1>Joint transmission–distribution plan: ${escapeHtml(c.study)}</h1>
<p>Sequential: the TSO plans transmission with the DSOs at their inflexible base import (it chose ${escapeHtml(c.sequential.tsoStageUpgrades.join(', ') || 'nothing')}), then the DSOs plan upgrades and flexibility. Joint: one MILP over both. Joint saves ${c.savingEurPerYr.toFixed(0)} EUR/yr.</p>
<table><tr><th>plan</th><th>total EUR/yr</th><th>upgrades EUR/yr</th><th>transmission</th><th>distribution</th></tr>${rows}</table>
${svg}
</body></html>
`;
}
