// The lower level as one parametric LP: aggregated prosumers per bus adopt and operate PV, batteries and heat pumps
// and trade P2P over the representative days, within LinDistFlow voltage and thermal limits.
//
// Charges enter only as the cost of four aggregate columns (annual import kWh, export kWh, P2P kWh, Σ peak kW), and
// upgrades only as column bounds, so the LP for any upper-level choice is the base LP with those numbers changed.
import { mwToKw } from '../core/units.ts';
import type { OptimisationProblem } from '../numeric/optimisation/index.ts';
import { ProblemBuilder } from '../numeric/optimisation/index.ts';
import type { PlanningInstance } from './prepare-study.ts';
import { CHARGE_TYPES, type ChargeType, capitalRecoveryFactor } from './study-schema.ts';

/** A column bound that moves by `deltaPerBuild` when upgrade `upgrade` is built; `dualBound` caps its dual. */
export interface ParametricBound {
  readonly kind: 'colLower' | 'colUpper';
  readonly column: number;
  readonly upgrade: number;
  readonly deltaPerBuild: number;
  readonly dualBound: number;
}

export interface LowerLevel {
  /** min c0ᵀy with all charges at 0 and nothing built; c0 is the system cost (EUR/yr), charges are transfers. */
  readonly problem: OptimisationProblem;
  /** Aggregate column priced by each charge (kWh/yr, kWh/yr, kWh/yr, kW); its upper bound is its big-M. */
  readonly chargeColumns: Readonly<Record<ChargeType, number>>;
  readonly parametricBounds: readonly ParametricBound[];
  readonly columns: LowerLevelColumns;
}

/** Index tables for reading a solution back (per prosumer position, per [day][step]). */
export interface LowerLevelColumns {
  readonly pvKwp: readonly number[];
  readonly batteryKwh: readonly number[];
  readonly heatPumps: readonly number[];
  /** Parent-branch flow of every non-root bus [day][step][bus] (kW, −1 at the root) and the substation flow. */
  readonly flowKw: readonly (readonly Int32Array[])[];
  readonly substationKw: readonly (readonly number[])[];
  readonly vSquaredPu: readonly (readonly Int32Array[])[];
  readonly shedKw: readonly (readonly number[][])[];
}

export interface LowerLevelOptions {
  readonly isP2pAllowed: boolean;
}

