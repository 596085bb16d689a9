// Reads a `gridnest simulate` output folder (value.json, grid.json, timeseries/*.csv, member-days) into the
// dashboard's view model; every file is validated and a missing or malformed one is an InputError naming it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError, parseInput } from '../core/errors.ts';
import { type CsvTable, parseCsv } from '../io/ieee-european-lv/csv.ts';
import { readTextFile } from '../io/read-text-file.ts';
import type { FeederSnapshot } from '../value/grid-snapshot.ts';
import type { ViewSummary, ViewValueRow } from './view-model.ts';

const valueRowSchema = z.object({
  category: z.string(),
  metric: z.string(),
  unit: z.string(),
  values: z.record(z.string(), z.number().nullable()),
  isHigherBetter: z.boolean(),
  definition: z.string().optional(),
});
const valueFileSchema = z.object({
  study: z.string(),
  days: z.number().int().positive(),
  charted: z.string(),
  table: z.array(valueRowSchema),
});
const comparisonFileSchema = z.union([
  z.array(valueRowSchema),
  z.object({ table: z.array(valueRowSchema) }).transform((v) => v.table),
]);
const idList = z.array(z.string());
const gridFileSchema = z.object({
  transmission: z.object({ id: z.string(), busIds: idList }),
  dsos: z.array(z.object({ id: z.string(), transmissionBus: z.string(), busIds: idList, platforms: idList })),
  feeders: z.array(
    z.object({
      platform: z.string(),
      dso: z.string(),
      networkId: z.string(),
      parentBus: z.string(),
      replicas: z.number(),
      busIds: idList,
      branches: z.array(z.object({ id: z.string(), from: z.number().int(), to: z.number().int() })),
      members: z.array(z.object({ id: z.string(), bus: z.string() })),
      timeUtc: idList,
      vmPu: z.array(z.array(z.number())),
      flowFromKva: z.array(z.array(z.number())),
    }),
  ),
});

export interface SimulationOutput {
  readonly summary: ViewSummary;
  readonly feeders: ReadonlyMap<string, FeederSnapshot>;
}

function readJson<T>(dir: string, name: string, schema: z.ZodType<T>): T {
  const path = join(dir, name);
  let data: unknown;
  try {
    data = JSON.parse(readTextFile(path));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw InputError.single('invalid_json', [path], `not JSON: ${(error as Error).message}`);
  }
  return parseInput(schema, data, [name]);
}

function readTable(dir: string, name: string, columns: readonly string[]): CsvTable {
  const path = join(dir, 'timeseries', `${name}.csv`);
  const text = readTextFile(path);
  return text.trim() === '' ? parseCsv(columns.join(','), path) : parseCsv(text, path, columns);
}

/** Column `name` of a table as numbers (empty cells → null). */
function numbers(table: CsvTable, name: string, rows = table.rows): (number | null)[] {
  const column = table.header.indexOf(name.toLowerCase());
  return rows.map((row) => {
    const cell = row.cells[column] ?? '';
    return cell === '' ? null : table.number(row, name);
  });
}

const text = (table: CsvTable, name: string) => {
  const column = table.header.indexOf(name.toLowerCase());
  return (row: CsvTable['rows'][number]) => row.cells[column] ?? '';
};

