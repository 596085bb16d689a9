// plan.html: the plan's upgrades on the network drawing, charges, adoption, both plans (with / without P2P), the
// deferral value, and branch loading before and after (one HTML file, inline SVG, no scripts).
import { escapeHtml } from '../value/escape-html.ts';
import { renderChartSvg } from '../value/render-chart-svg.ts';
import type { PlanComparison } from './plan-comparison.ts';
import type { ElementLoading } from './plan-loading.ts';
import type { planJson } from './run-plan.ts';
import type { Candidate } from './study-schema.ts';

export interface PlanReportInput {
  readonly studyName: string;
  readonly plan: ReturnType<typeof planJson>;
  readonly isP2pAllowed: boolean;
  readonly candidates: readonly Candidate[];
  readonly loadings: readonly ElementLoading[];
  readonly comparison?: PlanComparison;
}

const WIDTH_PX = 960;
const UPGRADE_COLOUR = '#7b2cbf';
const percent = (peakKw: number, ratingKw: number) => (100 * peakKw) / ratingKw;
const loadingColour = (pct: number) => (pct >= 99.5 ? '#c0392b' : pct >= 80 ? '#e67e22' : '#2e8b57');
const fixed = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

/** The element (branch id, `transformer` or bus id) a candidate acts on. */
function elementOf(candidate: Candidate): string {
  if (candidate.kind === 'reinforce-branch') return candidate.branchId;
  if (candidate.kind === 'upgrade-transformer') return 'transformer';
  return candidate.busId;
}

