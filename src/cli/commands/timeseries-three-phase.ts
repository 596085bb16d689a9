// `gridnest timeseries --lv-model three-phase`: an LV network's time series solved unbalanced, summarised in the same
// shape as the balanced one plus voltage unbalance (EN 50160: 2 %); thermal loading is not computed three-phase.

import type { Network } from '../../grid/schema.ts';
import { threePhaseLvModel } from '../../io/opendss/lv-three-phase-model.ts';
import type { BusLoadSeries } from '../../problems/time-series-power-flow.ts';
import type { Scenario } from '../../scenario/index.ts';
import { solveThreePhaseTimeSeries } from '../../three-phase/three-phase-time-series.ts';
import { argMax, voltageSeriesSummary } from '../output.ts';

export function threePhaseNetworkSummary(
  entry: Scenario['networks'][number],
  position: number,
  balanced: Network,
  loads: readonly BusLoadSeries[],
  steps: number,
  stepH: number,
  violationLimit: number,
  onStep: (step: number) => void,
) {
  const network = threePhaseLvModel(entry.source, ['networks', position, 'source']);
  const limits = balanced.buses.find((b) => b.type !== 'slack') ?? balanced.buses[0];
  const r = solveThreePhaseTimeSeries(
    network,
    loads.map((l) => ({ bus: String(l.bus), pKw: l.pKw, qKvar: l.qKvar })),
    steps,
    { vmMinPu: limits?.vmMinPu, vmMaxPu: limits?.vmMaxPu, onStep },
  );
  const worstVuf = argMax(r.vufMaxPct);
  const byKind = { undervoltage: 0, overvoltage: 0, thermal: 0, unbalance: 0 };
  for (const v of r.violations) byKind[v.kind]++;
  return {
    id: entry.id,
    lvModel: 'three-phase' as const,
    ...voltageSeriesSummary(r),
    vufMaxPct: r.vufMaxPct[worstVuf],
    vufMaxStep: worstVuf,
    vufMaxBus: r.vufMaxBus[worstVuf],
    maxLoadingPercent: null,
    lossesKwh: r.lossesKw.reduce((a, b) => a + b, 0) * stepH,
    stepsWithViolations: r.violationCount.reduce((a, c) => a + (c > 0 ? 1 : 0), 0),
    violationsByKind: byKind,
    perStep: {
      vmMinPu: Array.from(r.vmMinPu),
      vmMaxPu: Array.from(r.vmMaxPu),
      vufMaxPct: Array.from(r.vufMaxPct),
      lossesKw: Array.from(r.lossesKw),
      violationCount: Array.from(r.violationCount),
    },
    violations: r.violations.slice(0, violationLimit),
  };
}
