// The distribution OPF with frozen linearisation (one LP/QP) and the decomposition of its duals into DLMP components.
//
//   minimise  Σ_g (c1_g·p_g + c2_g·p_g²) − Σ_d (c1_d·d_d − c2_d·d_d²) + c1_0·P_0 + c2_0·P_0²
//   s.t.      P_0 − Σ_i (1 + LF_i)·x_i = Σ_i (1 + LF_i)·f_i + L⁰ − Σ_i LF_i·c⁰_i             (λ, energy balance)
//             Pmin_b + m⁻_b ≤ P⁰_b + Σ_{i below b} (x_i + f_i − c⁰_i) ≤ Pmax_b − m⁺_b        (branch b)
//             Vmin_j + m⁻_j ≤ |V⁰_j| + Σ_i S_ji·(x_i + f_i − c⁰_i) ≤ Vmax_j − m⁺_j            (bus j ≠ slack)
// with x_i = Σ_{d at i} d_d − Σ_{g at i} p_g the flexible part and f_i the fixed part of the net consumption c_i.
// [Pmin_b, Pmax_b] is the slice of the inscribed regular N-gon of S ≤ rate_b at the branch's reactive flow Q⁰_b
// (bids are active power only, so Q_b stays at Q⁰_b): facets cos θ_m·P + sin θ_m·Q ≤ rate·cos(π/N),
// θ_m = (2m + 1)·π/N. The margins m are 0 for the deterministic DLMP (the DSO pricing uses them for chance
// constraints). By LP sensitivity, ∂cost*/∂f_i splits into
//   energy λ  +  loss λ·LF_i  +  congestion Σ_b μ_b·∂P_b/∂c_i  +  voltage Σ_j (ν⁻_j − ν⁺_j)·(−S_ji)
// where μ_b = −(row dual) is the branch shadow price (positive when more flow costs more) and the voltage term is
// −Σ_j (row dual_j)·S_ji (positive at a binding lower voltage limit, S_ji ≤ 0). DESIGN.md: a DLMP is the cost of
// one more MWh consumed at the bus.
import type { OptimisationStatus } from '../../core/status.ts';
import { isDownstream } from '../../formulations/lin-dist-flow.ts';
import { ProblemBuilder, solveOptimisation } from '../../numeric/optimisation/index.ts';
import type { IndexedBid } from './bids.ts';
import type { FeederLinearisation, FeederModel } from './linearisation.ts';

/** Cost of the substation supply P_0 (MW): c1·P + c2·P², within [pMinMw, pMaxMw]. */
export interface SlackSupply {
  readonly c1PerMwh: number;
  readonly c2PerMw2H: number;
  readonly pMinMw: number;
  readonly pMaxMw: number;
}

/** Everything the LP needs besides the network linearisation; arrays are indexed by bus. */
export interface DlmpProblemSpec {
  readonly fixedLoadMw: Float64Array;
  readonly bids: readonly IndexedBid[];
  readonly slack: SlackSupply;
  readonly vmMinPu: Float64Array;
  readonly vmMaxPu: Float64Array;
  /** Rating of each bus's parent branch (MVA), 0 = unlimited. */
  readonly parentRateMva: Float64Array;
  /** Sides N of the inscribed polygon of S ≤ rate (≥ 4). */
  readonly polygonSides: number;
  /** Tightening margins (p.u. / MW) per bus; absent = 0. */
  readonly margins?: {
    readonly vLowPu?: Float64Array;
    readonly vHighPu?: Float64Array;
    readonly pLowMw?: Float64Array;
    readonly pHighMw?: Float64Array;
  };
}

/** Primal solution and DLMP components per bus. */
export interface DlmpProblemSolution {
  readonly status: OptimisationStatus;
  readonly objectivePerH: number;
  readonly bidPMw: Float64Array;
  readonly slackPMw: number;
  /** Net consumption c_i = f_i + x_i (MW). */
  readonly netLoadMw: Float64Array;
  /** Linearised voltage magnitude and parent-branch flow at the solution. */
  readonly vmPu: Float64Array;
  readonly pParentBranchMw: Float64Array;
  /** Feasible interval of each parent-branch flow (MW); ±Infinity when unlimited. */
  readonly pLimitLowMw: Float64Array;
  readonly pLimitHighMw: Float64Array;
  /** Branch shadow price μ_b per bus's parent branch (per MWh of flow, parent → child). */
  readonly branchShadowPerMwh: Float64Array;
  /** Voltage shadow price per bus (per p.u.; positive at a binding lower limit, negative at an upper one). */
  readonly voltageShadowPerPu: Float64Array;
  readonly energyPerMwh: number;
  readonly lossPerMwh: Float64Array;
  readonly congestionPerMwh: Float64Array;
  readonly voltagePerMwh: Float64Array;
  readonly dlmpPerMwh: Float64Array;
}

