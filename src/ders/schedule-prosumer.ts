// Home energy management: the cost-minimising schedule of one prosumer's DERs as an LP (or QP) via the solver port.
//
// Per interval k (length Δ h), with all powers in kW:
//   balance   imp − exp + buy − sell + Σ pv + Σ (dis − ch) + Σ (evDis − evCh) − Σ hp − Σ shift = fixedLoad
//   battery   E_k = E_{k−1} + (η_c·ch_k − dis_k/η_d)·Δ,  E_min ≤ E_k ≤ E_max,  E_K ≥ E_final
//   EV        same storage equation per plugged session, E at departure ≥ required (and autonomy milestones)
//   heat pump θ_k = a·θ_{k−1} + (1 − a)·θout_k + (1 − a)·R·COP_k·hp_k,  θ_min ≤ θ_k ≤ θ_max  (heat-pump.ts)
//   shiftable Σ_{k in window} shift_k·Δ = E,  0 ≤ shift_k ≤ P_max
//   objective Σ_k Δ·[π_imp·imp − π_exp·exp + (π_p2p + fee − premium_local)·buy − π_p2p·sell + c_deg·dis]
//             (+ ½·q·Δ·(imp − exp + buy − sell)² when a quadratic net-power penalty q is set: a QP)
// Sources: the battery/EV storage model and LP form follow standard HEMS formulations (e.g. Morstyn, Farrell,
// Darby & McCulloch 2018, Nature Energy 3, "Using peer-to-peer energy-trading platforms to incentivize prosumers
// to form federated power plants", Methods); the thermal model is the exact solution of a first-order RC network.
import { InputError } from '../core/errors.ts';
import type { OptimisationStatus } from '../core/status.ts';
import { solveOptimisation } from '../numeric/optimisation/index.ts';
import { ProblemBuilder } from '../numeric/optimisation/problem.ts';
import type { ProsumerModel } from './prosumer-model.ts';
import type { ProsumerTariff } from './tariff.ts';

export interface ScheduleOptions {
  /** Quadratic penalty on net grid power q (EUR/kW²h): adds ½·q·Δ·(net purchase)² and makes the problem a QP. */
  readonly netPowerQuadraticEurPerKw2H?: number;
}

/** Column indices of one prosumer inside a (possibly shared) problem; -1 where absent. */
export interface ProsumerLayout {
  readonly model: ProsumerModel;
  readonly tariff: ProsumerTariff;
  readonly imp: Int32Array;
  readonly exp: Int32Array;
  readonly buy: Int32Array;
  readonly sell: Int32Array;
  readonly pv: Int32Array[];
  readonly batCh: Int32Array[];
  readonly batDis: Int32Array[];
  readonly batE: Int32Array[];
  readonly evCh: Int32Array[];
  readonly evDis: Int32Array[];
  readonly evE: Int32Array[];
  readonly hp: Int32Array[];
  readonly hpTemp: Int32Array[];
  readonly shift: Int32Array[];
  readonly balanceRows: Int32Array;
}

/** A prosumer's optimal schedule: per-interval tables (kW, kWh, °C) keyed by the model's DER ids. */
export interface ProsumerSchedule {
  readonly id: string;
  readonly status: OptimisationStatus;
  /** Objective: energy cost + degradation − local-premium utility (EUR). */
  readonly objectiveEur: number;
  /** Money paid minus money received over the horizon (EUR). */
  readonly energyCostEur: number;
  readonly importKw: Float64Array;
  readonly exportKw: Float64Array;
  readonly p2pBuyKw: Float64Array;
  readonly p2pSellKw: Float64Array;
  /** Net injection at the meter, positive when exporting: exp + sell − imp − buy. */
  readonly netInjectionKw: Float64Array;
  readonly pvKw: Record<string, Float64Array>;
  readonly pvCurtailedKw: Record<string, Float64Array>;
  /** Battery power, positive when discharging (DESIGN.md sign). */
  readonly batteryKw: Record<string, Float64Array>;
  /** Stored energy at the end of each interval. */
  readonly batteryEnergyKwh: Record<string, Float64Array>;
  /** EV power drawn from the home (positive charging; negative in V2G). */
  readonly evChargeKw: Record<string, Float64Array>;
  /** EV stored energy at the end of each interval (NaN while away). */
  readonly evEnergyKwh: Record<string, Float64Array>;
  readonly heatPumpKw: Record<string, Float64Array>;
  readonly indoorC: Record<string, Float64Array>;
  readonly shiftableKw: Record<string, Float64Array>;
  /** Marginal value of energy at the meter (EUR/kWh): the balance-row dual divided by Δ. */
  readonly marginalValueEurPerKwh: Float64Array;
}

const INF = Number.POSITIVE_INFINITY;
const none = (n: number) => new Int32Array(n).fill(-1);

