// Shared fixtures of the negotiation tests: one-member EV platforms with quadratic flexibility and gate options.
import type { TimeIndex } from '../../time/time-index.ts';
import type { NegotiationPlatformData } from './platform-agent.ts';
import type { GateOptions } from './run-negotiation.ts';

/** One EV-like member: expected demand ê (kW), range [0, 10] kW, slope γ (EUR/MWh per kW); no PV, no base load. */
export function evPlatform(
  id: string,
  expectedKw: number,
  slope: number,
  index: TimeIndex,
): NegotiationPlatformData {
  const fill = (v: number) => new Float64Array(index.length).fill(v);
  return {
    platformId: id,
    index,
    members: [
      {
        baseNetKw: fill(0),
        flexibleExpectedKw: fill(expectedKw),
        flexibleMaxKw: fill(10),
        demandSlope: slope,
        pvKw: fill(0),
        curtailSlope: 1,
      },
    ],
    flatExportEurPerMwh: fill(40),
    netLoadScenariosKw: [fill(0)],
    independentSigmaKw: fill(0),
    correlatedSigmaKw: fill(0),
    rho: 10,
    reboundShare: 0,
  };
}

/** Tight tolerances, a reliable transport and a generous deadline. */
export const TEST_GATE_OPTIONS: GateOptions = {
  maxRounds: 400,
  roundSeconds: 10,
  gateDeadlineMinutes: 120,
  lossProbability: 0,
  maxDelayRounds: 0,
  seed: 5,
  toleranceKw: 1e-4,
  toleranceEurPerMwh: 1e-3,
  maxStaleRounds: 2,
  resendAfterRounds: 2,
  priceCapEurPerMwh: 500,
};
