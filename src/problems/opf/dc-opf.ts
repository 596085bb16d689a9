// DC optimal power flow with locational marginal prices from the duals of the nodal balance (B-θ form).
//
//   minimise   Σ_g cost_g(Pg)                                     polynomial (≤ quadratic) or piecewise linear
//   subject to Σ_{g∈i} Pg − baseMva·Σ_k Bbus_ik·θ_k = Pd_i + Gsh_i + baseMva·Pshift_i   (λ_i, every bus i)
//              |baseMva·b_l·(θf − θt − θshift_l)| ≤ rateA_l                               (branches with a rating)
//              Pmin ≤ Pg ≤ Pmax,  θ_slack = case angle
// Piecewise-linear costs use an epigraph variable per generator (MATPOWER's CCV formulation). The LMP at bus i is
// λ_i = ∂cost/∂Pd_i in (case currency)/MWh, positive when more consumption costs more (DESIGN.md).
// The network enters only through the DC formulation's linear constraints (bus injections and branch flows as
// affine expressions of the angles) and its branch flows at the solution; the costs are this recipe's own.
import { InputError } from '../../core/errors.ts';
import type { OptimisationStatus } from '../../core/status.ts';
import { radToDeg } from '../../core/units.ts';
import { DC } from '../../formulations/dc.ts';
import { indexNetwork } from '../../grid/indexed-network.ts';
import type { ElementId, Network } from '../../grid/schema.ts';
import { ProblemBuilder, solveOptimisation } from '../../numeric/optimisation/index.ts';

export interface DcOpfResult {
  readonly status: OptimisationStatus;
  /** Why the problem has no solution (infeasible / unbounded), in words. */
  readonly message?: string;
  /** Total generation cost in the case's cost unit per hour. */
  readonly objectivePerH: number;
  readonly buses: readonly { id: ElementId; lmpPerMwh: number; vaDeg: number }[];
  readonly generators: readonly { id: ElementId; bus: ElementId; pMw: number; marginalCostPerMwh: number }[];
  readonly branches: readonly {
    id: ElementId;
    pFromMw: number;
    loadingPercent: number | null;
    /** Shadow price of the thermal limit (cost reduction per MW of extra rating), 0 when not binding. */
    limitShadowPricePerMwh: number;
  }[];
}