/** Add one prosumer's variables, constraints and costs to a builder (block-diagonal when several are added). */
export function addProsumerToProblem(
  b: ProblemBuilder,
  model: ProsumerModel,
  tariff: ProsumerTariff,
  options: ScheduleOptions = {},
): ProsumerLayout {
  const n = model.length;
  const dt = model.stepH;
  checkNoMeterArbitrage(tariff, n);
  const imp = new Int32Array(n);
  const exp = new Int32Array(n);
  const buy = none(n);
  const sell = none(n);
  const p2pLimit = tariff.p2p?.limitKw;
  for (let k = 0; k < n; k++) {
    imp[k] = b.addColumn(0, model.importLimitKw, dt * tariff.importPriceEurPerKwh[k]);
    exp[k] = b.addColumn(0, model.exportLimitKw, -dt * tariff.exportPriceEurPerKwh[k]);
    if (tariff.p2p) {
      const buyCost = tariff.p2p.priceEurPerKwh[k] + tariff.p2p.feeEurPerKwh[k] - model.localPremiumEurPerKwh;
      buy[k] = b.addColumn(0, p2pLimit ?? model.importLimitKw, dt * buyCost);
      sell[k] = b.addColumn(0, p2pLimit ?? model.exportLimitKw, -dt * tariff.p2p.priceEurPerKwh[k]);
    }
  }
  // Balance terms collected per interval, then one equality row per interval.
  const terms: { cols: number[]; vals: number[] }[] = Array.from({ length: n }, (_, k) => {
    const cols = [imp[k], exp[k]];
    const vals = [1, -1];
    if (buy[k] >= 0) cols.push(buy[k], sell[k]) && vals.push(1, -1);
    return { cols, vals };
  });
  const pv = model.pv.map((p) => {
    const cols = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const a = p.availableKw[k];
      cols[k] = b.addColumn(p.isCurtailable ? 0 : a, a, 0);
      terms[k].cols.push(cols[k]);
      terms[k].vals.push(1);
    }
    return cols;
  });
  const batCh: Int32Array[] = [];
  const batDis: Int32Array[] = [];
  const batE: Int32Array[] = [];
  for (const bat of model.batteries) {
    const ch = new Int32Array(n);
    const dis = new Int32Array(n);
    const e = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      ch[k] = b.addColumn(0, bat.chargeKw, 0);
      dis[k] = b.addColumn(0, bat.dischargeKw, dt * bat.degradationEurPerKwh);
      const lower = k === n - 1 ? Math.max(bat.energyMinKwh, bat.energyFinalMinKwh) : bat.energyMinKwh;
      e[k] = b.addColumn(lower, bat.energyMaxKwh, 0);
      // E_k − E_{k−1} − η_c·Δ·ch_k + Δ/η_d·dis_k = 0  (E_{−1} = initial)
      const cols = [e[k], ch[k], dis[k]];
      const vals = [1, -bat.chargeEfficiency * dt, dt / bat.dischargeEfficiency];
      if (k > 0) cols.push(e[k - 1]) && vals.push(-1);
      const rhs = k === 0 ? bat.energyInitialKwh : 0;
      b.addRow(rhs, rhs, cols, vals);
      terms[k].cols.push(dis[k], ch[k]);
      terms[k].vals.push(1, -1);
    }
    batCh.push(ch);
    batDis.push(dis);
    batE.push(e);
  }
  const evCh: Int32Array[] = [];
  const evDis: Int32Array[] = [];
  const evE: Int32Array[] = [];
  for (const ev of model.evs) {
    const ch = none(n);
    const dis = none(n);
    const e = none(n);
    for (const s of ev.sessions) {
      for (let k = s.firstStep; k < s.endStep; k++) {
        ch[k] = b.addColumn(0, ev.chargerKw, 0);
        let lower = k === s.endStep - 1 ? s.energyEndMinKwh : 0;
        for (const m of s.milestones) if (m.step === k) lower = Math.max(lower, m.energyMinKwh);
        e[k] = b.addColumn(lower, ev.capacityKwh, 0);
        const cols = [e[k], ch[k]];
        const vals = [1, -ev.chargeEfficiency * dt];
        terms[k].cols.push(ch[k]);
        terms[k].vals.push(-1);
        if (ev.v2gKw > 0) {
          dis[k] = b.addColumn(0, ev.v2gKw, 0);
          cols.push(dis[k]) && vals.push(dt / ev.dischargeEfficiency);
          terms[k].cols.push(dis[k]);
          terms[k].vals.push(1);
        }
        if (k > s.firstStep) cols.push(e[k - 1]) && vals.push(-1);
        const rhs = k === s.firstStep ? s.energyStartKwh : 0;
        b.addRow(rhs, rhs, cols, vals);
      }
    }
    evCh.push(ch);
    evDis.push(dis);
    evE.push(e);
  }
  const hp: Int32Array[] = [];
  const hpTemp: Int32Array[] = [];
  for (const h of model.heatPumps) {
    const p = new Int32Array(n);
    const temp = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      p[k] = b.addColumn(0, h.electricKw, 0);
      temp[k] = b.addColumn(h.comfortMinC, h.comfortMaxC, 0);
      // θ_k − a·θ_{k−1} − g_k·P_k = (1 − a)·θout_k   (θ_{−1} = initial)
      const cols = [temp[k], p[k]];
      const vals = [1, -h.gainKPerKw[k]];
      let rhs = (1 - h.decay) * h.outdoorC[k];
      if (k > 0) cols.push(temp[k - 1]) && vals.push(-h.decay);
      else rhs += h.decay * h.indoorInitialC;
      b.addRow(rhs, rhs, cols, vals);
      terms[k].cols.push(p[k]);
      terms[k].vals.push(-1);
    }
    hp.push(p);
    hpTemp.push(temp);
  }
  const shift = model.shiftableLoads.map((s) => {
    const cols = none(n);
    const rowCols: number[] = [];
    for (let k = s.firstStep; k < s.endStep; k++) {
      cols[k] = b.addColumn(0, s.maxKw, 0);
      rowCols.push(cols[k]);
      terms[k].cols.push(cols[k]);
      terms[k].vals.push(-1);
    }
    b.addRow(s.energyKwh, s.energyKwh, rowCols, new Array(rowCols.length).fill(dt));
    return cols;
  });
  const balanceRows = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const load = model.fixedLoadKw[k];
    balanceRows[k] = b.addRow(load, load, terms[k].cols, terms[k].vals);
  }
  if (model.maxPurchasedShare !== undefined) {
    // Σ (imp + buy) ≤ s·Σ consumption, consumption = fixed + charging + heat pump + shiftable (all × Δ).
    const s = model.maxPurchasedShare;
    const cols: number[] = [];
    const vals: number[] = [];
    let fixed = 0;
    for (let k = 0; k < n; k++) {
      fixed += model.fixedLoadKw[k];
      cols.push(imp[k]) && vals.push(1);
      if (buy[k] >= 0) cols.push(buy[k]) && vals.push(1);
      for (const c of [...batCh, ...evCh, ...hp, ...shift]) if (c[k] >= 0) cols.push(c[k]) && vals.push(-s);
    }
    b.addRow(-INF, s * fixed, cols, vals);
  }
  const q = options.netPowerQuadraticEurPerKw2H ?? 0;
  if (q > 0) {
    for (let k = 0; k < n; k++) {
      const g = b.addColumn(-INF, INF, 0);
      const cols = [g, imp[k], exp[k]];
      const vals = [1, -1, 1];
      if (buy[k] >= 0) cols.push(buy[k], sell[k]) && vals.push(-1, 1);
      b.addRow(0, 0, cols, vals);
      b.addQuadraticCost(g, g, q * dt);
    }
  }
  return {
    model,
    tariff,
    imp,
    exp,
    buy,
    sell,
    pv,
    batCh,
    batDis,
    batE,
    evCh,
    evDis,
    evE,
    hp,
    hpTemp,
    shift,
    balanceRows,
  };
}

