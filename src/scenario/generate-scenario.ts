// Scenario generators: the bundled IEEE European LV study (55 households) and large synthetic systems
// (feeders × households), both with a seeded, reproducible DER mix.
import { InputError } from '../core/errors.ts';
import type { PvOrientation } from '../ders/pv-orientation.ts';
import type { ProsumerInput } from '../ders/schema.ts';
import type { NetworkInput } from '../grid/schema.ts';
import { bundledDataPath } from '../io/bundled-data.ts';
import { parseCsv } from '../io/ieee-european-lv/csv.ts';
import { readTextFile } from '../io/read-text-file.ts';
import { createRandom, deriveSeed, randomInt } from '../numeric/random.ts';
import { commonProfiles, type DerMix, drawHousehold } from './draw-household.ts';
import { SCENARIO_FORMAT_VERSION, type ScenarioInput } from './schema.ts';

export interface GenerateOptions {
  readonly seed?: number;
  /** UTC date of the simulated day (default 2024-04-15, a spring weekday). */
  readonly dateUtc?: string;
  /** Time step in minutes (default 30). */
  readonly stepMin?: number;
  readonly mix?: DerMix;
  /** PV module orientation (default: the horizontal bundled shape). */
  readonly pvOrientation?: PvOrientation;
  /**
   * Household load profiles: `feeder` (default) the IEEE LV feeder's own assignment (Loads.csv / LoadShapes.csv);
   * `drawn` each household draws one of the 100 profiles from the seed (feeders that do not move together).
   */
  readonly loadProfiles?: 'feeder' | 'drawn';
}

/**
 * The bundled default study: the IEEE European LV Test Feeder with its 55 residential loads as prosumers (bus,
 * phase and load profile from Loads.csv / LoadShapes.csv), one P2P platform with every household, a DSO
 * controller at 60 min and the platform at the study step. `households` < 55 keeps the first ones.
 */
export function generateIeeeLvScenario(
  options: GenerateOptions & { readonly households?: number } = {},
): ScenarioInput {
  const seed = options.seed ?? 1;
  const date = options.dateUtc ?? '2024-04-15';
  const stepMin = options.stepMin ?? 30;
  const file = 'lv/ieee_european_lv/Loads.csv';
  const table = parseCsv(readTextFile(bundledDataPath(file)), file, ['name', 'bus', 'phases', 'yearly']);
  const count = options.households ?? table.rows.length;
  if (!Number.isInteger(count) || count < 1 || count > table.rows.length) {
    throw InputError.single(
      'bad_option',
      ['households'],
      `the IEEE European LV feeder has 1 to ${table.rows.length} households`,
    );
  }
  const profiles = commonProfiles();
  const pvProfile = options.pvOrientation ? orientedPvProfileName(options.pvOrientation) : 'pv-shape';
  if (options.pvOrientation) profiles[pvProfile] = { kind: 'pv-shape', orientation: options.pvOrientation };
  const draws = createRandom(deriveSeed(seed, 0x10ad));
  const prosumers = table.rows.slice(0, count).map((row, i) => {
    const shape =
      options.loadProfiles === 'drawn'
        ? 1 + randomInt(draws, 100)
        : Number(table.get(row, 'yearly').replace(/^shape_/i, ''));
    const profile = `ieee-lv-${shape}`;
    profiles[profile] = { kind: 'ieee-lv-load', number: shape };
    const phase = table.get(row, 'phases').toLowerCase() as 'a' | 'b' | 'c';
    return drawHousehold(
      seed,
      i,
      {
        id: `h${i + 1}`,
        network: 'ieee-lv',
        bus: table.get(row, 'bus'),
        phase,
        loadProfile: profile,
        pvProfile,
      },
      date,
      options.mix,
    );
  });
  return {
    formatVersion: SCENARIO_FORMAT_VERSION,
    name: `ieee-european-lv-${count}`,
    description: `IEEE European LV Test Feeder with ${count} prosumers, seeded DER mix (seed ${seed})`,
    time: { startUtc: `${date}T00:00:00Z`, stepMin, length: 1440 / stepMin },
    seeds: { master: seed, scenarioCount: 100 },
    networks: [{ id: 'ieee-lv', level: 'lv', source: { kind: 'case', name: 'ieee-european-lv' } }],
    hierarchy: {
      distributionNetworks: [{ network: 'ieee-lv', transmissionBus: 'gsp-1' }],
      platforms: [
        {
          id: 'ieee-lv-platform',
          network: 'ieee-lv',
          members: prosumers.map((p) => p.id),
          mechanism: 'admm',
        },
      ],
      controllers: [
        { id: 'dso', role: 'dso', networks: ['ieee-lv'], stepMin: Math.max(stepMin, 60 - (60 % stepMin)) },
        {
          id: 'ieee-lv-platform-operator',
          role: 'platform',
          parent: 'dso',
          platform: 'ieee-lv-platform',
          stepMin,
        },
      ],
    },
    profiles,
    prosumers,
  };
}

