// Builds a system study document (scenario + `simulation` section) of the bundled kind: a MATPOWER transmission
// case, CIGRE MV DSOs at its load buses, replicated IEEE European LV platforms with a DER mix per site.
import type { PvOrientation } from '../../ders/pv-orientation.ts';
import type { ProsumerInput } from '../../ders/schema.ts';
import type { SimulationConfigInput } from '../../hierarchy/simulation-config.ts';
import { loadCase } from '../../io/case-registry.ts';
import { DEFAULT_DER_MIX, type DerMix } from '../../scenario/draw-household.ts';
import { generateIeeeLvScenario } from '../../scenario/generate-scenario.ts';
import { SCENARIO_FORMAT_VERSION, type ScenarioInput } from '../../scenario/schema.ts';

/** A system study document: a scenario plus its `simulation` section. */
export type SystemStudyInput = ScenarioInput & { readonly simulation?: SimulationConfigInput };

/** LV platform sites of the default study: CIGRE MV bus, replicas, DER mix. */
export interface SystemSite {
  readonly bus: string;
  readonly replicas: number;
  readonly mixName: string;
  readonly mix: DerMix;
  /** LV network id (default `lv-<bus>`). */
  readonly id?: string;
  /** PV module orientation (default: the horizontal bundled shape). */
  readonly pvOrientation?: PvOrientation;
  /** Household load profiles: the feeder's own (default) or drawn by seed. */
  readonly loadProfiles?: 'feeder' | 'drawn';
  /** Changes to the IEEE European LV network (makes it inline): bus voltage limits, transformer rating (MVA). */
  readonly lvNetwork?: {
    readonly vmMinPu?: number;
    readonly vmMaxPu?: number;
    readonly transformerMva?: number;
  };
}

export const DEFAULT_SITES: readonly SystemSite[] = [
  { bus: 'Bus 1', replicas: 60, mixName: 'default', mix: DEFAULT_DER_MIX },
  {
    bus: 'Bus 12',
    replicas: 60,
    mixName: 'heat-pump',
    mix: { ...DEFAULT_DER_MIX, pvShare: 0.3, batteryShareOfPv: 0.4, evShare: 0.2, heatPumpShare: 0.6 },
  },
  {
    bus: 'Bus 5',
    replicas: 6,
    mixName: 'solar-storage',
    mix: { ...DEFAULT_DER_MIX, pvShare: 0.7, batteryShareOfPv: 0.7, evShare: 0.2, heatPumpShare: 0.1 },
  },
  {
    bus: 'Bus 10',
    replicas: 6,
    mixName: 'ev-heavy',
    mix: { ...DEFAULT_DER_MIX, pvShare: 0.3, batteryShareOfPv: 0.3, evShare: 0.7, heatPumpShare: 0.2 },
  },
  {
    bus: 'Bus 14',
    replicas: 6,
    mixName: 'low-der',
    mix: {
      ...DEFAULT_DER_MIX,
      pvShare: 0.15,
      batteryShareOfPv: 0.2,
      evShare: 0.1,
      heatPumpShare: 0.1,
      energyPoorShare: 0.2,
    },
  },
];

export interface DefaultSystemOptions {
  readonly seed?: number;
  readonly dateUtc?: string;
  /** Households per feeder (1–55, the IEEE European LV feeder's loads). */
  readonly households?: number;
  readonly sites?: typeof DEFAULT_SITES;
  readonly mechanism?: 'centralised' | 'admm' | 'contract-network' | 'double-auction';
  /** Platform and prosumer steps (default 15 and 5 min); the TSO keeps 60 and the DSO 30 min. */
  readonly platformStepMin?: number;
  readonly prosumerStepMin?: number;
  /** Bundled transmission case (default case14). */
  readonly transmissionCase?: string;
  /**
   * The DSOs, each a CIGRE MV network at its own transmission bus with its own LV sites (default: one, `cigre-mv`
   * at case14 bus 4, share 0.6, with `sites`). LV network ids must be unique across DSOs.
   */
  readonly dsos?: readonly SystemDso[];
  /** Study name and description (default: `system-default` and a generated description). */
  readonly name?: string;
  readonly description?: string;
  /** Fields of the `simulation` section set over the generated ones (dsos, feeders, resolutionsMin). */
  readonly simulation?: SimulationConfigInput;
}

/** One CIGRE MV DSO of a system study: its network id, transmission bus, share of that bus's load and LV sites. */
export interface SystemDso {
  readonly network: string;
  readonly transmissionBus: number;
  readonly shareOfBusLoad: number;
  readonly sites: readonly SystemSite[];
}

/**
 * The default system study. Transmission: MATPOWER case14 (259 MW). DSO: the CIGRE MV benchmark at case14 bus 4
 * (47.8 MW), standing for 60 % of that bus's load (shareOfBusLoad 0.6; the other 40 % stays an aggregate load).
 * The CIGRE loads at the five MV buses hosting platforms are replaced by IEEE European LV feeders (55 households
 * each, a distinct DER mix per site), each standing for `replicas` identical feeders; the remaining CIGRE MV loads
 * stay fixed. Time: one UTC day at the prosumer step of 5 min; TSO 60, DSO 30, platform 15 min.
 * `transmissionCase` and `dsos` build other systems of the same kind (several CIGRE MV DSOs at distinct buses).
 */