/**
 * An LP cannot forbid importing and exporting in the same interval, so a tariff under which some way of selling
 * pays more than some way of buying (export or P2P sale above retail import or P2P purchase incl. fee) would let it
 * cycle energy through the meter without limit. Such tariffs are rejected, naming the first interval.
 */
function checkNoMeterArbitrage(tariff: ProsumerTariff, n: number): void {
  for (const [name, series] of Object.entries({
    importPriceEurPerKwh: tariff.importPriceEurPerKwh,
    exportPriceEurPerKwh: tariff.exportPriceEurPerKwh,
  })) {
    if (series.length !== n) {
      throw InputError.single(
        'length_mismatch',
        ['tariff', name],
        `has ${series.length} values, the horizon has ${n}`,
      );
    }
  }
  for (let k = 0; k < n; k++) {
    let sell = tariff.exportPriceEurPerKwh[k];
    let buy = tariff.importPriceEurPerKwh[k];
    if (tariff.p2p) {
      sell = Math.max(sell, tariff.p2p.priceEurPerKwh[k]);
      buy = Math.min(buy, tariff.p2p.priceEurPerKwh[k] + tariff.p2p.feeEurPerKwh[k]);
    }
    if (sell > buy + 1e-12) {
      throw InputError.single(
        'meter_arbitrage',
        ['tariff', k],
        `selling pays ${sell} EUR/kWh but buying costs ${buy} EUR/kWh in interval ${k}: energy could be cycled through the meter`,
      );
    }
  }
}