/** P interval of the inscribed N-gon of radius rate at reactive flow q (MW); empty interval if |q| is too large. */
export function polygonActiveRange(rateMva: number, qMvar: number, sides: number): [number, number] {
  const apothem = rateMva * Math.cos(Math.PI / sides);
  let high = Number.POSITIVE_INFINITY;
  let low = Number.NEGATIVE_INFINITY;
  for (let m = 0; m < sides; m++) {
    const theta = ((2 * m + 1) * Math.PI) / sides;
    const c = Math.cos(theta);
    const bound = (apothem - Math.sin(theta) * qMvar) / c;
    if (c > 1e-12) high = Math.min(high, bound);
    else if (c < -1e-12) low = Math.max(low, bound);
  }
  return [low, high];
}

/** Build and solve the frozen-linearisation OPF; returns primal values and the DLMP decomposition. */
export async function solveDlmpProblem(
  model: FeederModel,
  point: FeederLinearisation,
  spec: DlmpProblemSpec,
): Promise<DlmpProblemSolution> {
  const { net, lin } = model;
  const tree = lin.tree;
  const n = net.busCount;
  const root = tree.order[0];
  const b = new ProblemBuilder();
  const inf = Number.POSITIVE_INFINITY;
  const bidCol = spec.bids.map((bid, g) => {
    const sign = bid.isDemand ? -1 : 1;
    const col = b.addColumn(bid.pMinMw, bid.pMaxMw, sign * bid.c1PerMwh, `bid_${g}`);
    if (bid.c2PerMw2H > 0) b.addQuadraticCost(col, col, 2 * bid.c2PerMw2H);
    return col;
  });
  const slackCol = b.addColumn(spec.slack.pMinMw, spec.slack.pMaxMw, spec.slack.c1PerMwh, 'p_slack');
  if (spec.slack.c2PerMw2H > 0) b.addQuadraticCost(slackCol, slackCol, 2 * spec.slack.c2PerMw2H);
  // Flexible columns per bus with their sign in x_i (+1 demand, −1 generation).
  const busCols: number[][] = Array.from({ length: n }, () => []);
  const busSigns: number[][] = Array.from({ length: n }, () => []);
  spec.bids.forEach((bid, g) => {
    busCols[bid.bus].push(bidCol[g]);
    busSigns[bid.bus].push(bid.isDemand ? 1 : -1);
  });
  // Deviation of the fixed part from the operating point, f_i − c⁰_i.
  const shift = Float64Array.from(spec.fixedLoadMw, (f, i) => f - point.netLoadMw[i]);

  // Energy balance.
  const balanceCols = [slackCol];
  const balanceVals = [1];
  let balanceRhs = point.lossesMw;
  for (let i = 0; i < n; i++) {
    const factor = 1 + point.lossFactor[i];
    balanceRhs += factor * spec.fixedLoadMw[i] - point.lossFactor[i] * point.netLoadMw[i];
    busCols[i].forEach((col, m) => {
      balanceCols.push(col);
      balanceVals.push(-factor * busSigns[i][m]);
    });
  }
  const balanceRow = b.addRow(balanceRhs, balanceRhs, balanceCols, balanceVals, 'balance');

  // Branch limits (one row per rated parent branch).
  const pLimitLowMw = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  const pLimitHighMw = new Float64Array(n).fill(inf);
  const branchRow = new Int32Array(n).fill(-1);
  const branchConstant = new Float64Array(n);
  for (let t = 1; t < n; t++) {
    const c = tree.order[t];
    const rate = spec.parentRateMva[c];
    if (!(rate > 0)) continue;
    const [low, high] = polygonActiveRange(rate, point.qParentBranchMvar[c], spec.polygonSides);
    pLimitLowMw[c] = low + (spec.margins?.pLowMw?.[c] ?? 0);
    pLimitHighMw[c] = high - (spec.margins?.pHighMw?.[c] ?? 0);
    let constant = point.pParentBranchMw[c];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!isDownstream(lin, c, i)) continue;
      constant += shift[i];
      busCols[i].forEach((col, m) => {
        cols.push(col);
        vals.push(busSigns[i][m]);
      });
    }
    branchConstant[c] = constant;
    branchRow[c] = b.addRow(pLimitLowMw[c] - constant, pLimitHighMw[c] - constant, cols, vals, `branch_${c}`);
  }

  // Voltage limits at every non-slack bus.
  const voltageRow = new Int32Array(n).fill(-1);
  const voltageConstant = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (j === root) continue;
    let constant = point.vmPu[j];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = point.voltageSensitivity[i][j];
      if (s === 0) continue;
      constant += s * shift[i];
      busCols[i].forEach((col, m) => {
        cols.push(col);
        vals.push(s * busSigns[i][m]);
      });
    }
    voltageConstant[j] = constant;
    const low = spec.vmMinPu[j] + (spec.margins?.vLowPu?.[j] ?? 0);
    const high = spec.vmMaxPu[j] - (spec.margins?.vHighPu?.[j] ?? 0);
    voltageRow[j] = b.addRow(low - constant, high - constant, cols, vals, `voltage_${j}`);
  }

  const problem = b.build();
  // Rows whose bounds cross (e.g. a limit that the fixed load alone breaks beyond any flexibility) are infeasible.
  let isInconsistent = false;
  for (let r = 0; r < problem.numRows; r++) {
    if (!(problem.rowLower[r] <= problem.rowUpper[r])) isInconsistent = true;
  }
  const result = isInconsistent
    ? {
        status: 'infeasible' as const,
        objective: Number.NaN,
        x: new Float64Array(problem.numCols),
        rowActivity: new Float64Array(problem.numRows),
        rowDual: new Float64Array(problem.numRows),
      }
    : await solveOptimisation(problem);
  if (result.status === 'error') throw new Error('the solver failed on the DLMP problem');
  const bidPMw = Float64Array.from(bidCol, (col) =>
    result.status === 'optimal' ? result.x[col] : Number.NaN,
  );
  const netLoadMw = Float64Array.from(spec.fixedLoadMw);
  spec.bids.forEach((bid, g) => {
    netLoadMw[bid.bus] += (bid.isDemand ? 1 : -1) * bidPMw[g];
  });
  const nan = () => new Float64Array(n).fill(Number.NaN);
  if (result.status !== 'optimal') {
    return {
      status: result.status,
      objectivePerH: Number.NaN,
      bidPMw,
      slackPMw: Number.NaN,
      netLoadMw,
      vmPu: nan(),
      pParentBranchMw: nan(),
      pLimitLowMw,
      pLimitHighMw,
      branchShadowPerMwh: nan(),
      voltageShadowPerPu: nan(),
      energyPerMwh: Number.NaN,
      lossPerMwh: nan(),
      congestionPerMwh: nan(),
      voltagePerMwh: nan(),
      dlmpPerMwh: nan(),
    };
  }
  const energyPerMwh = result.rowDual[balanceRow];
  const branchShadowPerMwh = Float64Array.from(branchRow, (r) => (r >= 0 ? -result.rowDual[r] : 0));
  const voltageShadowPerPu = Float64Array.from(voltageRow, (r) => (r >= 0 ? result.rowDual[r] : 0));
  const flexDeviation = Float64Array.from(netLoadMw, (c, i) => c - spec.fixedLoadMw[i]);
  const vmPu = new Float64Array(n);
  const pParentBranchMw = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (voltageRow[j] >= 0) vmPu[j] = voltageConstant[j] + result.rowActivity[voltageRow[j]];
    else vmPu[j] = point.vmPu[j];
  }
  for (let t = 1; t < n; t++) {
    const c = tree.order[t];
    if (branchRow[c] >= 0) {
      pParentBranchMw[c] = branchConstant[c] + result.rowActivity[branchRow[c]];
    } else {
      let flow = point.pParentBranchMw[c];
      for (let i = 0; i < n; i++) if (isDownstream(lin, c, i)) flow += shift[i] + flexDeviation[i];
      pParentBranchMw[c] = flow;
    }
  }
  const lossPerMwh = Float64Array.from(point.lossFactor, (lf) => energyPerMwh * lf);
  const congestionPerMwh = new Float64Array(n);
  const voltagePerMwh = new Float64Array(n);
  const dlmpPerMwh = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let congestion = 0;
    for (let t = 1; t < n; t++) {
      const c = tree.order[t];
      if (branchShadowPerMwh[c] !== 0 && isDownstream(lin, c, i)) congestion += branchShadowPerMwh[c];
    }
    let voltage = 0;
    const column = point.voltageSensitivity[i];
    for (let j = 0; j < n; j++) if (voltageShadowPerPu[j] !== 0) voltage -= voltageShadowPerPu[j] * column[j];
    congestionPerMwh[i] = congestion;
    voltagePerMwh[i] = voltage;
    dlmpPerMwh[i] = energyPerMwh + lossPerMwh[i] + congestion + voltage;
  }
  return {
    status: 'optimal',
    objectivePerH: result.objective,
    bidPMw,
    slackPMw: result.x[slackCol],
    netLoadMw,
    vmPu,
    pParentBranchMw,
    pLimitLowMw,
    pLimitHighMw,
    branchShadowPerMwh,
    voltageShadowPerPu,
    energyPerMwh,
    lossPerMwh,
    congestionPerMwh,
    voltagePerMwh,
    dlmpPerMwh,
  };
}
