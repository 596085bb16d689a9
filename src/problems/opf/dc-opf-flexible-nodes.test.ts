// DC OPF with flexible nodes: blocks clear where willingness to pay meets the LMP; prices respond to the bids.
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../io/case-registry.ts';
import { solveDcOpfWithFlexibleNodes } from './dc-opf-flexible-nodes.ts';

describe('DC OPF with flexible nodes', () => {
  const network = loadCase('case14');
  const node = (wtp: number) => ({
    id: 'dso',
    bus: 4,
    minMw: 10,
    blocks: [
      { mw: 20, willingnessPerMwh: wtp },
      { mw: 5, willingnessPerMwh: 200 },
    ],
  });

  it('takes blocks whose willingness to pay exceeds the LMP and leaves the others', async () => {
    const cheap = await solveDcOpfWithFlexibleNodes(network, [node(10)], new Map([['4', 20]]));
    const dear = await solveDcOpfWithFlexibleNodes(network, [node(100)], new Map([['4', 20]]));
    expect(cheap.status).toBe('optimal');
    expect(cheap.flexibleNodes[0].consumptionMw).toBeCloseTo(15, 6);
    expect(dear.flexibleNodes[0].consumptionMw).toBeCloseTo(35, 6);
    // More consumption at the bus raises the wholesale price there.
    expect(dear.flexibleNodes[0].lmpPerMwh).toBeGreaterThan(cheap.flexibleNodes[0].lmpPerMwh);
    // Generation balances load + flexible consumption (DC, lossless).
    const load = network.loads.filter((l) => String(l.bus) !== '4').reduce((a, l) => a + l.pMw, 0) + 20;
    const generation = dear.generators.reduce((a, g) => a + g.pMw, 0);
    expect(generation).toBeCloseTo(load + 35, 6);
  });

  it('clears a block at the margin when the LMP equals its willingness to pay', async () => {
    const r = await solveDcOpfWithFlexibleNodes(network, [
      { id: 'd', bus: 4, minMw: 0, blocks: [{ mw: 400, willingnessPerMwh: 45 }] },
    ]);
    expect(r.flexibleNodes[0].lmpPerMwh).toBeCloseTo(45, 0);
    expect(r.flexibleNodes[0].consumptionMw).toBeGreaterThan(0);
    expect(r.flexibleNodes[0].consumptionMw).toBeLessThan(400);
  });
});
