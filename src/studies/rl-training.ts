// The rl training set of a study: one episode per platform and simulated day, from the DSOs' day-ahead inputs.
//
// The same per-household forecasts a DSO hands its mechanism (hierarchy/dso-pricing-input.ts) at a flat wholesale
// price of 50 EUR/MWh (the training does not run the TSO); the evaluation runs the full simulation.
import { buildEpisodes, type Episode } from '../coordination/rl/environment.ts';
import { buildDsoPricingInput } from '../hierarchy/dso-pricing-input.ts';
import { ProsumerResolver, type SystemModel } from '../hierarchy/system-model.ts';
import { createTimeIndex } from '../time/time-index.ts';

const TRAINING_WHOLESALE_EUR_PER_MWH = 50;

export function trainingEpisodes(model: SystemModel): Episode[] {
  const resolver = new ProsumerResolver(model.scenario, model.profiles);
  const firstDayMs = Date.parse(`${model.firstDayUtc}T00:00:00Z`);
  const stepMin = model.config.resolutionsMin.dso;
  const episodes: Episode[] = [];
  for (let day = 0; day < model.days; day++)
    model.dsos.forEach((dso, d) => {
      const index = createTimeIndex({
        startUtc: new Date(firstDayMs + day * 86_400_000).toISOString(),
        stepMin,
        length: 1440 / stepMin,
      });
      const input = buildDsoPricingInput(
        { dso, config: model.config, resolver, firstDayMs, seed: 500 + d },
        index,
        new Array(index.length).fill(TRAINING_WHOLESALE_EUR_PER_MWH),
        true,
      );
      episodes.push(...buildEpisodes(input));
    });
  return episodes;
}