export function buildDefaultSystemStudy(options: DefaultSystemOptions = {}): SystemStudyInput {
  const seed = options.seed ?? 1;
  const date = options.dateUtc ?? '2024-04-15';
  const households = options.households ?? 55;
  const platformStep = options.platformStepMin ?? 15;
  const prosumerStep = options.prosumerStepMin ?? 5;
  const transmissionId = options.transmissionCase ?? 'case14';
  const dsos: readonly SystemDso[] = options.dsos ?? [
    { network: 'cigre-mv', transmissionBus: 4, shareOfBusLoad: 0.6, sites: options.sites ?? DEFAULT_SITES },
  ];
  const single = dsos.length === 1;
  const networks: ScenarioInput['networks'] = [
    { id: transmissionId, level: 'transmission', source: { kind: 'case', name: transmissionId } },
    ...dsos.map((d) => ({
      id: d.network,
      level: 'mv' as const,
      source: { kind: 'case' as const, name: 'cigre-mv' },
    })),
  ];
  const distributionNetworks: NonNullable<ScenarioInput['hierarchy']>['distributionNetworks'] = dsos.map(
    (d) => ({
      network: d.network,
      transmissionBus: d.transmissionBus,
      transmissionNetwork: transmissionId,
    }),
  );
  const platforms: NonNullable<NonNullable<ScenarioInput['hierarchy']>['platforms']> = [];
  const controllers: NonNullable<NonNullable<ScenarioInput['hierarchy']>['controllers']> = [
    { id: 'tso', role: 'tso', networks: [transmissionId], stepMin: 60 },
    ...dsos.map((d) => ({
      id: single ? 'dso' : `${d.network}-dso`,
      role: 'dso' as const,
      parent: 'tso',
      networks: [d.network],
      stepMin: 30,
    })),
  ];
  const prosumers: ProsumerInput[] = [];
  const profiles: ScenarioInput['profiles'] = {};
  const feeders: { network: string; replicas: number }[] = [];
  let s = 0;
  for (const dso of dsos) {
    for (const site of dso.sites) {
      const id = siteNetworkId(site);
      const feeder = generateIeeeLvScenario({
        seed: seed * 100 + s++,
        dateUtc: date,
        stepMin: 5,
        households,
        mix: site.mix,
        pvOrientation: site.pvOrientation,
        loadProfiles: site.loadProfiles,
      });
      Object.assign(profiles, feeder.profiles);
      const members = (feeder.prosumers ?? []).map((p) => ({ ...p, id: `${id}-${p.id}`, network: id }));
      prosumers.push(...members);
      networks.push({ id, level: 'lv', source: lvNetworkSource(site) });
      distributionNetworks.push({
        network: id,
        transmissionBus: dso.transmissionBus,
        transmissionNetwork: transmissionId,
        parent: { network: dso.network, bus: site.bus },
      });
      platforms.push({
        id: `${id}-platform`,
        network: id,
        members: members.map((m) => m.id),
        mechanism: options.mechanism ?? 'double-auction',
      });
      controllers.push({
        id: `${id}-operator`,
        role: 'platform',
        parent: single ? 'dso' : `${dso.network}-dso`,
        platform: `${id}-platform`,
        stepMin: platformStep,
      });
      feeders.push({ network: id, replicas: site.replicas });
    }
  }
  return {
    formatVersion: SCENARIO_FORMAT_VERSION,
    name: options.name ?? 'system-default',
    description:
      options.description ??
      (options.dsos
        ? `${transmissionId} transmission; ${dsos.length} CIGRE MV DSO(s) at distinct load buses; ${feeders.length} IEEE European LV P2P platforms`
        : 'IEEE 14-bus transmission; CIGRE MV DSO at bus 4 standing for 60 % of its load; five replicated IEEE European LV P2P platforms with different DER mixes'),
    time: { startUtc: `${date}T00:00:00Z`, stepMin: prosumerStep, length: 1440 / prosumerStep },
    seeds: { master: seed, scenarioCount: 100 },
    networks,
    hierarchy: { distributionNetworks, platforms, controllers },
    profiles,
    prosumers,
    simulation: {
      dsos: dsos.map((d) => ({ network: d.network, shareOfBusLoad: d.shareOfBusLoad })),
      feeders,
      resolutionsMin: { tso: 60, dso: 30, platform: platformStep, prosumer: prosumerStep },
      ...options.simulation,
    },
  };
}

/** The site's LV network: the bundled IEEE European LV case, inline with the site's changes if it has any. */
function lvNetworkSource(site: SystemSite): ScenarioInput['networks'][number]['source'] {
  const change = site.lvNetwork;
  if (!change) return { kind: 'case', name: 'ieee-european-lv' };
  const lv = loadCase('ieee-european-lv');
  return {
    kind: 'inline',
    network: {
      ...lv,
      buses: lv.buses.map((b) => ({
        ...b,
        vmMinPu: change.vmMinPu ?? b.vmMinPu,
        vmMaxPu: change.vmMaxPu ?? b.vmMaxPu,
      })),
      branches: lv.branches.map((b) =>
        b.kind === 'transformer' && change.transformerMva !== undefined
          ? { ...b, rateAMva: change.transformerMva }
          : b,
      ),
    },
  };
}

/** LV network id of a site: its `id`, else `lv-bus5` from its MV bus. */
function siteNetworkId(site: SystemSite): string {
  return site.id ?? `lv-${site.bus.replace(/\s+/g, '').toLowerCase()}`;
}
