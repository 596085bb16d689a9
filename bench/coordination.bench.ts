// Coordination benchmark: what one day-ahead gate of negotiation, dso-pricing and centralised costs per DSO system.
//
// System: bench/scale-system.ts (case118, one CIGRE MV DSO per ≤5,000 prosumers, distinct 55-household IEEE European
// LV feeders, 30-min DSO step, 15-min platform step). For every DSO the bench builds the same day-ahead input the
// simulation's DSO hands its mechanism (buildDsoPricingInput: member forecasts, flat 50 EUR/MWh wholesale) and
// times `priceSchedule` of each mechanism. Messages and bytes: the negotiation's offers and counter-offers (JSON as
// delivered by the transport) plus, for every mechanism, one price message per platform carrying its part of the
// PriceSchedule (JSON bytes). Every mechanism gets the DSO's MV rows (hierarchy/mv-rows.ts) at the members' expected
// positions, as the simulation's DSO passes them at its plan. Peak memory: the process's maximum RSS after each mechanism (cumulative).
//
// usage: npx tsx bench/coordination.bench.ts [--sizes 1000,10000] [--per-dso 5000]
//          [--mechanisms negotiation,dso-pricing,centralised]
import { createCoordination } from '../src/coordination/index.ts';
import type { CoordinationName } from '../src/coordination/mechanism.ts';
import { restrictScheduleToLocations } from '../src/core/price-schedule.ts';
import { buildDsoPricingInput } from '../src/hierarchy/dso-pricing-input.ts';
import { MvGrid } from '../src/hierarchy/mv-grid.ts';
import { computeMvRows } from '../src/hierarchy/mv-rows.ts';
import { ProsumerResolver } from '../src/hierarchy/system-model.ts';
import { buildDefaultSystemStudy, resolveSystemStudy } from '../src/studies/system/index.ts';
import { createTimeIndex } from '../src/time/time-index.ts';
import { HOUSEHOLDS_PER_FEEDER, SCALE_TRANSMISSION, scaleDsos } from './scale-system.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg('sizes') ?? '1000,10000').split(',').map(Number);
const perDso = Number(arg('per-dso') ?? 5000);
const MECHANISMS = (arg('mechanisms') ?? 'negotiation,dso-pricing,centralised').split(
  ',',
) as CoordinationName[];
const WHOLESALE_EUR_PER_MWH = 50;

console.log(
  `coordination day-ahead gate: ${SCALE_TRANSMISSION}, one CIGRE MV DSO per ≤${perDso} prosumers, ${HOUSEHOLDS_PER_FEEDER}-household LV feeders, DSO step 30 min, platform step 15 min, node ${process.version}`,
);
console.log(
  'prosumers  feeders  dsos  mechanism     wall_s  messages       bytes  rounds  converged_gates  peak_rss_mb',
);
for (const prosumers of sizes) {
  const dsos = scaleDsos(prosumers, perDso);
  const model = resolveSystemStudy(
    buildDefaultSystemStudy({
      transmissionCase: SCALE_TRANSMISSION,
      dsos,
      households: HOUSEHOLDS_PER_FEEDER,
      platformStepMin: 15,
      prosumerStepMin: 15,
      seed: 2024,
    }),
  );
  const resolver = new ProsumerResolver(model.scenario, model.profiles);
  const firstDayMs = Date.parse(`${model.firstDayUtc}T00:00:00Z`);
  const index = createTimeIndex({ startUtc: `${model.firstDayUtc}T00:00:00Z`, stepMin: 30, length: 48 });
  const inputs = model.dsos.map((dso, d) => {
    const input = buildDsoPricingInput(
      { dso, config: model.config, resolver, firstDayMs, seed: 500 + d },
      index,
      new Array(index.length).fill(WHOLESALE_EUR_PER_MWH),
      true,
    );
    // The DSO's MV rows as in the simulation, linearised at the members' expected positions (the plan at flat prices).
    const plannedKw = input.feeders.map((f) =>
      Array.from({ length: index.length }, (_, k) =>
        f.members.reduce(
          (a, m) => a + m.loadKw[k] - m.pvKw[k] + Math.min(m.flexibleExpectedKw[k], m.flexibleMaxKw[k]),
          0,
        ),
      ),
    );
    const grid = new MvGrid(dso, index.stepMin, model.config.activePowerRatingShare);
    return { ...input, networkRows: computeMvRows(grid, dso.feeders, plannedKw, index.length) };
  });
  const simulated = model.dsos.reduce((a, d) => a + d.feeders.reduce((b, f) => b + f.members.length, 0), 0);
  const feeders = model.dsos.reduce((a, d) => a + d.feeders.length, 0);
  for (const name of MECHANISMS) {
    const mechanism = createCoordination(name);
    const t0 = performance.now();
    let priceMessages = 0;
    let priceBytes = 0;
    for (const [d, input] of inputs.entries()) {
      const schedule = await mechanism.priceSchedule(input);
      for (const f of model.dsos[d].feeders) {
        const part = restrictScheduleToLocations(
          schedule,
          new Set([f.platformId, ...f.members.map((m) => m.id)]),
        );
        priceMessages++;
        priceBytes += JSON.stringify(part).length;
      }
    }
    const wallS = (performance.now() - t0) / 1000;
    const stats = mechanism.negotiationStats?.() ?? { rounds: 0, messages: 0, bytes: 0 };
    const gates = (mechanism as { gates?: readonly { status: string }[] }).gates;
    const converged = gates ? `${gates.filter((g) => g.status === 'converged').length}/${gates.length}` : '-';
    console.log(
      [
        String(simulated).padStart(9),
        String(feeders).padStart(7),
        String(model.dsos.length).padStart(4),
        name.padEnd(12),
        wallS.toFixed(1).padStart(7),
        String(stats.messages + priceMessages).padStart(9),
        String(stats.bytes + priceBytes).padStart(11),
        String(stats.rounds).padStart(6),
        converged.padStart(15),
        ((process.resourceUsage().maxRSS * 1024) / 2 ** 20).toFixed(0).padStart(11),
      ].join('  '),
    );
  }
}
