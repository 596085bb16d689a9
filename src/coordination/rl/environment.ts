// The training environment of `rl`: feeder-days of a study, each platform's members and its feeder model.
//
// An episode is one platform-day. Per platform interval t the policy sees its observation, sets import and export
// shadings (a_imp, a_exp, EUR/MWh); members respond with issue 6's flexibility (negotiation's platform agent:
// EV demand answers the import shading, PV curtailment the export shading). The realised net position is the
// response plus each of the platform's forecast-error scenarios (its own seeded draws) minus their mean, and the
// grid outcome is the platform's feeder model (`mpc/platform-model.ts`, LinDistFlow prior). Reward (EUR, higher is
// better) = −(members' welfare loss against flat prices) − penalty · (share of scenarios breaking a predicted limit),
// the welfare loss being ½γ(e(0) − e)² + ½κu² + u·export price per member and hour (EUR/MWh·kW·h/1000).
import { KW_PER_MW } from '../../core/units.ts';
import type { DsoPricingInput } from '../mechanism.ts';
import type { PlatformModel } from '../mpc/platform-model.ts';
import { predictFeeder, priorPlatformModel } from '../mpc/platform-model.ts';
import { predictedViolation } from '../mpc/receding-horizon.ts';
import type { NegotiationPlatformData } from '../negotiation/platform-agent.ts';
import { buildPlatformData } from '../negotiation/platform-data.ts';
import { evaluatePolicy, OBSERVATION_SIZE } from './policy.ts';

/** EUR per violation interval of the reward (the value of keeping a feeder interval within limits). */
export const VIOLATION_PENALTY_EUR = 5;

export interface Episode {
  readonly data: NegotiationPlatformData;
  readonly model: PlatformModel;
  readonly flatImportEurPerKwh: Float64Array;
}

const clip = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The episodes of one DSO-day's pricing input: one per platform with members. */
export function buildEpisodes(input: DsoPricingInput): Episode[] {
  return input.feeders.flatMap((feeder, j) => {
    if (feeder.members.length === 0) return [];
    const data = buildPlatformData(input, feeder, j, 1);
    const ratio = data.index.length / input.index.length;
    const flatImport = Float64Array.from(
      { length: data.index.length },
      (_, t) =>
        input.wholesaleEurPerMwh[Math.floor(t / ratio)] / KW_PER_MW +
        input.tariff.retailMarginEurPerKwh +
        input.tariff.networkChargeEurPerKwh,
    );
    return [{ data, model: priorPlatformModel(feeder, 1), flatImportEurPerKwh: flatImport }];
  });
}

/** Members' response to import/export shadings: net position (kW) and welfare loss rate (EUR/h). */
export function respond(data: NegotiationPlatformData, t: number, importAdder: number, exportAdder: number) {
  let x = 0;
  let lossEurPerH = 0;
  for (const m of data.members) {
    const e0 = clip(m.flexibleExpectedKw[t], 0, m.flexibleMaxKw[t]);
    const e = clip(m.flexibleExpectedKw[t] - importAdder / m.demandSlope, 0, m.flexibleMaxKw[t]);
    const exportPrice = data.flatExportEurPerMwh[t] + exportAdder;
    const u = clip(-exportPrice / m.curtailSlope, 0, Math.max(0, m.pvKw[t]));
    x += m.baseNetKw[t] + e + u;
    lossEurPerH +=
      (0.5 * m.demandSlope * (e0 - e) ** 2 + 0.5 * m.curtailSlope * u * u + u * data.flatExportEurPerMwh[t]) /
      KW_PER_MW;
  }
  return { xKw: x, lossEurPerH };
}

/** The observation of interval t. */
export function observe(episode: Episode, t: number, out = new Float64Array(OBSERVATION_SIZE)): Float64Array {
  const { data, model } = episode;
  const hour = ((t * data.index.stepMin) / 60) % 24;
  const x0 = respond(data, t, 0, 0).xKw;
  const p = predictFeeder(model, x0);
  out[0] = Math.sin((2 * Math.PI * hour) / 24);
  out[1] = Math.cos((2 * Math.PI * hour) / 24);
  out[2] = p.loadingPercent / 100;
  out[3] = (p.vmMinPu - model.vmMinLimitPu) / 0.05;
  out[4] = (model.vmMaxLimitPu - p.vmMaxPu) / 0.05;
  out[5] = episode.flatImportEurPerKwh[t] / 0.3;
  return out;
}

/** Total reward of a policy over episodes (EUR) and its violation share. */
export function episodeReturn(
  episodes: readonly Episode[],
  parameters: ArrayLike<number>,
  hidden: number,
  scaleEurPerMwh: number,
): { rewardEur: number; violationShare: number } {
  let reward = 0;
  let violations = 0;
  let count = 0;
  const o = new Float64Array(OBSERVATION_SIZE);
  for (const ep of episodes) {
    const { data } = ep;
    const dtH = data.index.stepMin / 60;
    const scenarios = data.netLoadScenariosKw;
    const n = data.index.length;
    for (let t = 0; t < n; t++) {
      const [a, b] = evaluatePolicy(parameters, hidden, scaleEurPerMwh, observe(ep, t, o));
      const r = respond(data, t, a, b);
      let mean = 0;
      for (const s of scenarios) mean += s[t];
      mean /= scenarios.length;
      let broken = 0;
      for (const s of scenarios) if (predictedViolation(ep.model, r.xKw + s[t] - mean) !== 0) broken++;
      const share = broken / scenarios.length;
      reward -= r.lossEurPerH * dtH + VIOLATION_PENALTY_EUR * share;
      violations += share;
      count++;
    }
  }
  return { rewardEur: reward, violationShare: count > 0 ? violations / count : 0 };
}
