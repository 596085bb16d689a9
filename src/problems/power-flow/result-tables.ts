// Result tables of a power flow, keyed by the input ids (pandapower-style res_bus / res_branch / res_gen).
import { radToDeg } from '../../core/units.ts';
import type { BusPowers } from '../../formulations/formulation.ts';
import type { IndexedNetwork } from '../../grid/indexed-network.ts';
import type { Network } from '../../grid/schema.ts';
import type { PowerFlowArrays, PowerFlowMethod, PowerFlowResult } from './types.ts';

/** Per-element tables from the solution arrays; `shunts` is the formulation's shunt power at the solution. */
export function buildResultTables(
  network: Network,
  net: IndexedNetwork,
  method: PowerFlowMethod,
  s: PowerFlowArrays,
  shunts: BusPowers,
): PowerFlowResult {
  const { outcome } = s;
  const n = net.busCount;
  const injectionP = new Float64Array(n);
  const injectionQ = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    injectionP[i] = -s.pLoadMw[i];
    injectionQ[i] = -s.qLoadMvar[i];
  }
  for (let g = 0; g < net.generatorCount; g++) {
    injectionP[net.generatorBus[g]] += s.pGenMw[g];
    injectionQ[net.generatorBus[g]] += s.qGenMvar[g];
  }
  const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
  return {
    status: outcome.converged ? 'converged' : 'not_converged',
    converged: outcome.converged,
    method,
    iterations: outcome.iterations,
    maxMismatchPu: outcome.maxMismatchPu,
    ...(outcome.message ? { message: outcome.message } : {}),
    lossesMw: s.lossesMw,
    lossesMvar: s.lossesMvar,
    totals: {
      generationMw: sum(s.pGenMw),
      generationMvar: sum(s.qGenMvar),
      loadMw: sum(s.pLoadMw),
      loadMvar: sum(s.qLoadMvar),
      shuntMw: sum(shunts.pMw),
      shuntMvar: sum(shunts.qMvar),
    },
    buses: net.busIds.map((id, i) => ({
      id,
      vmPu: s.vmPu[i],
      vaDeg: radToDeg(s.vaRad[i]),
      pInjectionMw: injectionP[i],
      qInjectionMvar: injectionQ[i],
    })),
    branches: Array.from(net.branchPosition, (position, k) => {
      const rate = net.branchRateMva[k];
      const sFrom = Math.hypot(s.pFromMw[k], s.qFromMvar[k]);
      const sTo = Math.hypot(s.pToMw[k], s.qToMvar[k]);
      return {
        id: network.branches[position].id,
        pFromMw: s.pFromMw[k],
        qFromMvar: s.qFromMvar[k],
        pToMw: s.pToMw[k],
        qToMvar: s.qToMvar[k],
        pLossMw: s.pLossMw[k],
        qLossMvar: s.qLossMvar[k],
        loadingPercent: rate > 0 ? (100 * Math.max(sFrom, sTo)) / rate : null,
      };
    }),
    generators: Array.from(net.generatorPosition, (position, g) => ({
      id: network.generators[position].id,
      bus: network.generators[position].bus,
      pMw: s.pGenMw[g],
      qMvar: s.qGenMvar[g],
      atQLimit: s.atQLimit[g] === 1,
    })),
  };
}
