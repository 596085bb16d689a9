// Tree layout of a radial network for drawing (pure; no DOM): depth across, leaves down.
/**
 * Positions of a radial network rooted at bus 0: x = depth in branches, y = order of the leaves below (each parent
 * centred on its children). Meshed extra branches are drawn but do not move buses.
 */
export function layoutTree(
  busCount: number,
  branches: readonly { from: number; to: number }[],
): { x: number; y: number }[] {
  const neighbours: number[][] = Array.from({ length: busCount }, () => []);
  for (const b of branches) {
    neighbours[b.from].push(b.to);
    neighbours[b.to].push(b.from);
  }
  const depth = new Int32Array(busCount).fill(-1);
  const y = new Float64Array(busCount);
  const children: number[][] = Array.from({ length: busCount }, () => []);
  const order: number[] = [];
  let nextLeaf = 0;
  for (let root = 0; root < busCount; root++) {
    if (depth[root] >= 0) continue;
    depth[root] = 0;
    const stack = [root];
    while (stack.length > 0) {
      const u = stack.pop()!;
      order.push(u);
      for (const v of neighbours[u])
        if (depth[v] < 0) {
          depth[v] = depth[u] + 1;
          children[u].push(v);
          stack.push(v);
        }
    }
    // Post-order: leaves take the next row; a parent sits at the mean of its children.
    const visit: [number, boolean][] = [[root, false]];
    while (visit.length > 0) {
      const [u, isDone] = visit.pop()!;
      if (isDone) {
        y[u] =
          children[u].length === 0
            ? nextLeaf++
            : children[u].reduce((a, c) => a + y[c], 0) / children[u].length;
        continue;
      }
      visit.push([u, true]);
      for (const c of children[u]) visit.push([c, false]);
    }
  }
  return Array.from({ length: busCount }, (_, i) => ({ x: depth[i] * 12, y: y[i] * 12 }));
}