/** Build the base LP (see module comment); the formulation is written out in src/planning/README.md. */
export function buildLowerLevel(instance: PlanningInstance, options: LowerLevelOptions): LowerLevel {
  const { study, net, tree, days, stepHours, prosumerBuses, peakLoadKw, peakLoadKvar } = instance;
  const { pv, battery, heatPump } = study.adoption;
  const b = new ProblemBuilder();
  const n = net.busCount;
  const root = tree.order[0];
  const steps = study.profiles.stepsPerDay;
  const maxCharges = CHARGE_TYPES.filter((t) => t !== 'capacityEurPerKwYear').reduce(
    (s, t) => s + Math.max(...study.charges[t]),
    0,
  );
  // Dual cap of a bound moved by an upgrade: 1 kW (or 1 kWh of storage) held through a whole representative day of
  // weightDays days, valued at VoLL plus the dearest price and charges. (A cap of one step's hours instead of 24 h,
  // tried with implied column bounds dropped, made the MILP miss the transformer plan of case33bw-planning without
  // P2P: 1 789 507 instead of 1 788 546 EUR/yr, so it cut off a true dual.)
  const dualBound = (weightDays: number) =>
    weightDays * 24 * (study.valueOfLostLoadEurPerKwh + Math.max(...study.wholesaleEurPerKwh) + maxCharges);

  const pvMax = prosumerBuses.map((i) => instance.pvMaxKwp[i]);
  const batMax = prosumerBuses.map((i) => instance.batteryMaxKwh[i]);
  const hpMax = prosumerBuses.map((i) => heatPump.maxUnitsPerKwLoad * peakLoadKw[i]);
  const crf = (x: { discountRate: number; lifetimeYears: number }) =>
    capitalRecoveryFactor(x.discountRate, x.lifetimeYears);
  const pvKwp = prosumerBuses.map((i, m) => b.addColumn(0, pvMax[m], pv.capexEurPerKwp * crf(pv), `pv_${i}`));
  const batteryKwh = prosumerBuses.map((i, m) =>
    b.addColumn(0, batMax[m], battery.capexEurPerKwh * crf(battery), `bat_${i}`),
  );
  const hpCost = heatPump.capexEurPerUnit * crf(heatPump) - heatPump.gasSavingEurPerUnitYear;
  const heatPumps = prosumerBuses.map((i, m) => b.addColumn(0, hpMax[m], hpCost, `hp_${i}`));
  const maxPvKw = Math.max(0, ...days.flatMap((d) => [...d.pvKwPerKwp]));
  const importMax = prosumerBuses.map(
    (i, m) => peakLoadKw[i] + hpMax[m] * heatPump.peakElectricKwPerUnit + batMax[m] * battery.powerKwPerKwh,
  );
  const exportMax = prosumerBuses.map((_, m) => pvMax[m] * maxPvKw + batMax[m] * battery.powerKwPerKwh);
  const peakKw = prosumerBuses.map((i, m) => b.addColumn(0, importMax[m], 0, `peak_${i}`));

  type Term = { column: number; weight: number; upper: number };
  const annual = { import: [] as Term[], export: [] as Term[], p2p: [] as Term[] };
  const parametricBounds: ParametricBound[] = [];
  const flowKw: Int32Array[][] = [];
  const substationKw: number[][] = [];
  const vSquaredPu: Int32Array[][] = [];
  const shedKw: number[][][] = [];
  const batteryCandidates = study.candidates.flatMap((c, j) => (c.kind === 'dso-battery' ? [{ c, j }] : []));
  const kwToPu = 1 / mwToKw(net.baseMva);

  type Storage = { soc: number; charge: number; discharge: number };
  /** soc_t = soc_{t−1} + √η·charge·h − discharge·h/√η; the day is cyclic (step 0 follows the last step). */
  const addStateOfCharge = (
    efficiency: number,
    now: Storage,
    first: Storage[],
    previousSoc: number[],
    k: number,
    t: number,
  ) => {
    const eta = Math.sqrt(efficiency);
    const coefficients = [1, -1, -eta * stepHours, stepHours / eta];
    if (t === 0) first[k] = now;
    else b.addRow(0, 0, [now.soc, previousSoc[k], now.charge, now.discharge], coefficients);
    if (t === steps - 1)
      b.addRow(0, 0, [first[k].soc, now.soc, first[k].charge, first[k].discharge], coefficients);
    previousSoc[k] = now.soc;
  };

  days.forEach((day, d) => {
    const energyWeight = day.weightDays * stepHours;
    const socPrev: number[] = [];
    const dsoSocPrev: number[] = [];
    flowKw.push([]);
    substationKw.push([]);
    vSquaredPu.push([]);
    shedKw.push([]);
    const firstSoc: Storage[] = [];
    const firstDsoSoc: Storage[] = [];
    for (let t = 0; t < steps; t++) {
      const hour = Math.floor(t * stepHours);
      const priceEurPerKwh =
        study.wholesaleEurPerKwh.slice(hour, hour + stepHours).reduce((s, v) => s + v, 0) / stepHours;
      const netLoadTerms: { cols: number[]; vals: number[] }[] = Array.from({ length: n }, () => ({
        cols: [],
        vals: [],
      }));
      const p2pCols: number[] = [];
      const p2pVals: number[] = [];
      const shedRow: number[] = [];
      prosumerBuses.forEach((i, m) => {
        const loadKw = peakLoadKw[i] * day.loadPu[t];
        const pvProfile = day.pvKwPerKwp[t];
        const name = (v: string) => `${v}_${i}_${d}_${t}`;
        const g = b.addColumn(0, importMax[m], energyWeight * priceEurPerKwh, name('g'));
        const e = b.addColumn(0, exportMax[m], -energyWeight * priceEurPerKwh, name('e'));
        const p2pMax = options.isP2pAllowed ? Math.max(importMax[m], exportMax[m]) : 0;
        const buy = b.addColumn(0, p2pMax, 0, name('buy'));
        const sell = b.addColumn(0, p2pMax, 0, name('sell'));
        const charge = b.addColumn(0, batMax[m] * battery.powerKwPerKwh, 0, name('ch'));
        const discharge = b.addColumn(0, batMax[m] * battery.powerKwPerKwh, 0, name('dis'));
        const soc = b.addColumn(0, batMax[m], 0, name('soc'));
        const shed = b.addColumn(0, loadKw, energyWeight * study.valueOfLostLoadEurPerKwh, name('shed'));
        const curtail = b.addColumn(0, pvMax[m] * pvProfile, 0, name('curt'));
        shedRow.push(shed);
        const hpKw = heatPump.peakElectricKwPerUnit * day.heatingPu[t];
        b.addRow(
          loadKw,
          loadKw,
          [pvKwp[m], curtail, g, buy, discharge, e, sell, charge, shed, heatPumps[m]],
          [pvProfile, -1, 1, 1, 1, -1, -1, -1, 1, -hpKw],
          name('balance'),
        );
        b.addRow(Number.NEGATIVE_INFINITY, 0, [curtail, pvKwp[m]], [1, -pvProfile]);
        b.addRow(Number.NEGATIVE_INFINITY, 0, [charge, batteryKwh[m]], [1, -battery.powerKwPerKwh]);
        b.addRow(Number.NEGATIVE_INFINITY, 0, [discharge, batteryKwh[m]], [1, -battery.powerKwPerKwh]);
        b.addRow(Number.NEGATIVE_INFINITY, 0, [soc, batteryKwh[m]], [1, -1]);
        b.addRow(Number.NEGATIVE_INFINITY, 0, [g, peakKw[m]], [1, -1]);
        addStateOfCharge(battery.efficiency, { soc, charge, discharge }, firstSoc, socPrev, m, t);
        netLoadTerms[i].cols.push(g, buy, e, sell);
        netLoadTerms[i].vals.push(1, 1, -1, -1);
        p2pCols.push(sell, buy);
        p2pVals.push(1, -1);
        annual.import.push({ column: g, weight: energyWeight, upper: importMax[m] });
        annual.export.push({ column: e, weight: energyWeight, upper: exportMax[m] });
        annual.p2p.push({ column: buy, weight: energyWeight, upper: p2pMax });
      });
      shedKw[d].push(shedRow);
      if (options.isP2pAllowed) b.addRow(0, 0, p2pCols, p2pVals, `p2p_${d}_${t}`);
      batteryCandidates.forEach(({ c, j }, q) => {
        if (c.kind !== 'dso-battery') return;
        const bus = instance.candidateBus[j];
        const dual = dualBound(day.weightDays);
        const charge = b.addColumn(0, 0, 0, `dso_ch_${j}_${d}_${t}`);
        const discharge = b.addColumn(0, 0, 0, `dso_dis_${j}_${d}_${t}`);
        const soc = b.addColumn(0, 0, 0, `dso_soc_${j}_${d}_${t}`);
        parametricBounds.push(
          { kind: 'colUpper', column: charge, upgrade: j, deltaPerBuild: c.powerKw, dualBound: dual },
          { kind: 'colUpper', column: discharge, upgrade: j, deltaPerBuild: c.powerKw, dualBound: dual },
          {
            kind: 'colUpper',
            column: soc,
            upgrade: j,
            deltaPerBuild: c.energyKwh,
            dualBound: dualBound(day.weightDays),
          },
        );
        addStateOfCharge(c.efficiency, { soc, charge, discharge }, firstDsoSoc, dsoSocPrev, q, t);
        netLoadTerms[bus].cols.push(charge, discharge);
        netLoadTerms[bus].vals.push(1, -1);
      });
      // LinDistFlow: flow into each bus from its parent = its net load + its children's flows; voltage drop.
      const flow = new Int32Array(n).fill(-1);
      const vSquared = new Int32Array(n);
      for (let c = 0; c < n; c++) {
        if (c === root) continue;
        const ratingKw = instance.parentRatingKw[c];
        flow[c] = b.addColumn(-ratingKw, ratingKw, 0, `P_${c}_${d}_${t}`);
      }
      const substation = b.addColumn(
        -study.network.transformerRatingKw,
        study.network.transformerRatingKw,
        0,
        `Psub_${d}_${t}`,
      );
      for (let c = 0; c < n; c++) {
        const vmin = net.busType[c] === 2 ? net.vmStartPu[c] ** 2 : study.network.vmMinPu ** 2;
        const vmax = net.busType[c] === 2 ? net.vmStartPu[c] ** 2 : study.network.vmMaxPu ** 2;
        vSquared[c] = b.addColumn(vmin, vmax, 0, `v_${c}_${d}_${t}`);
      }
      const downstreamKvar = Float64Array.from(peakLoadKvar, (q) => q * day.loadPu[t]);
      for (let k = n - 1; k > 0; k--)
        downstreamKvar[tree.parentBus[tree.order[k]]] += downstreamKvar[tree.order[k]];
      const childFlows: number[][] = Array.from({ length: n }, () => []);
      for (let c = 0; c < n; c++) if (c !== root) childFlows[tree.parentBus[c]].push(flow[c]);
      for (let c = 0; c < n; c++) {
        const head = c === root ? substation : flow[c];
        const terms = netLoadTerms[c];
        b.addRow(
          0,
          0,
          [head, ...childFlows[c], ...terms.cols],
          [1, ...childFlows[c].map(() => -1), ...terms.vals.map((v) => -v)],
        );
        if (c === root) continue;
        const k = tree.parentBranch[c];
        const rhs = -2 * net.branchXPu[k] * downstreamKvar[c] * kwToPu;
        b.addRow(
          rhs,
          rhs,
          [vSquared[c], vSquared[tree.parentBus[c]], flow[c]],
          [1, -1, 2 * net.branchRPu[k] * kwToPu],
        );
      }
      instance.candidateBus.forEach((bus, j) => {
        const candidate = study.candidates[j];
        if (candidate.kind === 'dso-battery') return;
        const column = candidate.kind === 'upgrade-transformer' ? substation : flow[bus];
        const dual = dualBound(day.weightDays);
        const delta = candidate.addedRatingKw;
        parametricBounds.push(
          { kind: 'colUpper', column, upgrade: j, deltaPerBuild: delta, dualBound: dual },
          { kind: 'colLower', column, upgrade: j, deltaPerBuild: -delta, dualBound: dual },
        );
      });
      flowKw[d].push(flow);
      substationKw[d].push(substation);
      vSquaredPu[d].push(vSquared);
    }
  });
  // Each aggregate's upper bound (Σ weight × column bound) is the big-M of its products with charge levels.
  const aggregate = (terms: readonly Term[], name: string) => {
    const bound = terms.reduce((s, term) => s + term.weight * term.upper, 0);
    const column = b.addColumn(0, bound, 0, name);
    b.addRow(
      0,
      0,
      [column, ...terms.map((term) => term.column)],
      [1, ...terms.map((term) => -term.weight)],
      name,
    );
    return column;
  };
  const chargeColumns = {
    energyEurPerKwh: aggregate(annual.import, 'annualImportKwh'),
    exportEurPerKwh: aggregate(annual.export, 'annualExportKwh'),
    p2pFeeEurPerKwh: aggregate(annual.p2p, 'annualP2pKwh'),
    capacityEurPerKwYear: aggregate(
      peakKw.map((column, m) => ({ column, weight: 1, upper: importMax[m] })),
      'sumPeakKw',
    ),
  };
  return {
    problem: b.build(),
    chargeColumns,
    parametricBounds,
    columns: { pvKwp, batteryKwh, heatPumps, flowKw, substationKw, vSquaredPu, shedKw },
  };
}
