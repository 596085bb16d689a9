// Load-shape multipliers per load of an OpenDSS feeder, from shape arrays supplied by the caller (e.g. the European
// LV CSV package's profiles, since the bundled script's `mult=(file=…)` files are not shipped).
import { InputError } from '../../core/errors.ts';
import type { OpenDssFeeder } from './read-opendss.ts';

/** The multiplier array of each load (network.loads order): its shape from `shapes` (names matched ignoring case),
 * else inline `mult=[…]` values; loads without a shape get undefined (multiplier 1). */
export function loadProfilesOfFeeder(
  feeder: OpenDssFeeder,
  shapes: ReadonlyMap<string, Float64Array> = new Map(),
): (Float64Array | undefined)[] {
  const byName = new Map([...shapes].map(([name, values]) => [name.toLowerCase(), values]));
  return feeder.loadShapeOfLoad.map((shape, i) => {
    if (shape === undefined) return undefined;
    const values = byName.get(shape) ?? feeder.loadShapes.get(shape)?.mult;
    if (values === undefined)
      throw InputError.single(
        'opendss',
        [`load.${feeder.network.loads[i].id}`, 'yearly'],
        `load shape '${shape}' has no multipliers (its file is not available)`,
      );
    return values instanceof Float64Array ? values : Float64Array.from(values);
  });
}

/** Multipliers of every load at point `index` of their shapes (OpenDSS 1-minute yearly step k uses point k − 1). */
export function loadScalesAt(profiles: readonly (Float64Array | undefined)[], index: number): Float64Array {
  return Float64Array.from(profiles, (p) => (p ? p[index % p.length] : 1));
}