/** Radial network drawn as a tree (x = depth, y = leaf order); edges coloured by loading after, upgrades thick. */
function networkSvg(input: PlanReportInput): string {
  const branches = input.loadings.filter((l) => l.id !== 'transformer');
  const root = input.loadings[0].bus;
  const children = new Map<string, string[]>();
  for (const b of branches) children.set(b.fromBus, [...(children.get(b.fromBus) ?? []), b.bus]);
  const position = new Map<string, [number, number]>();
  let leaf = 0;
  const place = (bus: string, depth: number): number => {
    const kids = children.get(bus) ?? [];
    const y =
      kids.length === 0 ? leaf++ : kids.map((k) => place(k, depth + 1)).reduce((a, b) => a + b) / kids.length;
    position.set(bus, [depth, y]);
    return y;
  };
  // Iterative depth first would avoid deep recursion; radial feeders here are < 2000 buses deep at most.
  place(root, 0);
  const built = new Set(input.candidates.filter((c) => input.plan.upgrades.includes(c.id)).map(elementOf));
  const labelOf = new Map(
    input.candidates.filter((c) => input.plan.upgrades.includes(c.id)).map((c) => [elementOf(c), c.id]),
  );
  const isSmall = position.size <= 60;
  const maxDepth = Math.max(1, ...[...position.values()].map(([d]) => d));
  const maxY = Math.max(1, leaf - 1);
  const height = isSmall ? 420 : 760;
  const xy = (bus: string) => {
    const [d, y] = position.get(bus)!;
    return [40 + (d / maxDepth) * (WIDTH_PX - 140), 70 + (y / maxY) * (height - 100)];
  };
  const f = (v: number) => v.toFixed(1);
  const lines = branches.map((b) => {
    const [x1, y1] = xy(b.fromBus);
    const [x2, y2] = xy(b.bus);
    const isBuilt = built.has(b.id);
    const colour = isBuilt ? UPGRADE_COLOUR : loadingColour(percent(b.peakAfterKw, b.ratingAfterKw));
    const title = `${b.id}: ${f(percent(b.peakAfterKw, b.ratingAfterKw))} % after, ${f(percent(b.peakBeforeKw, b.ratingBeforeKw))} % before`;
    const label = isBuilt
      ? `<text x="${f((x1 + x2) / 2)}" y="${f((y1 + y2) / 2 - 6)}" fill="${UPGRADE_COLOUR}" font-size="11">${escapeHtml(labelOf.get(b.id) ?? '')}</text>`
      : '';
    return `<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="${colour}" stroke-width="${isBuilt ? 6 : isSmall ? 2 : 1}"><title>${escapeHtml(title)}</title></line>${label}`;
  });
  const nodes = [...position.keys()].map((bus) => {
    const [x, y] = xy(bus);
    const isMarked = built.has(bus) || (bus === root && built.has('transformer'));
    const colour = isMarked ? UPGRADE_COLOUR : '#555';
    const shape =
      bus === root
        ? `<rect x="${f(x - 7)}" y="${f(y - 7)}" width="14" height="14" fill="${colour}"/>`
        : `<circle cx="${f(x)}" cy="${f(y)}" r="${isMarked ? 6 : isSmall ? 3 : 1.5}" fill="${colour}"/>`;
    const mark = labelOf.get(bus) ?? (bus === root ? labelOf.get('transformer') : undefined);
    const text = mark
      ? `<text x="${f(x + 8)}" y="${f(y - 8)}" fill="${UPGRADE_COLOUR}" font-size="11">${escapeHtml(mark)}</text>`
      : isSmall
        ? `<text x="${f(x + 4)}" y="${f(y + 11)}" fill="#333" font-size="8">${escapeHtml(bus)}</text>`
        : '';
    return shape + text;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH_PX}" height="${height}" viewBox="0 0 ${WIDTH_PX} ${height}" font-family="sans-serif">
<text x="${WIDTH_PX / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">Network: upgrades built (purple, thick) and branch loading after the plan</text>
<text x="${WIDTH_PX / 2}" y="38" text-anchor="middle" font-size="11" fill="#777">green &lt; 80 %, orange 80–99.5 %, red ≥ 99.5 % of the rating after the plan; square = substation</text>
${lines.join('')}${nodes.join('')}</svg>`;
}

/** Peak loading before and after for the most loaded elements (by loading before). */
function loadingSvg(loadings: readonly ElementLoading[], count = 15): string {
  const top = [...loadings]
    .sort((a, b) => percent(b.peakBeforeKw, b.ratingBeforeKw) - percent(a.peakBeforeKw, a.ratingBeforeKw))
    .slice(0, count);
  const names = top.map((l) => (l.id === 'transformer' ? 'transformer' : `${l.id} (→${l.bus})`));
  return renderChartSvg(
    {
      title: {
        text: `Peak loading before and after the plan (% of rating), ${top.length} most loaded`,
        textStyle: { fontSize: 14 },
      },
      legend: { bottom: 4 },
      grid: { left: 60, right: 20, top: 50, bottom: 110 },
      tooltip: {},
      xAxis: { type: 'category', data: names, axisLabel: { rotate: 40, fontSize: 10 } },
      yAxis: { type: 'value', name: '%' },
      series: [
        {
          name: 'before (nothing built, limits lifted)',
          type: 'bar',
          data: top.map((l) => Number(percent(l.peakBeforeKw, l.ratingBeforeKw).toFixed(1))),
        },
        {
          name: 'after (the plan)',
          type: 'bar',
          data: top.map((l) => Number(percent(l.peakAfterKw, l.ratingAfterKw).toFixed(1))),
        },
      ],
    },
    WIDTH_PX,
    380,
    'loading',
  );
}

const row = (cells: readonly string[]) =>
  `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
const table = (head: readonly string[], rows: readonly (readonly string[])[], id: string) =>
  `<table id="${id}"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map(row).join('')}</tbody></table>`;

function planRows(plan: ReturnType<typeof planJson>, label: string): string[] {
  return [
    label,
    plan.status,
    fixed(plan.objectiveEur, 2),
    plan.upgrades.join(', ') || 'none',
    Object.entries(plan.charges)
      .map(([k, v]) => `${k} ${v}`)
      .join('; '),
    `${fixed(plan.adoption.pvKwp, 1)} kWp PV, ${fixed(plan.adoption.batteryKwh, 1)} kWh battery, ${fixed(plan.adoption.heatPumps, 1)} heat pumps`,
  ];
}

/** The plan report as one HTML document. */
export function renderPlanReportHtml(input: PlanReportInput): string {
  const { plan, comparison } = input;
  const title = `gridnest plan: ${input.studyName}`;
  const charges = Object.entries(plan.charges).map(([k, v]) => [k, String(v)]);
  const adoption = [
    ['PV', `${fixed(plan.adoption.pvKwp, 1)} kWp`],
    ['battery', `${fixed(plan.adoption.batteryKwh, 1)} kWh`],
    ['heat pumps', fixed(plan.adoption.heatPumps, 1)],
  ];
  const plansHead = ['plan', 'status', 'total system cost (EUR/yr)', 'upgrades', 'charges', 'adoption'];
  const plans = comparison
    ? [planRows(comparison.withoutP2p, 'without P2P'), planRows(comparison.withP2p, 'with P2P')]
    : [planRows(plan, input.isP2pAllowed ? 'with P2P' : 'without P2P')];
  const deferral = comparison
    ? `<h2>Upgrades deferred by P2P</h2>
${table(
  ['upgrade', 'capex (EUR)', 'discount rate', 'years deferred', 'NPV of deferral (EUR)'],
  comparison.deferred.map((d) => [
    d.id,
    fixed(d.capexEur),
    String(d.discountRate),
    `${d.isAtLeast ? '≥ ' : ''}${d.yearsDeferred}`,
    fixed(d.npvEur),
  ]),
  'deferred',
)}
<p>Deferred-upgrade value: <b id="deferred-value">${fixed(comparison.deferredValueEur)} EUR</b>. ${escapeHtml(comparison.formula)}.</p>`
    : '';
  const loadingRows = input.loadings
    .filter((l) => l.id === 'transformer' || input.candidates.some((c) => elementOf(c) === l.id))
    .map((l) => [
      l.id,
      fixed(l.ratingBeforeKw),
      fixed(l.ratingAfterKw),
      fixed(percent(l.peakBeforeKw, l.ratingBeforeKw), 1),
      fixed(percent(l.peakAfterKw, l.ratingAfterKw), 1),
    ]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;max-width:1000px}table{border-collapse:collapse;font-size:13px;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:top}.chart{margin:18px 0}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>Method ${escapeHtml(plan.method)}, status <b id="status">${escapeHtml(plan.status)}</b>, total system cost <b id="objective">${fixed(plan.objectiveEur, 2)} EUR/yr</b> (annualised upgrade capex + prosumers’ cost without network charges), gap ${fixed(plan.gapPct, 4)} %, ${fixed(plan.wallS, 1)} s.${plan.reason ? ` Reason: ${escapeHtml(plan.reason)}` : ''}</p>
<h2>Upgrades</h2>
<p id="upgrades">${escapeHtml(plan.upgrades.join(', ') || 'none')}</p>
<div class="chart" id="chart-network">${plan.status === 'optimal' ? networkSvg(input) : ''}</div>
<h2>Charges</h2>
${table(['charge', 'value'], charges, 'charges')}
<h2>Adoption (Σ over prosumer classes)</h2>
${table(['technology', 'amount'], adoption, 'adoption')}
<h2>Plans with and without P2P</h2>
${table(plansHead, plans, 'plans')}
${deferral}
<h2>Loading before and after</h2>
<p>Before: the plan’s charges with no upgrade built and the thermal limits lifted; after: the plan (ratings include built upgrades).</p>
${table(['element', 'rating before (kW)', 'rating after (kW)', 'peak before (%)', 'peak after (%)'], loadingRows, 'loading-table')}
<div class="chart" id="chart-loading">${plan.status === 'optimal' ? loadingSvg(input.loadings) : ''}</div>
</body></html>
`;
}