/** Profile name of an oriented PV shape, e.g. `pv-shape-az270-tilt35` (one profile per orientation). */
const orientedPvProfileName = (o: PvOrientation): string =>
  `pv-shape-az${o.azimuthDeg}-tilt${o.tiltDeg}${o.latitudeDeg === 51.5 ? '' : `-lat${o.latitudeDeg}`}`;

/** A synthetic LV feeder: 11/0.416 kV, 0.4 MVA transformer and a radial cable backbone with laterals. */
function syntheticFeeder(name: string, households: number): { network: NetworkInput; buses: string[] } {
  const backbone = Math.max(1, Math.min(20, Math.ceil(households / 3)));
  // 4c_185 cable (IEEE LV LineCodes: R1 0.166, X1 0.074 ohm/km), 40 m per backbone segment, 1 MVA base.
  const zBaseOhm = 0.416 ** 2 / 1;
  const segmentKm = 0.04;
  const buses: NetworkInput['buses'] = [
    { id: 'mv', baseKv: 11, type: 'slack', vmPu: 1.0 },
    { id: 'lv0', baseKv: 0.416 },
  ];
  const branches: NonNullable<NetworkInput['branches']> = [
    {
      id: 'tx',
      kind: 'transformer',
      fromBus: 'mv',
      toBus: 'lv0',
      rPu: 0.01 / 0.4,
      xPu: 0.04 / 0.4,
      rateAMva: 0.4,
    },
  ];
  const homes: string[] = [];
  for (let b = 1; b <= backbone; b++) {
    buses.push({ id: `lv${b}`, baseKv: 0.416 });
    branches.push({
      id: `line${b}`,
      fromBus: `lv${b - 1}`,
      toBus: `lv${b}`,
      rPu: (0.166 * segmentKm) / zBaseOhm,
      xPu: (0.074 * segmentKm) / zBaseOhm,
      rateAMva: 0.2,
    });
  }
  for (let h = 0; h < households; h++) {
    const id = `home${h + 1}`;
    buses.push({ id, baseKv: 0.416 });
    // 15 m service cable 2c_16 (R1 1.15, X1 0.088 ohm/km).
    branches.push({
      id: `service${h + 1}`,
      fromBus: `lv${(h % backbone) + 1}`,
      toBus: id,
      rPu: (1.15 * 0.015) / zBaseOhm,
      xPu: (0.088 * 0.015) / zBaseOhm,
      rateAMva: 0.03,
    });
    homes.push(id);
  }
  return {
    network: {
      name,
      baseMva: 1,
      buses,
      branches,
      generators: [{ id: 'source', bus: 'mv', pMinMw: -1e9, pMaxMw: 1e9 }],
    },
    buses: homes,
  };
}

/**
 * A large synthetic system for scale tests: `feeders` inline LV feeders of `households` prosumers each, hanging
 * from one MV network (a star of 11 kV cables from the grid supply point), one platform per feeder, a DSO, one
 * substation controller and one platform controller per feeder. Household load profiles are IEEE LV profiles
 * drawn with the seed.
 */
