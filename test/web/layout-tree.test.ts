// The dashboard's feeder layout: x = depth from the root bus, y = leaf order with parents centred on children.
import { describe, expect, it } from 'vitest';
import { layoutTree } from '../../web/src/layout-tree.ts';

const SPACING = 12;

describe('layoutTree', () => {
  it('puts a chain on one row at increasing depth', () => {
    const p = layoutTree(3, [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
    ]);
    expect(p).toEqual([
      { x: 0, y: 0 },
      { x: SPACING, y: 0 },
      { x: 2 * SPACING, y: 0 },
    ]);
  });

  it('centres a parent on its two leaves and gives each leaf its own row', () => {
    // 0 — 1, 1 — 2, 1 — 3: leaves 2 and 3 take rows 0 and 1 (in some order), buses 0 and 1 sit at row 0.5.
    const p = layoutTree(4, [
      { from: 0, to: 1 },
      { from: 1, to: 2 },
      { from: 3, to: 1 },
    ]);
    expect(p[0]).toEqual({ x: 0, y: 0.5 * SPACING });
    expect(p[1]).toEqual({ x: SPACING, y: 0.5 * SPACING });
    expect([p[2].y, p[3].y].sort((a, b) => a - b)).toEqual([0, SPACING]);
    expect(p[2].x).toBe(2 * SPACING);
  });

  it('lays out a second island below the first, and an isolated bus as its own leaf', () => {
    const p = layoutTree(4, [{ from: 0, to: 1 }]);
    expect(p[0].y).toBe(0);
    expect(p[2]).toEqual({ x: 0, y: SPACING });
    expect(p[3]).toEqual({ x: 0, y: 2 * SPACING });
  });
});
