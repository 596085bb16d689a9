// Resolves a system study (scenario + simulation section) into the controller tree: TSO → DSOs → feeder platforms → prosumers.
// Receives data, never paths: the networks and the profile library are loaded at the edge (studies/system/).
import { InputError, type InputIssue, parseInput } from '../core/errors.ts';
import { type ProsumerModel, resolveProsumer } from '../ders/prosumer-model.ts';
import type { ProsumerSpec } from '../ders/schema.ts';
import type { ElementId, Network } from '../grid/schema.ts';
import { type ProfileLibrary, profileOnIndex } from '../scenario/profile-sources.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { ThreePhaseNetwork } from '../three-phase/model.ts';
import { createTimeIndex, type TimeIndex } from '../time/time-index.ts';
import {
  type SimulationConfig,
  type SimulationConfigInput,
  simulationConfigSchema,
} from './simulation-config.ts';

/** One simulated LV feeder with its P2P platform; it stands for `replicas` identical feeders at `parentBus`. */
export interface FeederModel {
  readonly networkId: string;
  readonly platformId: string;
  readonly dsoId: string;
  readonly network: Network;
  readonly parentBus: ElementId;
  readonly replicas: number;
  /** Feeder transformer limit used by the DSO (kW of active power). */
  readonly transformerLimitKw: number;
  readonly mechanism: 'centralised' | 'admm' | 'contract-network' | 'double-auction';
  readonly members: readonly ProsumerSpec[];
  /** Phase-domain model of the feeder when the study runs LV feeders three-phase (`--lv-model three-phase`). */
  readonly threePhase?: ThreePhaseNetwork;
}

/** One DSO: an MV network at a grid supply point (transmission bus). */
export interface DsoModel {
  readonly id: string;
  readonly network: Network;
  readonly transmissionBus: ElementId;
  readonly shareOfBusLoad: number;
  readonly loadShape: readonly number[];
  readonly feeders: readonly FeederModel[];
  /** MV loads not replaced by feeders (MW, MVAr at shape 1), keyed by bus. */
  readonly fixedLoads: readonly { readonly bus: ElementId; readonly pMw: number; readonly qMvar: number }[];
}

/** What the edge loads for a study: every scenario network by id and the bundled profile series. */
export interface SystemStudyData {
  readonly networks: ReadonlyMap<string, Network>;
  /** LV networks to solve three-phase, by id (absent: every feeder balanced). */
  readonly threePhaseFeeders?: ReadonlyMap<string, ThreePhaseNetwork>;
  readonly profiles: ProfileLibrary;
}

export interface SystemModel {
  readonly scenario: Scenario;
  /** The bundled profile series the scenario's profiles draw on. */
  readonly profiles: ProfileLibrary;
  readonly config: SimulationConfig;
  readonly transmissionId: string;
  readonly transmission: Network;
  readonly dsos: readonly DsoModel[];
  readonly firstDayUtc: string;
  readonly days: number;
}

