// Value metrics in the eight categories (DESIGN.md M10), computed from simulation result tables only.
import type { SimulationRecorder } from '../hierarchy/recorder.ts';

/** Assumptions of the metrics (README.md states each formula). */
export interface ValueAssumptions {
  readonly pvCapexEurPerKwp: number;
  readonly batteryCapexEurPerKwh: number;
  /** Annual peak-demand growth used to turn headroom into years of deferral. */
  readonly loadGrowthPerYear: number;
  /** Longest islanded period counted (h). */
  readonly islandingCapH: number;
}

export const DEFAULT_VALUE_ASSUMPTIONS: ValueAssumptions = {
  pvCapexEurPerKwp: 1200,
  batteryCapexEurPerKwh: 500,
  loadGrowthPerYear: 0.02,
  islandingCapH: 24,
};

export interface RunMetrics {
  readonly islandableHours: number;
  readonly curtailedMwh: number;
  readonly lossesMwh: number;
  readonly localShare: number;
  readonly moneyKeptLocalEur: number;
  readonly energyPoorBillEurPerDay: number;
  readonly paybackYears: number;
  readonly peakMvLoadingPercent: number;
  readonly distributionDeferralYears: number;
  readonly systemPeakMw: number;
  readonly mediationConflicts: number;
  readonly platformImbalanceMwh: number;
  /** Both mediation rules priced on the run's conflicts (hierarchy/mediation-costs.ts). */
  readonly mediationTsoRedispatchEur: number;
  readonly mediationDsoCureEur: number;
  readonly mediationViolationMwh: number;
  readonly maxBalanceResidualKw: number;
}

export interface RunInput {
  readonly recorder: SimulationRecorder;
  readonly replicasByPlatform: ReadonlyMap<string, number>;
  readonly days: number;
  readonly prosumerStepMin: number;
}

/**
 * Metrics of one run. Energies of simulated feeders count `replicas` times (each stands for that many feeders).
 * Reliability needs prosumer rows (recordProsumers); without them it is NaN.
 */
export function computeRunMetrics(
  run: RunInput,
  a: ValueAssumptions = DEFAULT_VALUE_ASSUMPTIONS,
): RunMetrics {
  const rec = run.recorder;
  const reps = (platform: string) => run.replicasByPlatform.get(platform) ?? 1;
  const dtP = run.prosumerStepMin / 60;
  let curtailedKwh = 0;
  for (const r of rec.prosumer) curtailedKwh += r.pvCurtailedKw * dtP * reps(r.platform);
  let lossesKwh = 0;
  const platformDt =
    rec.platform.length > 1
      ? stepH(
          rec.platform[0].timeUtc,
          rec.platform.find(
            (r) => r.platform === rec.platform[0].platform && r.timeUtc !== rec.platform[0].timeUtc,
          )?.timeUtc,
        )
      : 0.25;
  for (const r of rec.platform) lossesKwh += r.lossesKw * platformDt * r.replicas;
  const dsoDt =
    rec.dso.length > 1
      ? stepH(
          rec.dso[0].timeUtc,
          rec.dso.find((r) => r.dso === rec.dso[0].dso && r.timeUtc !== rec.dso[0].timeUtc)?.timeUtc,
        )
      : 0.5;
  for (const r of rec.dso) lossesKwh += r.lossesKw * dsoDt;
  let consumption = 0;
  let p2p = 0;
  for (const m of rec.memberDays) {
    consumption += m.consumptionKwh * reps(m.platform);
    p2p += m.p2pBoughtKwh * reps(m.platform);
  }
  let money = 0;
  for (const t of rec.trades) money += t.eKwh * t.priceEurPerKwh * reps(t.platform);
  const poor = rec.memberDays.filter((m) => m.isEnergyPoor);
  const poorBill = poor.length > 0 ? poor.reduce((s, m) => s + m.billEur, 0) / poor.length : Number.NaN;
  const paybacks: number[] = [];
  const owners = new Map<string, { capex: number; saving: number }>();
  for (const m of rec.memberDays) {
    const capex = m.pvKwp * a.pvCapexEurPerKwp + m.batteryKwh * a.batteryCapexEurPerKwh;
    if (capex <= 0) continue;
    const o = owners.get(m.prosumer) ?? { capex, saving: 0 };
    o.saving += m.billWithoutDerEur - m.billEur;
    owners.set(m.prosumer, o);
  }
  for (const o of owners.values()) {
    const annual = (o.saving * 365) / run.days;
    paybacks.push(annual > 0 ? Math.min(100, o.capex / annual) : 100);
  }
  paybacks.sort((x, y) => x - y);
  const peakLoading = rec.dso.reduce((m, r) => Math.max(m, r.maxLoadingPercent), 0);
  const systemPeak = rec.tso.reduce((m, r) => Math.max(m, r.systemLoadMw), 0);
  return {
    islandableHours: islandableHours(run, a.islandingCapH),
    curtailedMwh: curtailedKwh / 1000,
    lossesMwh: lossesKwh / 1000,
    localShare: consumption > 0 ? p2p / consumption : 0,
    moneyKeptLocalEur: money,
    energyPoorBillEurPerDay: poorBill / 1,
    paybackYears: paybacks.length > 0 ? paybacks[Math.floor(paybacks.length / 2)] : Number.NaN,
    peakMvLoadingPercent: peakLoading,
    distributionDeferralYears:
      Math.log(100 / Math.max(peakLoading, 1e-9)) / Math.log(1 + a.loadGrowthPerYear),
    systemPeakMw: systemPeak,
    mediationConflicts: rec.mediation.length,
    platformImbalanceMwh: rec.platform.reduce((s, r) => s + Math.abs(r.imbalanceKwh) * r.replicas, 0) / 1000,
    mediationTsoRedispatchEur: rec.mediationCosts.reduce((s, r) => s + r.tsoRedispatchEur, 0),
    mediationDsoCureEur: rec.mediationCosts.reduce((s, r) => s + r.dsoFlexibilityEur + r.imbalanceEur, 0),
    mediationViolationMwh: rec.mediationCosts.reduce((s, r) => s + r.violationKwh, 0) / 1000,
    maxBalanceResidualKw: rec.balance.reduce((m, b) => Math.max(m, Math.abs(b.residualKw)), 0),
  };
}

