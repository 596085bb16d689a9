// Negative R or X is valid data with a warning; only unsolvable data stays an error.
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { createNetwork } from './create-network.ts';
import { findNetworkWarnings } from './network-warnings.ts';
import type { NetworkInput } from './schema.ts';

function chain(branches: { rPu: number; xPu: number }[]): NetworkInput {
  return {
    buses: [{ id: 1, type: 'slack', baseKv: 110 }, ...branches.map((_, i) => ({ id: i + 2, baseKv: 110 }))],
    generators: [{ id: 'g', bus: 1 }],
    branches: branches.map((b, i) => ({ id: `b${i}`, fromBus: i + 1, toBus: i + 2, ...b })),
  };
}

describe('findNetworkWarnings', () => {
  it('accepts negative resistance and reactance and lists them as grouped warnings', () => {
    const network = createNetwork(
      chain([
        { rPu: 0.01, xPu: 0.1 },
        { rPu: -0.02, xPu: 0.1 },
        { rPu: 0.01, xPu: -0.05 },
        { rPu: -0.03, xPu: 0.2 },
        { rPu: -0.01, xPu: 0.2 },
        { rPu: -0.01, xPu: 0.2 },
      ]),
    );
    const warnings = findNetworkWarnings(network);
    expect(warnings.map((w) => [w.code, w.count, w.elementIds])).toEqual([
      ['negative_resistance', 4, ['b1', 'b3', 'b4', 'b5']],
      ['negative_reactance', 1, ['b2']],
    ]);
    expect(warnings[0].path).toEqual(['branches']);
    // The message counts them and names the first three, each with its row, id, buses and value.
    expect(warnings[0].message).toBe(
      '4 branches have negative resistance (network equivalents): first branches[1] (id "b1", bus 2 → 3, rPu -0.02), ' +
        'branches[3] (id "b3", bus 4 → 5, rPu -0.03), branches[4] (id "b4", bus 5 → 6, rPu -0.01) and 1 more',
    );
    expect(warnings[1].message).toMatch(/^1 branch has negative reactance \(series capacitors/);
  });

  it('is empty for ordinary data', () => {
    expect(findNetworkWarnings(createNetwork(chain([{ rPu: 0.01, xPu: 0.1 }])))).toEqual([]);
  });

  it('zero series impedance (unsolvable) is still an error', () => {
    const attempt = () => createNetwork(chain([{ rPu: 0, xPu: 0 }]));
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(/branches\[0\]\.xPu: zero series impedance/);
  });
});