/** Solve the DC OPF of a network whose in-service generators all have costs. */
export async function solveDcOpf(network: Network): Promise<DcOpfResult> {
  const net = indexNetwork(network);
  net.generatorCost.forEach((cost, g) => {
    if (!cost) {
      throw InputError.single(
        'missing_cost',
        ['generators', net.generatorPosition[g], 'cost'],
        'every in-service generator needs a cost for OPF',
      );
    }
  });
  const model = DC.buildModel(net);
  const constraints = DC.linearConstraints(model);
  const b = new ProblemBuilder();
  const pg = Array.from({ length: net.generatorCount }, (_, g) =>
    b.addColumn(net.pGenMinMw[g], net.pGenMaxMw[g], 0, `pg_${g}`),
  );
  const theta = Array.from({ length: net.busCount }, (_, i) =>
    b.addColumn(constraints.variableLower[i], constraints.variableUpper[i], 0, `va_${i}`),
  );
  for (let g = 0; g < net.generatorCount; g++) {
    const cost = net.generatorCost[g]!;
    if (cost.kind === 'polynomial') {
      b.addLinearCost(pg[g], cost.c1PerMwh);
      if (cost.c2PerMw2H !== 0) b.addQuadraticCost(pg[g], pg[g], 2 * cost.c2PerMw2H);
      b.addOffset(cost.c0PerH);
    } else {
      const y = b.addColumn(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 1, `cost_${g}`);
      const points = cost.points;
      for (let j = 0; j + 1 < points.length; j++) {
        const slope = (points[j + 1].costPerH - points[j].costPerH) / (points[j + 1].pMw - points[j].pMw);
        b.addRow(
          points[j].costPerH - slope * points[j].pMw,
          Number.POSITIVE_INFINITY,
          [y, pg[g]],
          [1, -slope],
        );
      }
    }
  }
  // Nodal balance Σ_{g at i} Pg − P_i(θ) = Pd_i + Gsh_i, with the formulation's injection P_i(θ) = a·θ + c.
  const rowColumns: number[][] = Array.from({ length: net.busCount }, () => []);
  const rowValues: number[][] = Array.from({ length: net.busCount }, () => []);
  for (let g = 0; g < net.generatorCount; g++) {
    rowColumns[net.generatorBus[g]].push(pg[g]);
    rowValues[net.generatorBus[g]].push(1);
  }
  const balanceRow = new Int32Array(net.busCount);
  let demandMw = 0;
  for (let i = 0; i < net.busCount; i++) {
    const injection = constraints.busInjectionMw[i];
    injection.variables.forEach((v, j) => {
      rowColumns[i].push(theta[v]);
      rowValues[i].push(-injection.coefficients[j]);
    });
    const rhs = net.pLoadMw[i] + net.gShuntMw[i] + injection.constant;
    demandMw += net.pLoadMw[i] + net.gShuntMw[i];
    balanceRow[i] = b.addRow(rhs, rhs, rowColumns[i], rowValues[i], `balance_${i}`);
  }
  // Thermal limits −rate ≤ a·θ + c ≤ rate on the branches with a rating.
  const limitRow = new Int32Array(net.branchCount).fill(-1);
  for (let k = 0; k < net.branchCount; k++) {
    const rate = net.branchRateMva[k];
    if (!(rate > 0)) continue;
    const flow = constraints.branchFlowMw[k];
    limitRow[k] = b.addRow(
      -rate - flow.constant,
      rate - flow.constant,
      Array.from(flow.variables, (v) => theta[v]),
      Array.from(flow.coefficients),
      `flow_${k}`,
    );
  }

  const result = await solveOptimisation(b.build());
  if (result.status !== 'optimal') {
    return {
      status: result.status,
      message: explainFailure(result.status, demandMw, net.pGenMinMw, net.pGenMaxMw),
      objectivePerH: Number.NaN,
      buses: [],
      generators: [],
      branches: [],
    };
  }
  const vaRad = constraints.anglesOf(theta.map((c) => result.x[c]));
  const flows = DC.branchFlows(
    model,
    DC.polarState(model, new Float64Array(net.busCount).fill(1), vaRad),
  ).pFromMw;
  return {
    status: 'optimal',
    objectivePerH: result.objective,
    buses: net.busIds.map((id, i) => ({
      id,
      lmpPerMwh: result.rowDual[balanceRow[i]],
      vaDeg: radToDeg(vaRad[i]),
    })),
    generators: Array.from(net.generatorPosition, (position, g) => ({
      id: network.generators[position].id,
      bus: network.generators[position].bus,
      pMw: result.x[pg[g]],
      marginalCostPerMwh: result.rowDual[balanceRow[net.generatorBus[g]]],
    })),
    branches: Array.from(net.branchPosition, (position, k) => ({
      id: network.branches[position].id,
      pFromMw: flows[k],
      loadingPercent: net.branchRateMva[k] > 0 ? (100 * Math.abs(flows[k])) / net.branchRateMva[k] : null,
      limitShadowPricePerMwh: limitRow[k] >= 0 ? Math.abs(result.rowDual[limitRow[k]]) : 0,
    })),
  };
}

function explainFailure(
  status: OptimisationStatus,
  demandMw: number,
  pMinMw: Float64Array,
  pMaxMw: Float64Array,
): string {
  if (status === 'unbounded') return 'the cost is unbounded below (check generator cost curves)';
  if (status !== 'infeasible') return `the solver stopped without an optimum (${status})`;
  // A unit with pMax < 0 is a dispatchable load: its −pMax is consumption that must be served.
  const capacityMw = pMaxMw.reduce((s, v) => s + Math.max(v, 0), 0);
  const mustServeMw = demandMw + pMaxMw.reduce((s, v) => s + Math.max(-v, 0), 0);
  const minimumMw = pMinMw.reduce((s, v) => s + Math.max(v, 0), 0);
  const maximumDemandMw = demandMw + pMinMw.reduce((s, v) => s + Math.max(-v, 0), 0);
  if (capacityMw < mustServeMw) {
    return `total generation capacity ${capacityMw.toFixed(3)} MW is below demand ${mustServeMw.toFixed(3)} MW`;
  }
  if (minimumMw > maximumDemandMw) {
    return `total minimum generation ${minimumMw.toFixed(3)} MW exceeds demand ${maximumDemandMw.toFixed(3)} MW`;
  }
  return 'branch flow limits cannot be met by any dispatch within the generator limits';
}