const stepH = (a: string, b: string | undefined) => (b ? (Date.parse(b) - Date.parse(a)) / 3_600_000 : 0.25);

/**
 * Mean islanding duration (h) of the platforms, averaged over outage start times and platforms (weighted by
 * replicas): from each start s, members pool their PV (available, uncurtailed) and stored battery energy and
 * serve their own load (base + controllable); the duration is the time until the first interval whose load
 * cannot be met, capped at `capH`. Battery power limits and the feeder's losses are ignored.
 */
function islandableHours(run: RunInput, capH: number): number {
  const rec = run.recorder;
  if (rec.prosumer.length === 0) return Number.NaN;
  const byPlatform = new Map<string, Map<string, { pv: number; load: number; energy: number }>>();
  for (const r of rec.prosumer) {
    let times = byPlatform.get(r.platform);
    if (!times) byPlatform.set(r.platform, (times = new Map()));
    const t = times.get(r.timeUtc) ?? { pv: 0, load: 0, energy: 0 };
    t.pv += r.pvKw + r.pvCurtailedKw;
    t.load += r.loadKw + r.controllableLoadKw;
    t.energy += r.batteryEnergyKwh;
    times.set(r.timeUtc, t);
  }
  const dt = run.prosumerStepMin / 60;
  const cap = Math.round(capH / dt);
  let weighted = 0;
  let weights = 0;
  for (const [platform, times] of byPlatform) {
    const series = [...times.values()];
    let total = 0;
    for (let s = 0; s < series.length; s++) {
      let energy = s > 0 ? series[s - 1].energy : series[0].energy;
      let steps = 0;
      for (let k = s; k < series.length && steps < cap; k++) {
        energy += (series[k].pv - series[k].load) * dt;
        if (energy < 0) break;
        steps++;
      }
      total += steps * dt;
    }
    const w = run.replicasByPlatform.get(platform) ?? 1;
    weighted += (total / series.length) * w;
    weights += w;
  }
  return weights > 0 ? weighted / weights : Number.NaN;
}

/** One row of the value table: a metric for the baseline and each coordination, and its definition. */
export interface ValueRow {
  readonly category: string;
  readonly metric: string;
  readonly unit: string;
  /** Values by run name (baseline, none, dso-pricing). */
  readonly values: Readonly<Record<string, number>>;
  /** Better when higher (true) or lower (false). */
  readonly isHigherBetter: boolean;
  /** What the metric measures and how (one or two sentences, for the report's glossary). */
  readonly definition: string;
}

