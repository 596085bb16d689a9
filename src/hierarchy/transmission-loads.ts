// Transmission aggregate load per bus (MW) after the DSOs replace their shares of the case load: what the TSO clears against.
import type { SystemModel } from './system-model.ts';

/**
 * Transmission aggregate load per bus in TSO interval h (MW): case load × shape, minus each DSO's share at its bus;
 * with `nominalExcept`, the other DSOs' shares are kept (their nominal load: what a DSO's negotiation plans with).
 */
export function transmissionLoadsMw(
  model: SystemModel,
  h: number,
  nominalExcept?: string,
): Map<string, number> {
  const hourOfDay = Math.floor((h * model.config.resolutionsMin.tso) / 60) % 24;
  const shape = model.config.transmission.loadShape[hourOfDay];
  const out = new Map<string, number>();
  for (const l of model.transmission.loads) {
    if (!l.inService) continue;
    const bus = String(l.bus);
    out.set(bus, (out.get(bus) ?? 0) + l.pMw * shape);
  }
  // DSOs at the same bus each replace their share of the case load (shares add up).
  const share = new Map<string, number>();
  for (const d of model.dsos) {
    if (nominalExcept !== undefined && d.id !== nominalExcept) continue;
    const bus = String(d.transmissionBus);
    share.set(bus, (share.get(bus) ?? 0) + d.shareOfBusLoad);
  }
  for (const [bus, s] of share) out.set(bus, (out.get(bus) ?? 0) * (1 - s));
  return out;
}