/** Read and validate a simulate output folder. `compare.json` / `comparison.json` are optional. */
export function readSimulationOutput(dir: string): SimulationOutput {
  if (!existsSync(dir)) throw InputError.single('file_not_found', [dir], `no such folder: ${dir}`);
  const value = readJson(dir, 'value.json', valueFileSchema);
  const grid = readJson(dir, 'grid.json', gridFileSchema) as {
    transmission: { id: string; busIds: string[] };
    dsos: { id: string; transmissionBus: string; busIds: string[]; platforms: string[] }[];
    feeders: FeederSnapshot[];
  };
  const comparisonName = ['compare.json', 'comparison.json'].find((n) => existsSync(join(dir, n)));
  const comparison: ViewValueRow[] | null = comparisonName
    ? readJson(dir, comparisonName, comparisonFileSchema)
    : null;

  const memberDays = readTable(dir, 'member-days', ['prosumer', 'pvKwp', 'batteryKwh', 'billEur']);
  const memberInfo = new Map<string, { pvKwp: number; batteryKwh: number; billEur: number }>();
  const memberName = text(memberDays, 'prosumer');
  for (const row of memberDays.rows) {
    const id = memberName(row);
    const previous = memberInfo.get(id);
    memberInfo.set(id, {
      pvKwp: memberDays.number(row, 'pvKwp'),
      batteryKwh: memberDays.number(row, 'batteryKwh'),
      billEur: (previous?.billEur ?? 0) + memberDays.number(row, 'billEur'),
    });
  }

  const tradeTable = readTable(dir, 'trades', [
    'timeUtc',
    'platform',
    'buyer',
    'seller',
    'eKwh',
    'priceEurPerKwh',
    'feeEurPerKwh',
  ]);
  const pairs = new Map<
    string,
    ViewSummary['trades'][number] & { eKwh: number; count: number; paidEur: number }
  >();
  const [tPlatform, tBuyer, tSeller, tTime] = ['platform', 'buyer', 'seller', 'timeUtc'].map((c) =>
    text(tradeTable, c),
  );
  /** Σ energy and Σ fee money per platform interval. */
  const fees = new Map<string, { eKwh: number; feeEur: number }>();
  for (const row of tradeTable.rows) {
    const key = `${tPlatform(row)}\u0000${tBuyer(row)}\u0000${tSeller(row)}`;
    const eKwh = tradeTable.number(row, 'eKwh');
    const pair = pairs.get(key) ?? {
      platform: tPlatform(row),
      buyer: tBuyer(row),
      seller: tSeller(row),
      eKwh: 0,
      count: 0,
      paidEur: 0,
    };
    pair.eKwh += eKwh;
    pair.count += 1;
    pair.paidEur += eKwh * tradeTable.number(row, 'priceEurPerKwh');
    pairs.set(key, pair);
    const feeKey = `${tPlatform(row)}\u0000${tTime(row)}`;
    const fee = fees.get(feeKey) ?? { eKwh: 0, feeEur: 0 };
    fee.eKwh += eKwh;
    fee.feeEur += eKwh * tradeTable.number(row, 'feeEurPerKwh');
    fees.set(feeKey, fee);
  }

  const platform = readTable(dir, 'platform', [
    'timeUtc',
    'platform',
    'p2pPriceEurPerKwh',
    'importPriceEurPerKwh',
    'exportPriceEurPerKwh',
    'wholesaleEurPerKwh',
  ]);
  const platformName = text(platform, 'platform');
  const platformTime = text(platform, 'timeUtc');
  const prices: Record<string, ViewSummary['prices']['platforms'][string]> = {};
  const priceTimes = new Set<string>();
  for (const id of new Set(platform.rows.map(platformName))) {
    const rows = platform.rows.filter((r) => platformName(r) === id);
    for (const r of rows) priceTimes.add(platformTime(r));
    prices[id] = {
      p2pEurPerKwh: numbers(platform, 'p2pPriceEurPerKwh', rows),
      importEurPerKwh: numbers(platform, 'importPriceEurPerKwh', rows) as number[],
      exportEurPerKwh: numbers(platform, 'exportPriceEurPerKwh', rows) as number[],
      wholesaleEurPerKwh: numbers(platform, 'wholesaleEurPerKwh', rows) as number[],
      p2pFeeEurPerKwh: rows.map((r) => {
        const fee = fees.get(`${id}\u0000${platformTime(r)}`);
        return fee && fee.eKwh > 0 ? fee.feeEur / fee.eKwh : null;
      }),
    };
  }
  const tso = readTable(dir, 'tso', [
    'timeUtc',
    'dso',
    'dayAheadLmpEurPerMwh',
    'intradayLmpEurPerMwh',
    'realTimeLmpEurPerMwh',
  ]);
  const firstDso = grid.dsos[0]?.id;
  const tsoRows = tso.rows.filter((r) => text(tso, 'dso')(r) === firstDso);

  const prosumer = readTable(dir, 'prosumer', ['timeUtc', 'prosumer', 'platform', 'batteryEnergyKwh']);
  const [pTime, pName, pPlatform] = ['timeUtc', 'prosumer', 'platform'].map((c) => text(prosumer, c));
  const batteryTimes: string[] = [];
  const timeIndex = new Map<string, number>();
  for (const row of prosumer.rows)
    if (!timeIndex.has(pTime(row))) {
      timeIndex.set(pTime(row), batteryTimes.length);
      batteryTimes.push(pTime(row));
    }
  const batteryPlatforms: Record<string, number[]> = {};
  const batteryMembers: Record<string, number[]> = {};
  for (const row of prosumer.rows) {
    const k = timeIndex.get(pTime(row))!;
    const energyKwh = prosumer.number(row, 'batteryEnergyKwh');
    (batteryPlatforms[pPlatform(row)] ??= new Array(batteryTimes.length).fill(0))[k] += energyKwh;
    if ((memberInfo.get(pName(row))?.batteryKwh ?? 0) > 0)
      (batteryMembers[pName(row)] ??= new Array(batteryTimes.length).fill(0))[k] = energyKwh;
  }

  const feeders = new Map(grid.feeders.map((f) => [f.platform, f]));
  const summary: ViewSummary = {
    study: value.study,
    days: value.days,
    charted: value.charted,
    hierarchy: {
      transmission: { id: grid.transmission.id, busCount: grid.transmission.busIds.length },
      dsos: grid.dsos.map((d) => ({
        id: d.id,
        transmissionBus: d.transmissionBus,
        mvBusCount: d.busIds.length,
        platforms: d.platforms.map((id) => {
          const feeder = feeders.get(id);
          return {
            id,
            parentBus: feeder?.parentBus ?? '',
            replicas: feeder?.replicas ?? 1,
            members: (feeder?.members ?? []).map((m) => ({
              ...m,
              ...(memberInfo.get(m.id) ?? { pvKwp: 0, batteryKwh: 0, billEur: 0 }),
            })),
          };
        }),
      })),
    },
    value: value.table,
    comparison,
    prices: {
      timeUtc: [...priceTimes].sort(),
      platforms: prices,
      tso: {
        timeUtc: tsoRows.map(text(tso, 'timeUtc')),
        dayAheadEurPerMwh: numbers(tso, 'dayAheadLmpEurPerMwh', tsoRows) as number[],
        intradayEurPerMwh: numbers(tso, 'intradayLmpEurPerMwh', tsoRows) as number[],
        realTimeEurPerMwh: numbers(tso, 'realTimeLmpEurPerMwh', tsoRows) as number[],
      },
    },
    trades: [...pairs.values()],
    battery: { timeUtc: batteryTimes, platforms: batteryPlatforms, members: batteryMembers },
    feeders: grid.feeders.map((f) => ({
      platform: f.platform,
      busCount: f.busIds.length,
      hasStates: f.timeUtc.length > 0,
    })),
  };
  return { summary, feeders };
}
