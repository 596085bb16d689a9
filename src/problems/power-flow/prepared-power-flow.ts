// The power flow recipe: look the method up once (formulation + solver, methods.ts), then per solve set the
// injections, solve with reactive limits, and read flows and losses from the formulation at the solved voltages.
import { InputError } from '../../core/errors.ts';
import { POWER_FLOW_TOLERANCE_PU } from '../../core/tolerances.ts';
import { indexNetwork } from '../../grid/indexed-network.ts';
import type { Network } from '../../grid/schema.ts';
import { POWER_FLOW_METHOD_DEFINITIONS } from './methods.ts';
import { runWithReactiveLimits } from './reactive-limits.ts';
import { buildResultTables } from './result-tables.ts';
import {
  type LoadOverrides,
  POWER_FLOW_METHODS,
  type PowerFlowArrays,
  type PowerFlowOptions,
  type PowerFlowResult,
  type PreparedPowerFlow,
} from './types.ts';

/** Solve one power flow. Non-convergence is a status in the result, not an exception. */
export function solvePowerFlow(network: Network, options: PowerFlowOptions = {}): PowerFlowResult {
  return preparePowerFlow(network, options).solve();
}

/** Build reusable structures for repeated power flows of one network (time series, benchmarks). */
export function preparePowerFlow(network: Network, options: PowerFlowOptions = {}): PreparedPowerFlow {
  const method = options.method ?? 'nr';
  if (!POWER_FLOW_METHODS.includes(method)) {
    throw InputError.single(
      'bad_option',
      ['method'],
      `unknown power flow method "${method}" (nr, bfs or dc)`,
    );
  }
  const definition = POWER_FLOW_METHOD_DEFINITIONS[method];
  const net = indexNetwork(network);
  const settings = {
    tolerancePu: options.tolerancePu ?? POWER_FLOW_TOLERANCE_PU,
    maxIterations: options.maxIterations ?? definition.defaultMaxIterations,
  };
  const { formulation, solver } = definition.prepare(net, settings);
  // Reactive limits need a reactive balance.
  const enforceQLimits = (options.enforceQLimits ?? false) && formulation.hasReactivePower;

  const solveWithState = (overrides: LoadOverrides = {}) => {
    const pLoadMw = overrides.pLoadMw ?? net.pLoadMw;
    const qLoadMvar = overrides.qLoadMvar ?? net.qLoadMvar;
    checkOverride(pLoadMw, net.busCount, 'pLoadMw');
    checkOverride(qLoadMvar, net.busCount, 'qLoadMvar');
    const { solution, atState } = runWithReactiveLimits(
      net,
      pLoadMw,
      qLoadMvar,
      enforceQLimits,
      solver,
      formulation,
    );
    const { pFromMw, qFromMvar, pToMw, qToMvar } = atState.branchFlows();
    const { pLossMw, qLossMvar } = atState.losses();
    let lossesMw = 0;
    let lossesMvar = 0;
    for (let k = 0; k < net.branchCount; k++) {
      lossesMw += pLossMw[k];
      lossesMvar += qLossMvar[k];
    }
    const arrays: PowerFlowArrays = {
      ...solution,
      pLoadMw,
      qLoadMvar,
      pFromMw,
      qFromMvar,
      pToMw,
      qToMvar,
      pLossMw,
      qLossMvar,
      lossesMw,
      lossesMvar,
    };
    return { arrays, atState };
  };

  return {
    network,
    indexed: net,
    busIds: net.busIds,
    solveArrays: (overrides) => solveWithState(overrides).arrays,
    solve: (overrides) => {
      const { arrays, atState } = solveWithState(overrides);
      return buildResultTables(network, net, method, arrays, atState.shunts());
    },
  };
}

function checkOverride(values: Float64Array, busCount: number, field: string): void {
  if (values.length !== busCount) {
    throw InputError.single(
      'bad_length',
      [field],
      `expected ${busCount} values (one per in-service bus), got ${values.length}`,
    );
  }
}