/** The eight-category value table plus the run checks, one column per run. */
export function buildValueTable(
  runs: Readonly<Record<string, RunMetrics>>,
  a: ValueAssumptions = DEFAULT_VALUE_ASSUMPTIONS,
): ValueRow[] {
  const row = (
    category: string,
    metric: string,
    unit: string,
    pick: (m: RunMetrics) => number,
    isHigherBetter: boolean,
    definition: string,
  ): ValueRow => ({
    category,
    metric,
    unit,
    values: Object.fromEntries(Object.entries(runs).map(([name, m]) => [name, pick(m)])),
    isHigherBetter,
    definition,
  });
  const growthPercent = 100 * a.loadGrowthPerYear;
  return [
    row(
      'reliability',
      'mean hours a platform can self-supply when islanded',
      'h',
      (m) => m.islandableHours,
      true,
      `If the feeder were cut off at a given interval, how long its members could serve their own load from their PV and stored battery energy; mean over all outage starts and over platforms (weighted by the feeders each stands for), capped at ${a.islandingCapH} h; battery power limits and feeder losses ignored.`,
    ),
    row(
      'curtailment',
      'PV energy curtailed',
      'MWh',
      (m) => m.curtailedMwh,
      false,
      'PV energy available but not produced (available − used), summed over prosumers and intervals; each simulated feeder counts as often as it is replicated.',
    ),
    row(
      'losses',
      'LV + MV series losses',
      'MWh',
      (m) => m.lossesMwh,
      false,
      'Series losses Σ I²R of the LV feeders (times their replicas) and of the MV network, summed over the simulated intervals.',
    ),
    row(
      'local economy',
      'share of members’ consumption bought P2P',
      '%',
      (m) => 100 * m.localShare,
      true,
      'Energy bought from other members in the P2P market as a share of all members’ consumption (load + controllable load).',
    ),
    row(
      'local economy',
      'money paid to local sellers',
      'EUR',
      (m) => m.moneyKeptLocalEur,
      true,
      'Σ over P2P trades of energy × price: money paid to neighbours instead of the retailer.',
    ),
    row(
      'energy poverty',
      'mean daily bill of flagged households',
      'EUR/day',
      (m) => m.energyPoorBillEurPerDay,
      false,
      'Mean over households flagged energy-poor and days of retail payments − receipts + P2P purchases incl. fees − P2P sales; – when the study flags no household.',
    ),
    row(
      'DER adoption',
      'median payback of PV + battery owners',
      'years',
      (m) => m.paybackYears,
      false,
      `Median over owners of PV or batteries of capex (${a.pvCapexEurPerKwp} EUR/kWp + ${a.batteryCapexEurPerKwh} EUR/kWh) / annual saving against the same household without them; 100 years when there is no saving.`,
    ),
    row(
      'deferred distribution upgrades',
      'peak MV branch loading',
      '%',
      (m) => m.peakMvLoadingPercent,
      false,
      'Highest |S| / rating over all MV branches and intervals.',
    ),
    row(
      'deferred distribution upgrades',
      'years until 100 % loading at 2 %/yr growth',
      'years',
      (m) => m.distributionDeferralYears,
      true,
      `ln(100 / peak MV loading in %) / ln(1 + ${growthPercent} %): years of ${growthPercent} %/yr demand growth until the most loaded MV branch reaches its rating; negative when it is already overloaded.`,
    ),
    row(
      'deferred generation/transmission',
      'system peak load',
      'MW',
      (m) => m.systemPeakMw,
      false,
      'Highest hourly load the transmission system serves: its other loads plus the DSO’s real-time import at the grid supply point.',
    ),
    row(
      'balancing',
      'platforms’ imbalance against their positions',
      'MWh',
      (m) => m.platformImbalanceMwh,
      false,
      'Σ over platform intervals (times replicas) of |metered net injection − position|, the position being the day-ahead plan plus what members traded with the DSO intraday; after real-time balancing.',
    ),
    row(
      'TSO/DSO mediation',
      'TSO requests breaking distribution limits',
      'count',
      (m) => m.mediationConflicts,
      false,
      'Number of hours in which the TSO asked the DSO for a power outside the range the distribution network can deliver within its limits.',
    ),
    row(
      'TSO/DSO mediation',
      'distribution-first: TSO re-dispatch cost',
      'EUR',
      (m) => m.mediationTsoRedispatchEur,
      false,
      'On the conflict hours, whatever rule is in force: the TSO’s DC OPF objective with the DSO bounded to its range minus without, × hours. Distribution limits hold.',
    ),
    row(
      'TSO/DSO mediation',
      'transmission-first: DSO curtailment + imbalance cost',
      'EUR',
      (m) => m.mediationDsoCureEur,
      false,
      'On the conflict hours: the DSO curtails its flexibility beyond its range (Σ |value − LMP| × MWh over its bid blocks) and pays the imbalance penalty on the deviation from the schedule.',
    ),
    row(
      'TSO/DSO mediation',
      'transmission-first: MV/LV limit violation if followed',
      'MWh',
      (m) => m.mediationViolationMwh,
      false,
      'Energy by which the TSO’s requests lie outside the distribution-feasible range: what following them would push through the MV/LV limits (none under distribution-first).',
    ),
    row(
      'check',
      'largest energy balance residual',
      'kW',
      (m) => m.maxBalanceResidualKw,
      false,
      'Largest |inflow − outflow − losses| over all levels and intervals: a check of the simulation, not a value; should be ≈ 0.',
    ),
  ];
}
