// What an `rl` platform sees locally: one episode per platform-day of a DSO's day-ahead pricing input, its
// members' flexibility (issue 6, negotiation's platform data) and its own feeder model (`mpc/platform-model.ts`,
// LinDistFlow prior), and the observation per platform interval (policy.ts) built from them. The policy is scored
// in the full simulator, not here (train.ts, studies/rl-training.ts).
import { KW_PER_MW } from '../../core/units.ts';
import type { DsoPricingInput } from '../mechanism.ts';
import type { PlatformModel } from '../mpc/platform-model.ts';
import { predictFeeder, priorPlatformModel } from '../mpc/platform-model.ts';
import type { NegotiationPlatformData } from '../negotiation/platform-agent.ts';
import { buildPlatformData } from '../negotiation/platform-data.ts';
import { OBSERVATION_SIZE } from './policy.ts';

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

/** Members' net position at flat prices (kW): base net + expected EV demand + curtailment (0 at export ≥ 0). */
export function flatNetPositionKw(data: NegotiationPlatformData, t: number): number {
  let x = 0;
  for (const m of data.members) {
    const curtailedKw = clip(-data.flatExportEurPerMwh[t] / m.curtailSlope, 0, Math.max(0, m.pvKw[t]));
    x += m.baseNetKw[t] + clip(m.flexibleExpectedKw[t], 0, m.flexibleMaxKw[t]) + curtailedKw;
  }
  return x;
}

/** The observation of interval t. */
export function observe(episode: Episode, t: number, out = new Float64Array(OBSERVATION_SIZE)): Float64Array {
  const { data, model } = episode;
  const hour = ((t * data.index.stepMin) / 60) % 24;
  const x0 = flatNetPositionKw(data, t);
  const p = predictFeeder(model, x0);
  out[0] = Math.sin((2 * Math.PI * hour) / 24);
  out[1] = Math.cos((2 * Math.PI * hour) / 24);
  out[2] = p.loadingPercent / 100;
  out[3] = (p.vmMinPu - model.vmMinLimitPu) / 0.05;
  out[4] = (model.vmMaxLimitPu - p.vmMaxPu) / 0.05;
  out[5] = episode.flatImportEurPerKwh[t] / 0.3;
  return out;
}