export function generateSyntheticScenario(
  options: GenerateOptions & { readonly feeders: number; readonly households: number },
): ScenarioInput {
  const { feeders, households } = options;
  if (!Number.isInteger(feeders) || feeders < 1)
    throw InputError.single('bad_option', ['feeders'], 'must be a positive integer');
  if (!Number.isInteger(households) || households < 1) {
    throw InputError.single('bad_option', ['households'], 'must be a positive integer');
  }
  const seed = options.seed ?? 1;
  const date = options.dateUtc ?? '2024-04-15';
  const stepMin = options.stepMin ?? 30;
  const profiles = commonProfiles();
  const rng = createRandom(deriveSeed(seed, 0x5eed));
  const mvBuses: NetworkInput['buses'] = [{ id: 'gsp', baseKv: 11, type: 'slack', vmPu: 1.02 }];
  const mvBranches: NonNullable<NetworkInput['branches']> = [];
  for (let f = 1; f <= feeders; f++) {
    mvBuses.push({ id: `ss${f}`, baseKv: 11 });
    mvBranches.push({
      id: `mv-cable${f}`,
      fromBus: 'gsp',
      toBus: `ss${f}`,
      rPu: 0.002,
      xPu: 0.001,
      rateAMva: 1,
    });
  }
  const networks: ScenarioInput['networks'] = [
    {
      id: 'mv',
      level: 'mv',
      source: {
        kind: 'inline',
        network: {
          name: 'mv',
          baseMva: 10,
          buses: mvBuses,
          branches: mvBranches,
          generators: [{ id: 'gsp', bus: 'gsp' }],
        },
      },
    },
  ];
  const distributionNetworks: NonNullable<NonNullable<ScenarioInput['hierarchy']>['distributionNetworks']> = [
    { network: 'mv', transmissionBus: 'gsp-1' },
  ];
  const platforms: NonNullable<NonNullable<ScenarioInput['hierarchy']>['platforms']> = [];
  const controllers: NonNullable<NonNullable<ScenarioInput['hierarchy']>['controllers']> = [
    { id: 'dso', role: 'dso', networks: ['mv'], stepMin: Math.max(stepMin, 60 - (60 % stepMin)) },
  ];
  const prosumers: ProsumerInput[] = [];
  const phases = ['a', 'b', 'c'] as const;
  for (let f = 1; f <= feeders; f++) {
    const id = `lv${f}`;
    const feeder = syntheticFeeder(id, households);
    networks.push({ id, level: 'lv', source: { kind: 'inline', network: feeder.network } });
    distributionNetworks.push({
      network: id,
      transmissionBus: 'gsp-1',
      parent: { network: 'mv', bus: `ss${f}` },
    });
    const members: string[] = [];
    feeder.buses.forEach((bus, h) => {
      const number = 1 + randomInt(rng, 100);
      const profile = `ieee-lv-${number}`;
      profiles[profile] = { kind: 'ieee-lv-load', number };
      const pid = `${id}-h${h + 1}`;
      members.push(pid);
      prosumers.push(
        drawHousehold(
          seed,
          prosumers.length,
          { id: pid, network: id, bus, phase: phases[h % 3], loadProfile: profile },
          date,
          options.mix,
        ),
      );
    });
    platforms.push({ id: `${id}-platform`, network: id, members, mechanism: 'admm' });
    controllers.push({
      id: `${id}-substation`,
      role: 'substation',
      parent: 'dso',
      networks: [id],
      stepMin: controllers[0].stepMin,
    });
    controllers.push({
      id: `${id}-platform-operator`,
      role: 'platform',
      parent: `${id}-substation`,
      platform: `${id}-platform`,
      stepMin,
    });
  }
  return {
    formatVersion: SCENARIO_FORMAT_VERSION,
    name: `synthetic-${feeders}x${households}`,
    description: `${feeders} synthetic LV feeders × ${households} prosumers, seeded DER mix (seed ${seed})`,
    time: { startUtc: `${date}T00:00:00Z`, stepMin, length: 1440 / stepMin },
    seeds: { master: seed, scenarioCount: 100 },
    networks,
    hierarchy: { distributionNetworks, platforms, controllers },
    profiles,
    prosumers,
  };
}
