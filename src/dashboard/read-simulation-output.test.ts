// The view model of a hand-written simulate folder: sums per trading pair, energy-weighted fees, battery totals,
// bills over days; a missing optional compare file is tolerated and a malformed file is an InputError naming it.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { readSimulationOutput } from './read-simulation-output.ts';

const T0 = '2024-04-15T00:00:00.000Z';
const T1 = '2024-04-15T00:15:00.000Z';

function writeFolder(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridnest-view-model-'));
  mkdirSync(join(dir, 'timeseries'));
  const files: Record<string, string> = {
    'value.json': JSON.stringify({
      study: 'tiny',
      days: 2,
      charted: 'none',
      table: [
        {
          category: 'losses',
          metric: 'losses',
          unit: 'MWh',
          values: { baseline: 2, none: 1 },
          isHigherBetter: false,
        },
      ],
    }),
    'grid.json': JSON.stringify({
      transmission: { id: 'case9', busIds: ['1', '2', '3'] },
      dsos: [{ id: 'd', transmissionBus: '2', busIds: ['a', 'b'], branches: [], platforms: ['p'] }],
      feeders: [
        {
          platform: 'p',
          dso: 'd',
          networkId: 'lv',
          parentBus: 'b',
          replicas: 3,
          busIds: ['S', 'x'],
          branches: [{ id: 'L', from: 0, to: 1 }],
          members: [
            { id: 'm1', bus: 'x' },
            { id: 'm2', bus: 'x' },
          ],
          timeUtc: [T0, T1],
          vmPu: [
            [1, 0.99],
            [1, 0.98],
          ],
          flowFromKva: [
            [1, 1],
            [2, 2],
          ],
        },
      ],
    }),
    'timeseries/member-days.csv':
      'day,prosumer,platform,isEnergyPoor,pvKwp,batteryKwh,billEur\n0,m1,p,false,4,10,1.5\n1,m1,p,false,4,10,2\n0,m2,p,false,0,0,1\n',
    'timeseries/platform.csv':
      'timeUtc,platform,p2pPriceEurPerKwh,importPriceEurPerKwh,exportPriceEurPerKwh,wholesaleEurPerKwh\n' +
      `${T0},p,0.15,0.3,0.05,0.04\n${T1},p,,0.3,0.05,0.04\n`,
    'timeseries/tso.csv':
      'timeUtc,dso,dayAheadLmpEurPerMwh,intradayLmpEurPerMwh,realTimeLmpEurPerMwh\n' +
      `${T0},d,40,41,42\n${T0},other,1,1,1\n`,
    'timeseries/trades.csv':
      'timeUtc,platform,buyer,seller,eKwh,priceEurPerKwh,feeEurPerKwh\n' +
      `${T0},p,m2,m1,1,0.2,0.01\n${T0},p,m2,m1,3,0.1,0.03\n`,
    'timeseries/prosumer.csv':
      'timeUtc,prosumer,platform,batteryEnergyKwh\n' +
      `${T0},m1,p,2\n${T0},m2,p,0\n${T1},m1,p,4\n${T1},m2,p,0\n`,
    ...extra,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('readSimulationOutput', () => {
  it('builds the view model with hand-computed sums', () => {
    const { summary, feeders } = readSimulationOutput(writeFolder());
    expect(summary.comparison).toBeNull();
    // One pair m1 → m2: 1 + 3 kWh in two trades, paid 1·0.2 + 3·0.1 = 0.5 EUR.
    expect(summary.trades).toHaveLength(1);
    expect(summary.trades[0]).toMatchObject({ seller: 'm1', buyer: 'm2', eKwh: 4, count: 2 });
    expect(summary.trades[0].paidEur).toBeCloseTo(0.5, 12);
    // Energy-weighted fee at T0: (1·0.01 + 3·0.03) / 4 = 0.025; no trades at T1.
    const p = summary.prices.platforms.p;
    expect(p.p2pFeeEurPerKwh[0]).toBeCloseTo(0.025, 12);
    expect(p.p2pFeeEurPerKwh[1]).toBeNull();
    expect(p.p2pEurPerKwh).toEqual([0.15, null]);
    // The TSO series is the first DSO's only.
    expect(summary.prices.tso.realTimeEurPerMwh).toEqual([42]);
    // Battery: platform Σ over members per time; only battery owners get their own series.
    expect(summary.battery.platforms.p).toEqual([2, 4]);
    expect(Object.keys(summary.battery.members)).toEqual(['m1']);
    // Bills summed over the two days; DER sizes from member-days.
    const m1 = summary.hierarchy.dsos[0].platforms[0].members.find((m) => m.id === 'm1')!;
    expect(m1).toMatchObject({ bus: 'x', pvKwp: 4, batteryKwh: 10, billEur: 3.5 });
    expect(summary.hierarchy.dsos[0].platforms[0].replicas).toBe(3);
    expect(feeders.get('p')?.vmPu[1]).toEqual([1, 0.98]);
    expect(summary.feeders).toEqual([{ platform: 'p', busCount: 2, hasStates: true }]);
  });

  it('reads compare.json when present', () => {
    const row = { category: 'c', metric: 'm', unit: 'u', values: { a: 1 }, isHigherBetter: true };
    const dir = writeFolder({ 'compare.json': JSON.stringify({ table: [row] }) });
    expect(readSimulationOutput(dir).summary.comparison).toEqual([row]);
  });

  it('names the file and field of malformed input', () => {
    const dir = writeFolder({ 'grid.json': JSON.stringify({ transmission: { id: 1 } }) });
    expect(() => readSimulationOutput(dir)).toThrow(InputError);
    expect(() => readSimulationOutput(dir)).toThrow(/grid\.json\.transmission\.id/);
    const notJson = writeFolder({ 'value.json': '{' });
    expect(() => readSimulationOutput(notJson)).toThrow(/value\.json: not JSON/);
  });
});