/** Resolve and cross-check a validated scenario with its simulation section; InputError names every bad field. */
export function buildSystemModel(
  scenario: Scenario,
  configInput: SimulationConfigInput | undefined,
  loaded: SystemStudyData,
  overrides: { readonly days?: number } = {},
): SystemModel {
  const config = parseInput(simulationConfigSchema, configInput ?? {}, ['simulation']);
  const issues: InputIssue[] = [];
  const issue = (path: (string | number)[], code: string, message: string) =>
    issues.push({ path, code, message });
  const transmissionEntries = scenario.networks.filter((n) => n.level === 'transmission');
  if (transmissionEntries.length !== 1)
    issue(['networks'], 'transmission_count', 'a system study needs exactly one transmission network');
  const transmissionId = transmissionEntries[0]?.id ?? '';
  const transmission = loaded.networks.get(transmissionId);
  if (transmission && !transmission.generators.every((g) => !g.inService || g.cost))
    issue(
      ['networks'],
      'missing_cost',
      `every generator of "${transmissionId}" needs a cost for the TSO's OPF`,
    );
  const startMs = Date.parse(scenario.time.startUtc);
  if (startMs % 86_400_000 !== 0)
    issue(['time', 'startUtc'], 'not_midnight', 'a system study starts at a UTC midnight');
  const attachments = scenario.hierarchy.distributionNetworks;
  const replicasOf = new Map(config.feeders.map((f) => [f.network, f]));
  const prosumersById = new Map(scenario.prosumers.map((p) => [p.id, p]));
  const platformByNetwork = new Map<string, Scenario['hierarchy']['platforms'][number]>();
  for (const p of scenario.hierarchy.platforms)
    if (!platformByNetwork.has(p.network)) platformByNetwork.set(p.network, p);
  const lvNetworks = new Set(attachments.filter((a) => a.parent).map((a) => a.network));
  config.feeders.forEach((f, i) => {
    if (!lvNetworks.has(f.network))
      issue(
        ['simulation', 'feeders', i, 'network'],
        'unknown_feeder',
        `"${f.network}" is not an LV network with an MV parent`,
      );
  });
  const dsos: DsoModel[] = [];
  attachments.forEach((a, i) => {
    if (a.parent) return;
    const network = loaded.networks.get(a.network)!;
    const path = ['hierarchy', 'distributionNetworks', i];
    if (a.transmissionNetwork !== undefined && a.transmissionNetwork !== transmissionId)
      issue([...path, 'transmissionNetwork'], 'unknown_network', `must be "${transmissionId}"`);
    if (transmission && !transmission.buses.some((b) => String(b.id) === String(a.transmissionBus)))
      issue(
        [...path, 'transmissionBus'],
        'unknown_bus',
        `bus ${a.transmissionBus} is not in "${transmissionId}"`,
      );
    const dsoConfig = config.dsos.find((d) => d.network === a.network);
    const feeders: FeederModel[] = [];
    attachments.forEach((lv, j) => {
      if (lv.parent?.network !== a.network) return;
      const platform = platformByNetwork.get(lv.network);
      if (!platform) {
        issue(
          ['hierarchy', 'distributionNetworks', j, 'network'],
          'no_platform',
          `LV network "${lv.network}" has no platform`,
        );
        return;
      }
      const lvNetwork = loaded.networks.get(lv.network)!;
      const feederConfig = replicasOf.get(lv.network);
      const transformer = lvNetwork.branches.find((b) => b.kind === 'transformer' && b.rateAMva > 0);
      const limitKva = feederConfig?.transformerKva ?? (transformer ? transformer.rateAMva * 1000 : 400);
      feeders.push({
        networkId: lv.network,
        platformId: platform.id,
        dsoId: a.network,
        network: lvNetwork,
        parentBus: network.buses.find((b) => String(b.id) === String(lv.parent!.bus))?.id ?? lv.parent!.bus,
        replicas: feederConfig?.replicas ?? 1,
        transformerLimitKw: limitKva * config.activePowerRatingShare,
        mechanism: platform.mechanism,
        members: platform.members.map((m) => prosumersById.get(m)!),
        ...(loaded.threePhaseFeeders?.has(lv.network)
          ? { threePhase: loaded.threePhaseFeeders.get(lv.network) }
          : {}),
      });
    });
    const feederBuses = new Set(feeders.map((f) => String(f.parentBus)));
    dsos.push({
      id: a.network,
      network,
      transmissionBus:
        transmission?.buses.find((b) => String(b.id) === String(a.transmissionBus))?.id ?? a.transmissionBus,
      shareOfBusLoad: dsoConfig?.shareOfBusLoad ?? 0.5,
      loadShape: dsoConfig?.loadShape ?? config.transmission.loadShape,
      feeders,
      fixedLoads: network.loads
        .filter((l) => l.inService && !feederBuses.has(String(l.bus)))
        .map((l) => ({ bus: l.bus, pMw: l.pMw, qMvar: l.qMvar })),
    });
  });
  if (dsos.length === 0)
    issue(
      ['hierarchy', 'distributionNetworks'],
      'no_dso',
      'a system study needs at least one MV network attachment',
    );
  const simulatedPlatforms = new Set(dsos.flatMap((d) => d.feeders.map((f) => f.platformId)));
  for (const platform of scenario.hierarchy.platforms) {
    if (!simulatedPlatforms.has(platform.id))
      issue(
        ['hierarchy', 'platforms'],
        'orphan_platform',
        `platform "${platform.id}" is not on an LV network under an MV network`,
      );
  }
  const r = config.resolutionsMin;
  if (!(r.tso % r.dso === 0 && r.dso % r.platform === 0 && r.platform % r.prosumer === 0))
    issue(
      ['simulation', 'resolutionsMin'],
      'bad_nesting',
      'each level step must be a multiple of the one below (tso ⊇ dso ⊇ platform ⊇ prosumer)',
    );
  if (issues.length > 0) throw new InputError(issues);
  return {
    scenario,
    profiles: loaded.profiles,
    config,
    transmissionId,
    transmission: transmission!,
    dsos,
    firstDayUtc: new Date(startMs).toISOString().slice(0, 10),
    days: overrides.days ?? config.days,
  };
}

/** The UTC day index (d = 0, 1, …) at a step. */
export function dayIndex(model: SystemModel, day: number, stepMin: number): TimeIndex {
  const startMs = Date.parse(`${model.firstDayUtc}T00:00:00Z`) + day * 86_400_000;
  return createTimeIndex({ startUtc: new Date(startMs).toISOString(), stepMin, length: 1440 / stepMin });
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** A copy of a prosumer spec with every absolute instant (EV sessions, shiftable windows, …) moved by `days`. */
export function shiftSpecDays<T>(value: T, days: number): T {
  if (days === 0) return value;
  if (typeof value === 'string' && ISO_INSTANT.test(value))
    return new Date(Date.parse(value) + days * 86_400_000).toISOString() as T;
  if (Array.isArray(value)) return value.map((v) => shiftSpecDays(v, days)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftSpecDays(v, days)])) as T;
  return value;
}

/** Resolves prosumer specs on day indexes, caching each profile per index. */
export class ProsumerResolver {
  private readonly cache = new Map<string, Map<string, Float64Array>>();

  constructor(
    private readonly scenario: Scenario,
    private readonly bundled: ProfileLibrary,
  ) {}

  profilesOn(index: TimeIndex): Map<string, Float64Array> {
    const key = `${index.startMs}/${index.stepMin}/${index.length}`;
    let profiles = this.cache.get(key);
    if (!profiles) {
      profiles = new Map();
      for (const [name, source] of Object.entries(this.scenario.profiles))
        profiles.set(name, profileOnIndex(source, index, this.bundled, ['profiles', name]));
      for (const old of [...this.cache.keys()])
        if (!old.startsWith(`${index.startMs}/`)) this.cache.delete(old);
      this.cache.set(key, profiles);
    }
    return profiles;
  }

  resolve(spec: ProsumerSpec, index: TimeIndex, path: (string | number)[]): ProsumerModel {
    return resolveProsumer(spec, index, this.profilesOn(index), path);
  }
}