const pick = (x: Float64Array, cols: Int32Array, fill = 0): Float64Array =>
  Float64Array.from(cols, (c) => (c >= 0 ? x[c] : fill));

/** Read one prosumer's schedule out of a solution vector. */
export function readSchedule(
  layout: ProsumerLayout,
  status: OptimisationStatus,
  x: Float64Array,
  rowDual: Float64Array,
): ProsumerSchedule {
  const { model, tariff } = layout;
  const n = model.length;
  const dt = model.stepH;
  const byId = <T>(items: readonly { id: string }[], make: (i: number) => T): Record<string, T> =>
    Object.fromEntries(items.map((item, i) => [item.id, make(i)]));
  const importKw = pick(x, layout.imp);
  const exportKw = pick(x, layout.exp);
  const p2pBuyKw = pick(x, layout.buy);
  const p2pSellKw = pick(x, layout.sell);
  const netInjectionKw = new Float64Array(n);
  let energyCostEur = 0;
  let objectiveEur = 0;
  for (let k = 0; k < n; k++) {
    netInjectionKw[k] = exportKw[k] + p2pSellKw[k] - importKw[k] - p2pBuyKw[k];
    let cost = importKw[k] * tariff.importPriceEurPerKwh[k] - exportKw[k] * tariff.exportPriceEurPerKwh[k];
    if (tariff.p2p) {
      cost += p2pBuyKw[k] * (tariff.p2p.priceEurPerKwh[k] + tariff.p2p.feeEurPerKwh[k]);
      cost -= p2pSellKw[k] * tariff.p2p.priceEurPerKwh[k];
    }
    energyCostEur += cost * dt;
    objectiveEur += (cost - p2pBuyKw[k] * model.localPremiumEurPerKwh) * dt;
    for (let i = 0; i < model.batteries.length; i++)
      objectiveEur += x[layout.batDis[i][k]] * dt * model.batteries[i].degradationEurPerKwh;
  }
  return {
    id: model.id,
    status,
    objectiveEur,
    energyCostEur,
    importKw,
    exportKw,
    p2pBuyKw,
    p2pSellKw,
    netInjectionKw,
    pvKw: byId(model.pv, (i) => pick(x, layout.pv[i])),
    pvCurtailedKw: byId(model.pv, (i) =>
      Float64Array.from(model.pv[i].availableKw, (a, k) => Math.max(0, a - x[layout.pv[i][k]])),
    ),
    batteryKw: byId(model.batteries, (i) =>
      Float64Array.from(layout.batDis[i], (c, k) => x[c] - x[layout.batCh[i][k]]),
    ),
    batteryEnergyKwh: byId(model.batteries, (i) => pick(x, layout.batE[i])),
    evChargeKw: byId(model.evs, (i) =>
      Float64Array.from(
        layout.evCh[i],
        (c, k) => (c >= 0 ? x[c] : 0) - (layout.evDis[i][k] >= 0 ? x[layout.evDis[i][k]] : 0),
      ),
    ),
    evEnergyKwh: byId(model.evs, (i) => pick(x, layout.evE[i], Number.NaN)),
    heatPumpKw: byId(model.heatPumps, (i) => pick(x, layout.hp[i])),
    indoorC: byId(model.heatPumps, (i) => pick(x, layout.hpTemp[i])),
    shiftableKw: byId(model.shiftableLoads, (i) => pick(x, layout.shift[i])),
    marginalValueEurPerKwh: Float64Array.from(layout.balanceRows, (r) => rowDual[r] / dt),
  };
}

/** Schedule that reports a non-optimal status with zero power everywhere. */
export function failedSchedule(layout: ProsumerLayout, status: OptimisationStatus): ProsumerSchedule {
  let size = 0;
  for (const value of Object.values(layout)) {
    const arrays = Array.isArray(value) ? value : [value];
    for (const a of arrays) if (a instanceof Int32Array) for (const i of a) size = Math.max(size, i + 1);
  }
  const s = readSchedule(layout, status, new Float64Array(size), new Float64Array(size));
  return { ...s, objectiveEur: Number.NaN, energyCostEur: Number.NaN };
}

/** Solve the cost-minimising schedule of one prosumer (LP, or QP with a quadratic penalty). */
export async function scheduleProsumer(
  model: ProsumerModel,
  tariff: ProsumerTariff,
  options: ScheduleOptions = {},
): Promise<ProsumerSchedule> {
  const builder = new ProblemBuilder();
  const layout = addProsumerToProblem(builder, model, tariff, options);
  const result = await solveOptimisation(builder.build());
  if (result.status !== 'optimal') return failedSchedule(layout, result.status);
  return readSchedule(layout, result.status, result.x, result.rowDual);
}
